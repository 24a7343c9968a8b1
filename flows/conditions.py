"""The conditions under which the interview's questions are asked (block triggers of rules.md §1).

Each reads the answers only through :class:`flows.features.Situation` features. Where a condition
depends on a rule (who may join whom, which member's dependency matters, the sponsor a person is),
it asks the engine's public predicates rather than restating the rule.
"""

from __future__ import annotations

from bot.engine import (
    SALARY_PERIOD,
    age_matters,
    durable_proof_matters,
    implied_income_source,
    partner_rules_apply,
)
from bot.engine import (
    dependency_matters as engine_dependency_matters,
)
from flows.features import LIMITED_STAY_CLASSES, Situation


def is_tcn(f: Situation) -> bool:
    return f.nat == "TCN"


def not_belgian(f: Situation) -> bool:
    return f.nat in ("EU", "TCN")


def tcn_in_belgium(f: Situation) -> bool:
    return is_tcn(f) and f.location == "belgium"


def holds_limited_card(f: Situation) -> bool:
    return is_tcn(f) and f.card_class in LIMITED_STAY_CLASSES


def needs_permit(f: Situation) -> bool:
    """A third-country national whose residence card does not already give access to work."""
    return is_tcn(f) and f.card_class not in ("free", "family")


def employee(f: Situation) -> bool:
    """Block B: a third-country national who wants a job and needs a work authorisation."""
    return needs_permit(f) and "employee" in f.purposes


def employee_in_region(f: Situation) -> bool:
    """Employee block beyond the postcode: not in the German-speaking Community (always REVIEW)."""
    return employee(f) and f.region in ("BXL", "FL", "WAL")


def regular_employee(f: Situation) -> bool:
    """Region table (§2.4–2.6) applies: any employer except an intra-corporate transfer."""
    return (
        employee_in_region(f) and f.employer is not None and f.employer != "group_transfer_from_non_EU_entity"
    )


def higher_educated(f: Situation) -> bool:
    return regular_employee(f) and f.qualification == "higher_ed_3y_plus"


def intra_group_transfer(f: Situation) -> bool:
    return employee_in_region(f) and f.employer == "group_transfer_from_non_EU_entity"


def employee_in_brussels(f: Situation) -> bool:
    """A region that compares the monthly base salary (Brussels)."""
    return employee_in_region(f) and f.region is not None and SALARY_PERIOD.get(f.region) == "month"


def employee_paid_yearly(f: Situation) -> bool:
    """A region that compares the yearly gross salary (Flanders, Wallonia)."""
    return employee_in_region(f) and f.region is not None and SALARY_PERIOD.get(f.region) == "year"


def higher_educated_in_flanders(f: Situation) -> bool:
    return higher_educated(f) and f.region == "FL"


def higher_educated_in_wallonia(f: Situation) -> bool:
    return higher_educated(f) and f.region == "WAL"


def blue_card_candidate(f: Situation) -> bool:
    """The Blue Card needs a contract length: higher education or three years of IT experience."""
    return regular_employee(f) and f.qualification in ("higher_ed_3y_plus", "ict_experience_3y_in_last_7y")


def regular_employee_in_brussels(f: Situation) -> bool:
    return regular_employee(f) and f.region == "BXL"


def regular_employee_in_wallonia(f: Situation) -> bool:
    return regular_employee(f) and f.region == "WAL"


def regular_employee_in_flanders(f: Situation) -> bool:
    """The Flemish lists concern medium-qualified jobs (and higher education for the VDAB list)."""
    return (
        regular_employee(f)
        and f.region == "FL"
        and f.qualification in ("vocational_level_3_4", "higher_ed_3y_plus")
    )


def asks_dob(f: Situation) -> bool:
    """Age decides the under-30 rates (employees) and the age-21 rule (sponsor bringing family)."""
    return employee(f) or f.user_is_sponsor


def asks_years_worked(f: Situation) -> bool:
    """Unlimited single permit (§2.12) for workers already here, or long-term status (§2.13)."""
    return is_tcn(f) and (
        (employee(f) and f.card_class == "limited_work") or "long_term_status" in f.purposes
    )


def worked_in_brussels(f: Situation) -> bool:
    return asks_years_worked(f) and f.region == "BXL"


def worked_two_years(f: Situation) -> bool:
    return asks_years_worked(f) and f.years_band in ("2to4", "ge4")


def long_term_block(f: Situation) -> bool:
    """Block D: long-term status asked for, or at least four years of work already (§1)."""
    return asks_years_worked(f) and ("long_term_status" in f.purposes or f.years_band == "ge4")


def not_settled(f: Situation) -> bool:
    """A third-country national without an unlimited or EU card (family cards included)."""
    return is_tcn(f) and f.card_class != "free"


def self_employed(f: Situation) -> bool:
    return not_settled(f) and "self_employed" in f.purposes


def student(f: Situation) -> bool:
    return not_settled(f) and "study" in f.purposes


def admitted_student(f: Situation) -> bool:
    return student(f) and f.study_admitted is True


def researcher(f: Situation) -> bool:
    return is_tcn(f) and "research" in f.purposes


def graduate(f: Situation) -> bool:
    return is_tcn(f) and "job_search_after_graduation" in f.purposes


def researcher_without_agreement(f: Situation) -> bool:
    return researcher(f) and f.hosting_agreement is False


def graduated_abroad(f: Situation) -> bool:
    return graduate(f) and f.graduated_be is False


def graduation_counts(f: Situation) -> bool:
    """A Belgian degree, or a foreign one after an EU mobility programme in Belgium."""
    return graduate(f) and (f.graduated_be is True or f.mobility_programme is True)


def graduate_in_belgium(f: Situation) -> bool:
    return graduate(f) and f.graduated_be is True and f.location == "belgium"


def family(f: Situation) -> bool:
    """Block F: bringing or joining family."""
    return bool({"bring_family", "join_family"} & f.purposes)


def renewing_family_residence(f: Situation) -> bool:
    """Renewal questions (rules.md §3.2 RN-1…RN-4): the person renews a family residence held."""
    return f.renews_family_residence


def holds_limited_card_or_renews(f: Situation) -> bool:
    """The card's expiry: a limited card, or a family card being renewed (the F card too)."""
    return holds_limited_card(f) or f.renews_family_residence


def long_term_only(f: Situation) -> bool:
    """EU long-term status also needs health insurance and no public-order threat (§2.13); with a
    family, the family questions ask it for everyone."""
    return long_term_block(f) and not family(f)


def residence_region_needed(f: Situation) -> bool:
    """The unlimited single permit is filed in the region of residence (§2.12) when no job says it."""
    return asks_years_worked(f) and not employee(f)


def bringing_family(f: Situation) -> bool:
    """The person brings family: who comes is asked at once, then their dates of birth."""
    return family(f) and f.user_is_sponsor


def family_listed(f: Situation) -> bool:
    """Who comes has been said at once (bringing family, or joining a relative)."""
    return family(f) and f.family_listed


def family_ages_matter(f: Situation) -> bool:
    """The dates of birth of the family listed, unless no one's age counts (the engine's
    :func:`bot.engine.age_matters`: a spouse of an EU citizen has no age limit, rules.md WHO-EU)."""
    return family_listed(f) and any(age_matters(relation, f.sponsor_type) for relation in f.listed)


def family_joining(f: Situation) -> bool:
    return family(f) and not f.user_is_sponsor


def joining_at_once(f: Situation) -> bool:
    """A person joining a relative says at once who would join (they included), like a person
    bringing family (:func:`bringing_family`)."""
    return family_joining(f)


def tcn_sponsor_self(f: Situation) -> bool:
    """A third-country national bringing family: their own status is asked, unless their card or
    their reason to come already tells it."""
    return family(f) and f.user_is_sponsor and f.nat == "TCN" and f.implied_sponsor_type is None


def sponsor_has_right_date(f: Situation) -> bool:
    """The date the sponsor's right of residence started, unless it is still to come (a person
    coming from abroad with their family)."""
    return (
        family(f)
        and f.sponsor_type in ("tcn_limited", "tcn_unlimited", "eu_eea_ch")
        and not f.coming_with_family
    )


def limited_sponsor(f: Situation) -> bool:
    return family(f) and f.sponsor_type == "tcn_limited"


def worker_visa_issued(f: Situation) -> bool:
    """The worker's visa date (ex-officio window), unless it is still to come (a person coming from
    abroad with their family says instead when the family applies: :func:`family_timing_asked`)."""
    return limited_sponsor(f) and not f.coming_with_family


def family_timing_asked(f: Situation) -> bool:
    """A person coming from abroad with their family: with them, within 6 months, or later."""
    return bringing_family(f) and f.coming_with_family


def application_date_unknown(f: Situation) -> bool:
    """The family's application date, unless it is the person's own: applying together from abroad,
    it is taken as the start date (the engine's derivation, :func:`bot.engine.derived_fields`)."""
    return family(f) and not (f.applies_together and f.start_known)


def asks_sponsor_category(f: Situation) -> bool:
    """Ex-officio category (§3.6); for a worker bringing family the engine takes it from the route."""
    return limited_sponsor(f) and not (f.user_is_sponsor and "employee" in f.purposes)


def income_test(f: Situation) -> bool:
    """Family income (§3.4): not for EU sponsors (FR-INC-7) nor protection cases (RV-08)."""
    return family(f) and f.sponsor_type in ("tcn_limited", "tcn_unlimited", "belgian", "other")


def income_source_unknown(f: Situation) -> bool:
    """Where the income comes from, unless the person brings family and is paid a salary (coming to
    work for an employer, or holding a single permit or a Blue Card)."""
    answers = f.answers
    implied = implied_income_source(
        answers.get("purposes"), answers.get("card_type"), f.user_is_sponsor, answers.get("sponsor_category")
    )
    return income_test(f) and implied is None


def may_live_with_sponsor(f: Situation) -> bool:
    """Whether a member already lives legally with the sponsor in Belgium: not asked of a person who
    is abroad (they describe who comes with them: nobody lives with them in Belgium yet, and those
    who join a relative from abroad are not living with that relative)."""
    return f.location != "abroad"


def partner_can_come(f: Situation) -> bool:
    """A spouse or partner whom the partner rules apply to (age, relationship, waiting period); an
    unregistered partner goes to an adviser whatever their story (the engine's
    :func:`bot.engine.partner_rules_apply`, rules.md FR-PART-3)."""
    return partner_rules_apply(f.relation, f.sponsor_type)


def durable_proof(f: Situation) -> bool:
    """Partners who are not married prove a durable relationship (rules.md F6)."""
    return partner_can_come(f) and durable_proof_matters(f.relation)


def short_cohabitation(f: Situation) -> bool:
    return durable_proof(f) and f.cohabited_a_year is False


def meetings_needed(f: Situation) -> bool:
    return short_cohabitation(f) and f.common_child is False


def dependency_matters(f: Situation) -> bool:
    """Whether the member depends on the sponsor changes the outcome (the engine's
    :func:`bot.engine.dependency_matters`: adult descendants, disabled ones included, and ascendants
    of Belgians / EU citizens, FR-CH-4; a member already living with the sponsor)."""
    return engine_dependency_matters(f.relation, f.sponsor_type, resident=f.resident)
