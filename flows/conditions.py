"""The conditions under which the interview's questions are asked (block triggers of rules.md §1).

Each reads the answers only through :class:`flows.features.Situation` features. Where a condition
depends on a rule (who may join whom, which member's dependency matters, the sponsor a person is),
it asks the engine's public predicates rather than restating the rule.
"""

from __future__ import annotations

from bot.engine import SALARY_PERIOD
from flows.features import (
    DURABLE_PROOF,
    DURABLE_RELATIONSHIP_SPONSORS,
    LIMITED_STAY_CLASSES,
    PARTNERS,
    Situation,
)


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
    return bringing_family(f) and f.family_listed


def family_joining(f: Situation) -> bool:
    return family(f) and not f.user_is_sponsor


def tcn_sponsor_self(f: Situation) -> bool:
    """A third-country national bringing family: their own status is asked, unless their card or
    their reason to come already tells it."""
    return family(f) and f.user_is_sponsor and f.nat == "TCN" and f.implied_sponsor_type is None


def sponsor_has_right_date(f: Situation) -> bool:
    """The date the sponsor's right of residence started, unless it is still to come (the family
    applies together with the person)."""
    return (
        family(f)
        and f.sponsor_type in ("tcn_limited", "tcn_unlimited", "eu_eea_ch")
        and not f.applies_together
    )


def limited_sponsor(f: Situation) -> bool:
    return family(f) and f.sponsor_type == "tcn_limited"


def worker_visa_issued(f: Situation) -> bool:
    """The worker's visa date (ex-officio window), unless the family applies together with them."""
    return limited_sponsor(f) and not f.applies_together


def application_date_unknown(f: Situation) -> bool:
    """The family's application date, unless it is the person's own: applying together from abroad,
    it is taken as the start date (see :func:`flows.session.derived_answers`)."""
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
    return income_test(f) and not (f.user_is_sponsor and f.salaried)


def may_live_with_sponsor(f: Situation) -> bool:
    """Whether a member already lives legally with the sponsor in Belgium: not asked of a person who
    is abroad and brings their family (nobody lives with them in Belgium yet)."""
    return not (f.user_is_sponsor and f.location == "abroad")


def partner_can_come(f: Situation) -> bool:
    """A spouse or partner who can join; an unregistered partner only joins a Belgian or EU citizen
    (rules.md FR-PART-3: for a third-country sponsor they are not a family member)."""
    if f.relation == "partner_unregistered":
        return f.sponsor_type in DURABLE_RELATIONSHIP_SPONSORS
    return f.relation in PARTNERS


def durable_proof(f: Situation) -> bool:
    """Partners who are not married prove a durable relationship (rules.md F6)."""
    return partner_can_come(f) and f.relation in DURABLE_PROOF


def short_cohabitation(f: Situation) -> bool:
    return durable_proof(f) and f.cohabited_a_year is False


def meetings_needed(f: Situation) -> bool:
    return short_cohabitation(f) and f.common_child is False


def dependency_matters(f: Situation) -> bool:
    """Adult descendants and ascendants of Belgians / EU citizens must be dependent (FR-CH-4)."""
    return f.relation in ("child_adult", "parent", "other") and f.sponsor_type in ("belgian", "eu_eea_ch")
