"""Natural answers, read as the dialogue reads them (flows/interpret.py), in FR, NL and EN (issue 21):
options named inside a sentence and misspelt, several options in one sentence (with children's
ages and counts), partner words asked back, values inside a sentence (a date, a country, a commune,
a duration), dates as people say them, amounts of another period, and the two wrong readings of
the issue.

Each row: (question id, what is typed, what it must give), with the markers of test_phrases.py:
a plain value (read, nothing said back), ``said(value)`` (read and said back), ``confirm(amount)``,
``ask(*readings)`` (asked once which one) and ``REFUSED``; ``asked(key)`` is a refusal whose error
is that message (e.g. only the day is asked). Rows may carry the answers given before (a dict).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.i18n import LANGS, Lang, catalog, render, text
from flows.interpret import Reading, read_text
from flows.parsing.common import words
from flows.parsing.countries import code_index
from flows.questions import QUESTIONS, question
from tests.flows.test_phrases import REFUSED, ask, confirm, said

TODAY = date(2026, 6, 15)
START = {"start_date": "2026-09-01"}
POSTED = "foreign_employer_secondment"
TRANSFER = "group_transfer_from_non_EU_entity"
P_EQ, P_OTHER, P_FREE = "partner_registered_equivalent", "partner_registered_other", "partner_unregistered"
PARTNERS = (P_EQ, P_OTHER, P_FREE)
CHILDREN = ("child_minor", "child_adult", "child_adult_disabled")


@dataclass(frozen=True)
class asked:  # lower case: reads as a word in the tables
    key: str


def partner_and(*others: str) -> ask:
    """Asked which partnership, the other members kept (in the question's order)."""
    return ask(*([partner, *others] for partner in PARTNERS))


# fmt: off
FR: list[tuple[Any, ...]] = [
    # options named in words, within a sentence
    ("employer_type", "un restaurant à Bruxelles", said("belgian_employer")),
    ("employer_type", "une entreprise belge", said("belgian_employer")),
    ("employer_type", "l'hôpital Erasme à Anderlecht", said("belgian_employer")),
    ("employer_type", "une start-up à Louvain-la-Neuve", said("belgian_employer")),
    ("employer_type", "mon employeur est en Belgique", said("belgian_employer")),
    ("employer_type", "une banque", said("belgian_employer")),
    ("employer_type", "je suis détaché par une société indienne", said(POSTED)),
    ("employer_type", "transfert intragroupe depuis notre filiale en Inde",
     said(TRANSFER)),
    ("employer_type", "un resturant à Namur", said("belgian_employer")),
    ("se_region", "en Wallonie", said("WAL")),
    ("se_region", "Liège", said("WAL")),
    ("se_region", "à Gand", said("FL")),
    ("se_region", "je vais m'installer à Anvers", said("FL")),
    ("se_region", "en Flandre", said("FL")),
    ("se_region", "à Eupen", said("DG")),
    ("se_region", "à Schaerbeek", said("BXL")),
    ("se_region", "Charleroi", said("WAL")),
    ("means_type", "compte bloqué", said("blocked_account")),
    ("means_type", "un compte bloqué à mon nom", said("blocked_account")),
    ("means_type", "un garant, mon oncle", said("annex32_sponsor")),
    ("means_type", "mes parents ont signé l'annexe 32", said("annex32_sponsor")),
    ("means_type", "une bourse Erasmus", said("scholarship")),
    ("means_type", "mon salaire de job étudiant", said("own_income")),
    ("special", "aucune, je suis cuisinier", said(["none"])),
    ("special", "je suis infirmière", said(["nurse"])),
    ("special", "infirmier", ["nurse"]),
    ("special", "enseignant dans une école", said(["teacher"])),
    ("special", "non, rien de tout ça", said(["none"])),
    ("special", "je ne suis pas infirmière", REFUSED),
    ("special", "footballeur professionnel", said(["professional_athlete_or_coach"])),
    ("special", "travail saisonnier dans les vergers", said(["seasonal"])),
    ("special", "infirmiere", ["nurse"]),
    ("income_source", "mon salaire", said("employment")),
    ("income_source", "je suis à la retraite", said("pension")),
    ("income_source", "le chômage", said("unemployment")),
    ("income_source", "le CPAS", said("social_assistance")),
    ("income_source", "les allocations familiales", said("child_benefit")),
    ("income_source", "je suis indépendant", said("self_employed")),
    ("card_type", "j'ai une carte étudiant", said("A-student")),
    ("card_type", "un permis unique", said("A-single-permit")),
    ("card_type", "la carte bleue européenne", said("H-Blue-Card")),
    ("card_type", "juste un visa touristique", said("none")),
    ("card_type", "une carte F", said("F")),
    ("card_type", "carte orange", said("other")),
    ("card_type", "regroupement familial", said("A-family-reunification")),
    ("sponsor_category", "il est postdoc", said("postdoc")),
    ("sponsor_category", "elle a la carte bleue", said("blue_card")),
    ("postdoc", "oui, je suis postdoc", said(True)),
    ("contract_months", "un CDI à temps plein", said(0)),
    ("contract_months", "CDI", said(0)),
    ("contract_months", "un contrat de deux ans", said(24)),
    ("contract_months", "vingt-quatre mois", said(24)),
    ("study_admitted", "oui, à l'ULB", True),
    ("hosting_agreement", "oui j'ai une convention d'accueil", True),
    ("member_dependent", "non, elle travaille", False),
    ("shortage_bxl", "oui, je pense", said("yes")),
    ("qualification", "pas de diplôme du supérieur, juste une formation de cuisinier",
     said("vocational_level_3_4")),
    ("qualification", "pas de diplôme du supérieur", REFUSED),
    ("qualification", "un master en informatique", said("higher_ed_3y_plus")),
    ("qualification", "bac+5", said("higher_ed_3y_plus")),
    ("qualification", "j'ai fait des études d'ingénieur", said("higher_ed_3y_plus")),
    ("qualification", "juste le secondaire", said("vocational_level_3_4")),
    ("qualification", "aucun diplôme", said("none")),
    ("qualification", "pas de master", REFUSED),
    ("qualification", "un CAP de boulanger", said("vocational_level_3_4")),
    ("qualification", "une licence en droit", said("higher_ed_3y_plus")),
    ("qualification", "un mastre en gestion", said("higher_ed_3y_plus")),
    ("se_access_ok", "pas besoin, ce n'est pas une profession réglementée", said("yes")),
    ("se_access_ok", "ce n'est pas réglementé", said("yes")),
    ("se_access_ok", "oui, j'ai mon diplôme", "yes"),
    ("purposes", "travailler et faire venir ma femme", said(["employee", "bring_family"])),
    ("purposes", "je viens pour mes études", said(["study"])),
    ("purposes", "travailler comme indépendant", ["self_employed"]),
    ("purposes", "rejoindre mon mari qui vit à Bruxelles", said(["join_family"])),
    ("purposes", "faire un doctorat", said(["research"])),
    ("family_checks", "on a un appartement assez grand et une mutuelle", said(["housing", "insurance"])),
    ("family_checks", "l'assurance maladie seulement", said(["insurance"])),
    # several options in one sentence, with counts and ages
    ("family_who", "ma femme et mes enfants", said(["spouse", "child_minor"])),
    ("family_who", "ma femme et nos deux enfants, une fille de 15 ans et un fils de 8 ans",
     said(["spouse", "child_minor"])),
    ("family_who", "mon mari et notre fils de 20 ans", said(["spouse", "child_adult"])),
    ("family_who", "ma copine", partner_and()),
    ("family_who", "ma compagne et nos enfants",
     ask(*([option, "child_minor"] for option in ("spouse", *PARTNERS)))),
    ("family_who", "mes parents", said(["parent"])),
    ("family_who", "mon épouse, ma fille de 3 ans et mon fils de 19 ans",
     said(["spouse", "child_minor", "child_adult"])),
    ("family_who", "ma femme et mes trois enfants", said(["spouse", "child_minor"])),
    ("family_who", "juste mon mari", said(["spouse"])),
    ("family_who", "ma fille de dix-neuf ans", said(["child_adult"])),
    ("member_relation", "c'est ma femme", said("spouse")),
    ("member_relation", "mon fils de 12 ans", said("child_minor")),
    ("member_relation", "ma copine", ask(*PARTNERS)),
    ("member_relation", "ma mère", said("parent")),
    # values inside a sentence
    ("dob", "je suis né le 3 mars 1990", said(date(1990, 3, 3))),
    ("dob", "le 1er janvier 1985", date(1985, 1, 1)),
    ("dob", "né en mars 1990", asked("parse.date.which_day")),
    ("dob", "mars 1990", asked("parse.date.which_day")),
    ("family_dobs", "ma femme le 22 juillet 1991, ma fille le 20 juin 2011",
     said([date(1991, 7, 22), date(2011, 6, 20)])),
    ("family_dobs", "ma fille le 20 juin 2011, ma femme le 22 juillet 1991",
     said([date(1991, 7, 22), date(2011, 6, 20)])),
    ("current_location", "je suis en Inde, à Bangalore", said("abroad")),
    ("current_location", "au Maroc", said("abroad")),
    ("current_location", "je vis déjà à Liège", said("belgium")),
    ("current_location", "chez moi au Sénégal", said("abroad")),
    ("current_location", "en Belgique depuis deux ans", said("belgium")),
    ("work_postcode", "à Saint-Gilles, à Bruxelles", said("1060")),
    ("work_postcode", "un bureau à Gand", said("9000")),
    ("work_postcode", "Ixelles", said("1050")),
    ("work_postcode", "1000 Bruxelles", "1000"),
    ("work_postcode", "à Woluwe-Saint-Lambert", said("1200")),
    ("longest_absence_months", "2 mois, pendant l'été 2023", said(2.0)),
    ("dependants", "personne, je n'ai pas d'enfants", said(0)),
    ("dependants", "aucun", said(0)),
    ("member_nationality", "elle est marocaine", "MA"),
    ("member_nationality", "ma femme est marocaine, elle vit à Rabat", said("MA")),
    ("nationalities", "je suis indien", ["IN"]),
    # dates as people say them
    ("start_date", "début mars 2027", said(date(2027, 3, 1))),
    ("start_date", "fin juin 2027", said(date(2027, 6, 30))),
    ("start_date", "mi-mars 2027", said(date(2027, 3, 15))),
    ("start_date", "je commence en février", said(date(2027, 2, 1))),
    ("start_date", "septembre 2026", said(date(2026, 9, 1))),
    ("start_date", "à la rentrée 2026", said(date(2026, 9, 1))),
    ("start_date", "le 1er septembre", said(date(2026, 9, 1))),
    ("start_date", "dès que possible", said(TODAY)),
    ("start_date", "fin octobre", said(date(2026, 10, 31))),
    ("legal_residence_since", "depuis mars 2019", said(date(2019, 3, 1))),
    ("legal_residence_since", "en 2019", REFUSED),
    ("member_relation_start_date", "mariés en juin 2015", said(date(2015, 6, 1))),
    ("academic_year", "septembre 2027", said("2027-2028")),
    ("academic_year", "à la rentrée 2026", said("2026-2027")),
    ("academic_year", "2027", ask("2026-2027", "2027-2028")),
    ("academic_year", "2026-2027", "2026-2027"),
    ("family_application_date", "en même temps que moi", said("2026-09-01"), START),
    ("family_application_date", "en même temps que moi", REFUSED),
    # amounts in another period
    ("salary_month_base", "12 000 € pour l'année", confirm(1000.0)),
    ("salary_month_base", "60k par an", confirm(5000.0)),
    ("salary_month_base", "3500 brut par mois", 3500.0),
    ("salary_year", "4000 € par mois", confirm(48000.0)),
    # nothing invented
    ("dependants", "je ne sais pas combien", REFUSED),
    ("contract_months", "ça dépend", REFUSED),
    ("special", "bonjour", REFUSED),
    ("employer_type", "je ne sais pas encore", REFUSED),
    ("family_who", "bonjour", REFUSED),
    ("qualification", "bof", REFUSED),
    ("current_location", "pas sûr", REFUSED),
    # more everyday answers
    ("employer_type", "une société à Liège", said("belgian_employer")),
    ("employer_type", "c'est une PME belge", said("belgian_employer")),
    ("employer_type", "une entreprise américaine qui m'envoie en Belgique", said(POSTED)),
    ("employer_type", "ma boîte en Inde m'envoie en mission", said(POSTED)),
    ("current_location", "toujours au Cameroun", said("abroad")),
    ("current_location", "j'habite à Bruxelles", said("belgium")),
    ("current_location", "je suis à Casablanca", REFUSED),
    ("means_type", "mon père sera garant", said("annex32_sponsor")),
    ("special", "je suis prof", said(["teacher"])),
    ("special", "aucune de ces catégories", said(["none"])),
    ("income_source", "mon mari travaille", said("employment")),
    ("income_source", "pension de retraite", said("pension")),
    ("card_type", "je n'ai pas de carte", said("none")),
    ("card_type", "carte A", ask("A-student", "A-researcher", "A-single-permit", "A-search-year",
                                 "A-family-reunification")),
    ("card_type", "j'ai une carte A étudiant", said("A-student")),
    ("family_who", "mes enfants de 5 et 9 ans", said(["child_minor"])),
    ("family_who", "ma mère et mon père", said(["parent"])),
    ("purposes", "travailler et venir avec ma famille",
     ask(["employee", "join_family"], ["employee", "bring_family"])),
    ("qualification", "diplôme d'infirmière", REFUSED),
    ("qualification", "j'ai un BTS", said("vocational_level_3_4")),
    ("sponsor_type", "elle est française", said("eu_eea_ch")),
    ("sponsor_type", "il a la nationalité belge", said("belgian")),
    ("sponsor_type", "il a une carte B", said("tcn_unlimited")),
    ("contract_months", "CDD d'un an", said(12)),
    ("member_cohabitation_months", "on vit ensemble depuis 3 ans", said(36)),
    ("start_date", "le mois prochain", REFUSED),
    ("employer_type", "un hopital a Mons", said("belgian_employer")),
    ("employer_type", "chez Colruyt à Halle", said("belgian_employer")),
    ("employer_type", "mon entreprise actuelle me transfère depuis le Maroc", said(TRANSFER)),
    ("se_region", "à Mouscron", said("WAL")),
    ("se_region", "à Saint-Vith", said("DG")),
    ("se_region", "en Région flamande", said("FL")),
    ("means_type", "compte bloque", said("blocked_account")),
    ("special", "je suis entraineur de foot", said(["professional_athlete_or_coach"])),
    ("special", "je suis infirmière et enseignante", said(["nurse", "teacher"])),
    ("card_type", "carte F+", said("F+")),
    ("card_type", "carte F", said("F")),
    ("card_type", "je suis ici avec un visa", said("none")),
    ("family_who", "mes 2 enfants (7 et 12 ans)", said(["child_minor"])),
    ("family_who", "mon conjoint et nos trois enfants de 2, 5 et 9 ans", said(["spouse", "child_minor"])),
    ("family_who", "ma femme, mon fils handicapé de 25 ans", said(["spouse", "child_adult_disabled"])),
    ("family_who", "mon fils handicapé de 12 ans", said(["child_minor"])),
    ("family_who", "ma femme et ma belle-mère", said(["spouse", "other"])),
    ("member_relation", "ma fille de 19 ans", said("child_adult")),
    ("member_relation", "mon fils mineur", said("child_minor")),
    ("current_location", "à Kinshasa, au Congo", said("abroad")),
    ("work_postcode", "à Zaventem près de Bruxelles", said("1930")),
    ("work_postcode", "St-Gilles", said("1060")),
    ("longest_absence_months", "3 mois en 2022", said(3.0)),
    ("start_date", "mi-octobre", said(date(2026, 10, 15))),
    ("start_date", "d'ici septembre", said(date(2026, 9, 1))),
    ("card_expiry", "fin mars 2027", asked("parse.date.which_day")),
    ("member_meetings_count", "on s'est vus 4 fois", 4),
    ("family_who", "mes enfants de moins de 18 ans", said(["child_minor"])),
    ("family_who", "ma femme et mes enfants majeurs", said(["spouse", "child_adult"])),
    ("family_who", "ma femme et nos enfants de 4 et 21 ans", said(["spouse", "child_minor", "child_adult"])),
    ("family_who", "mon ex-femme et mes enfants", said(["child_minor"])),
    ("family_who", "pas ma femme, juste mes enfants", said(["child_minor"])),
    ("qualification", "j'ai arrêté l'université", REFUSED),
    ("qualification", "un master pas fini", REFUSED),
    ("current_location", "pas encore en Belgique", said("abroad")),
    ("member_relation", "ma future femme", REFUSED),
    ("hosting_agreement", "ouii", True),
    ("hosting_agreement", "oui, signée la semaine dernière", True),
    ("hosting_agreement", "non, pas encore", False),
    ("ltr_insurance_ok", "je crois que oui", "yes"),
    ("sponsor_type", "il a un titre de séjour illimité", said("tcn_unlimited")),
    ("salary_month_base", "mon salaire sera de 4 200 € brut par mois", 4200.0),
    ("salary_month_base", "je vais gagner 3800 euros", 3800.0),
    ("sponsor_net_income", "30 000 par an", confirm(2500.0)),
]

NL: list[tuple[Any, ...]] = [
    ("employer_type", "een ziekenhuis in Gent", said("belgian_employer")),
    ("employer_type", "een Belgisch bedrijf", said("belgian_employer")),
    ("employer_type", "een restaurant in Antwerpen", said("belgian_employer")),
    ("employer_type", "de universiteit van Leuven", said("belgian_employer")),
    ("employer_type", "een bakkerij", said("belgian_employer")),
    ("employer_type", "ik word gedetacheerd door een Indisch bedrijf", said(POSTED)),
    ("employer_type", "overplaatsing binnen de groep vanuit China",
     said(TRANSFER)),
    ("employer_type", "een ziekenhuys in Brugge", said("belgian_employer")),
    ("se_region", "in Wallonië", said("WAL")),
    ("se_region", "Luik", said("WAL")),
    ("se_region", "in Gent", said("FL")),
    ("se_region", "Vlaanderen", "FL"),
    ("se_region", "in Eupen", said("DG")),
    ("se_region", "Brussel", "BXL"),
    ("se_region", "ik ga in Hasselt wonen", said("FL")),
    ("means_type", "geblokkeerde rekening", said("blocked_account")),
    ("means_type", "een borg, mijn oom", said("annex32_sponsor")),
    ("means_type", "bijlage 32", said("annex32_sponsor")),
    ("means_type", "een studiebeurs", "scholarship"),
    ("means_type", "mijn studentenjob", said("own_income")),
    ("special", "ik ben verpleegkundige", said(["nurse"])),
    ("special", "verpleegster", said(["nurse"])),
    ("special", "geen, ik ben kok", said(["none"])),
    ("special", "ik ben leerkracht", said(["teacher"])),
    ("special", "ik ben geen verpleegkundige", REFUSED),
    ("special", "seizoenswerk in de fruitpluk", said(["seasonal"])),
    ("special", "profvoetballer", said(["professional_athlete_or_coach"])),
    ("special", "voetballer", said(["professional_athlete_or_coach"])),
    ("special", "verplegkundige", said(["nurse"])),
    ("income_source", "mijn loon", said("employment")),
    ("income_source", "pensioen", "pension"),
    ("income_source", "werkloosheidsuitkering", "unemployment"),
    ("income_source", "leefloon van het OCMW", said("social_assistance")),
    ("income_source", "het groeipakket", said("child_benefit")),
    ("income_source", "ik ben zelfstandige", said("self_employed")),
    ("card_type", "gecombineerde vergunning", said("A-single-permit")),
    ("card_type", "een studentenkaart", said("A-student")),
    ("card_type", "de Europese blauwe kaart", said("H-Blue-Card")),
    ("card_type", "alleen een toeristenvisum", said("none")),
    ("card_type", "een F-kaart", said("F")),
    ("card_type", "gezinshereniging", said("A-family-reunification")),
    ("sponsor_category", "hij is postdoc", said("postdoc")),
    ("sponsor_category", "zij heeft een blauwe kaart", said("blue_card")),
    ("postdoc", "ja, ik ben postdoc", said(True)),
    ("contract_months", "contract voor onbepaalde tijd", said(0)),
    ("contract_months", "een vast contract", said(0)),
    ("contract_months", "twee jaar", said(24)),
    ("contract_months", "drieëntwintig maanden", said(23)),
    ("contract_months", "voltijds, onbepaalde duur", said(0)),
    ("study_admitted", "ja, aan de KU Leuven", True),
    ("hosting_agreement", "ja ik heb een gastovereenkomst", True),
    ("member_dependent", "nee, ze werkt", False),
    ("shortage_fl", "weet ik niet", said("unknown")),
    ("qualification", "geen hoger diploma, wel een koksopleiding", said("vocational_level_3_4")),
    ("qualification", "geen hoger diploma", REFUSED),
    ("qualification", "master in de informatica", said("higher_ed_3y_plus")),
    ("qualification", "een bachelor verpleegkunde", said("higher_ed_3y_plus")),
    ("qualification", "middelbare school", said("vocational_level_3_4")),
    ("qualification", "geen diploma", said("none")),
    ("qualification", "geen master", REFUSED),
    ("qualification", "ik heb een doctoraat", said("higher_ed_3y_plus")),
    ("qualification", "bachelr", said("higher_ed_3y_plus")),
    ("se_access_ok", "niet nodig, het is geen gereglementeerd beroep", said("yes")),
    ("se_access_ok", "is niet gereglementeerd", said("yes")),
    ("se_access_ok", "ja, ik heb mijn diploma", "yes"),
    ("purposes", "werken en mijn vrouw laten overkomen", said(["employee", "bring_family"])),
    ("purposes", "om te studeren", said(["study"])),
    ("purposes", "werken als zelfstandige", ["self_employed"]),
    ("purposes", "bij mijn man in Gent wonen", said(["join_family"])),
    ("purposes", "een doctoraat doen", said(["research"])),
    ("family_checks", "we hebben een woning die groot genoeg is en een ziekenfonds",
     said(["housing", "insurance"])),
    ("family_checks", "alleen de ziekteverzekering", said(["insurance"])),
    # several options in one sentence
    ("family_who", "mijn vrouw en twee kinderen", said(["spouse", "child_minor"])),
    ("family_who", "mijn vriendin", partner_and()),
    ("family_who", "mijn lief", partner_and()),
    ("family_who", "partner", ask(*([option] for option in ("spouse", *PARTNERS)))),
    ("family_who", "mijn man en onze dochter van 16 jaar", said(["spouse", "child_minor"])),
    ("family_who", "mijn vrouw, een zoon van 22 en een dochter van 10 jaar",
     said(["spouse", "child_minor", "child_adult"])),
    ("family_who", "mijn ouders", said(["parent"])),
    ("family_who", "mijn vriendin en de kinderen", partner_and("child_minor")),
    ("family_who", "alleen mijn echtgenote", said(["spouse"])),
    ("family_who", "mijn zoon van negentien jaar", said(["child_adult"])),
    ("member_relation", "dat is mijn vrouw", said("spouse")),
    ("member_relation", "mijn dochter van 7 jaar", said("child_minor")),
    ("member_relation", "mijn vriendin", ask(*PARTNERS)),
    ("member_relation", "mijn moeder", said("parent")),
    # values inside a sentence
    ("dob", "ik ben geboren op 17 januari 1990", said(date(1990, 1, 17))),
    ("dob", "17 januari 1990", date(1990, 1, 17)),
    ("dob", "maart 1990", asked("parse.date.which_day")),
    ("family_dobs", "mijn vrouw op 22 juli 1991, mijn dochter op 20 juni 2011",
     said([date(1991, 7, 22), date(2011, 6, 20)])),
    ("family_dobs", "mijn dochter 20/06/2011, mijn vrouw 22/07/1991",
     said([date(1991, 7, 22), date(2011, 6, 20)])),
    ("current_location", "ik ben in India, in Bangalore", said("abroad")),
    ("current_location", "in Marokko", said("abroad")),
    ("current_location", "ik woon al in Gent", said("belgium")),
    ("current_location", "nog in Turkije", said("abroad")),
    ("work_postcode", "in Sint-Gillis, in Brussel", said("1060")),
    ("work_postcode", "een kantoor in Gent", said("9000")),
    ("work_postcode", "Elsene", said("1050")),
    ("work_postcode", "2000 Antwerpen", "2000"),
    ("longest_absence_months", "2 maanden, in de zomer van 2023", said(2.0)),
    ("dependants", "niemand, ik heb geen kinderen", said(0)),
    ("dependants", "twee kinderen", said(2)),
    ("member_nationality", "ze is Marokkaanse", "MA"),
    ("member_nationality", "mijn vrouw is Marokkaanse, ze woont in Rabat", said("MA")),
    ("nationalities", "ik ben Indiër", ["IN"]),
    # dates as people say them
    ("start_date", "eind juni 2027", said(date(2027, 6, 30))),
    ("start_date", "begin april", said(date(2027, 4, 1))),
    ("start_date", "begin maart 2027", said(date(2027, 3, 1))),
    ("start_date", "half maart 2027", said(date(2027, 3, 15))),
    ("start_date", "ik begin in februari", said(date(2027, 2, 1))),
    ("start_date", "september 2026", said(date(2026, 9, 1))),
    ("start_date", "zo snel mogelijk", said(TODAY)),
    ("start_date", "midden oktober", said(date(2026, 10, 15))),
    ("legal_residence_since", "in maart 2021", said(date(2021, 3, 1))),
    ("legal_residence_since", "sinds 2019", REFUSED),
    ("member_known_since", "sinds mei 2018", said(date(2018, 5, 1))),
    ("academic_year", "september 2027", said("2027-2028")),
    ("academic_year", "februari 2027", said("2026-2027")),
    ("academic_year", "2027", ask("2026-2027", "2027-2028")),
    ("family_application_date", "tegelijk met mij", said("2026-09-01"), START),
    ("family_application_date", "samen met mij", said("2026-09-01"), START),
    # amounts in another period
    ("salary_month_base", "48 000 euro per jaar", confirm(4000.0)),
    ("salary_month_base", "3500 bruto per maand", 3500.0),
    ("salary_year", "4000 euro per maand", confirm(48000.0)),
    # nothing invented
    ("dependants", "weet ik niet", REFUSED),
    ("contract_months", "hangt ervan af", REFUSED),
    ("special", "hallo", REFUSED),
    ("employer_type", "weet ik nog niet", REFUSED),
    ("family_who", "hallo", REFUSED),
    ("qualification", "tja", REFUSED),
    # more everyday answers
    ("employer_type", "een bedrijf in Leuven", said("belgian_employer")),
    ("employer_type", "een Amerikaans bedrijf dat mij naar België stuurt", said(POSTED)),
    ("employer_type", "een fabriek", said("belgian_employer")),
    ("current_location", "ik woon in Brussel", said("belgium")),
    ("current_location", "nog in mijn land", said("abroad")),
    ("means_type", "mijn ouders staan borg", said("annex32_sponsor")),
    ("special", "geen enkele", said(["none"])),
    ("special", "ik werk als kok", REFUSED),
    ("income_source", "mijn man werkt", said("employment")),
    ("income_source", "ik heb een pensioen", said("pension")),
    ("card_type", "ik heb geen kaart", said("none")),
    ("card_type", "A-kaart", ask("A-student", "A-researcher", "A-single-permit", "A-search-year",
                                 "A-family-reunification")),
    ("card_type", "verblijfskaart als student", said("A-student")),
    ("family_who", "mijn twee kinderen", said(["child_minor"])),
    ("family_who", "mijn vrouw en onze baby", said(["spouse", "child_minor"])),
    ("family_who", "mijn kinderen van 5 en 9 jaar", said(["child_minor"])),
    ("qualification", "alleen middelbaar", said("vocational_level_3_4")),
    ("purposes", "bij mijn familie wonen", said(["join_family"])),
    ("purposes", "met mijn gezin", ask(["join_family"], ["bring_family"])),
    ("se_region", "Namen", said("WAL")),
    ("se_region", "Bergen", said("WAL")),
    ("sponsor_type", "hij is Belg", said("belgian")),
    ("sponsor_type", "zij is Nederlandse", said("eu_eea_ch")),
    ("sponsor_type", "hij is erkend vluchteling", said("international_protection")),
    ("contract_months", "tijdelijk contract van een jaar", said(12)),
    ("member_cohabitation_months", "we wonen al 3 jaar samen", said(36)),
    ("employer_type", "een IT-bedrijf in Mechelen", said("belgian_employer")),
    ("employer_type", "mijn huidige werkgever plaatst mij over vanuit Marokko", said(TRANSFER)),
    ("se_region", "in Moeskroen", said("WAL")),
    ("se_region", "in Sankt Vith", said("DG")),
    ("special", "ik ben voetbaltrainer", said(["professional_athlete_or_coach"])),
    ("special", "ik ben verpleegkundige en leraar", said(["nurse", "teacher"])),
    ("card_type", "F+-kaart", said("F+")),
    ("card_type", "ik ben hier met een visum", said("none")),
    ("family_who", "mijn 2 kinderen (7 en 12 jaar)", said(["child_minor"])),
    ("family_who", "mijn vrouw en mijn gehandicapte zoon van 25", said(["spouse", "child_adult_disabled"])),
    ("family_who", "mijn verloofde", partner_and()),
    ("family_who", "mijn schoonmoeder", said(["other"])),
    ("member_relation", "mijn dochter van 19", said("child_adult")),
    ("current_location", "in Kinshasa, Congo", said("abroad")),
    ("work_postcode", "in Zaventem bij Brussel", said("1930")),
    ("work_postcode", "Sint-Niklaas", said("9100")),
    ("longest_absence_months", "3 maanden in 2022", said(3.0)),
    ("start_date", "half oktober", said(date(2026, 10, 15))),
    ("family_application_date", "tegelijkertijd", said("2026-09-01"), START),
    ("member_meetings_count", "we hebben elkaar 4 keer gezien", 4),
    ("family_who", "mijn kinderen onder de 18", said(["child_minor"])),
    ("family_who", "mijn volwassen zoon", said(["child_adult"])),
    ("family_who", "mijn ex-vrouw en de kinderen", said(["child_minor"])),
    ("family_who", "niet mijn vrouw, alleen de kinderen", said(["child_minor"])),
    ("qualification", "geen master maar een bachelor", said("higher_ed_3y_plus")),
    ("current_location", "nog niet in België", said("abroad")),
    ("hosting_agreement", "jaa", True),
    ("hosting_agreement", "ja, vorige week getekend", True),
    ("ltr_insurance_ok", "ik denk het wel", "yes"),
    ("sponsor_type", "hij heeft een B-kaart", said("tcn_unlimited")),
    ("salary_month_base", "mijn loon wordt 4.200 euro bruto per maand", 4200.0),
    ("sponsor_net_income", "30.000 euro per jaar", confirm(2500.0)),
]

EN: list[tuple[Any, ...]] = [
    ("employer_type", "an engineering company in Ghent", said("belgian_employer")),
    ("employer_type", "a Belgian company", said("belgian_employer")),
    ("employer_type", "a hospital in Brussels", said("belgian_employer")),
    ("employer_type", "the university of Liège", said("belgian_employer")),
    ("employer_type", "a start-up", said("belgian_employer")),
    ("employer_type", "I'm seconded by my Indian employer", said(POSTED)),
    ("employer_type", "an intra-company transfer from our US office",
     said(TRANSFER)),
    ("employer_type", "a compnay in Antwerp", said("belgian_employer")),
    ("se_region", "in Wallonia", said("WAL")),
    ("se_region", "Liège", said("WAL")),
    ("se_region", "in Ghent", said("FL")),
    ("se_region", "Flanders", "FL"),
    ("se_region", "Eupen", said("DG")),
    ("se_region", "I'll set up in Antwerp", said("FL")),
    ("se_region", "Brussels", "BXL"),
    ("means_type", "a blocked account", said("blocked_account")),
    ("means_type", "a guarantor, my uncle", said("annex32_sponsor")),
    ("means_type", "annex 32 signed by my father", said("annex32_sponsor")),
    ("means_type", "an Erasmus grant", said("scholarship")),
    ("means_type", "my own savings", said("own_income")),
    ("special", "I'm a nurse", said(["nurse"])),
    ("special", "none, I'm a cook", said(["none"])),
    ("special", "teacher", ["teacher"]),
    ("special", "I'm not a nurse", REFUSED),
    ("special", "a professional football player", said(["professional_athlete_or_coach"])),
    ("special", "seasonal work on a farm", said(["seasonal"])),
    ("special", "nurce", said(["nurse"])),
    ("special", "I am the managing director", said(["executive_director"])),
    ("income_source", "salary", said("employment")),
    ("income_source", "my pension", said("pension")),
    ("income_source", "unemployment benefits", "unemployment"),
    ("income_source", "welfare from the CPAS", said("social_assistance")),
    ("income_source", "child benefit", said("child_benefit")),
    ("income_source", "I'm self-employed", said("self_employed")),
    ("card_type", "student card", said("A-student")),
    ("card_type", "a single permit", said("A-single-permit")),
    ("card_type", "the EU blue card", said("H-Blue-Card")),
    ("card_type", "just a tourist visa", said("none")),
    ("card_type", "an F card", said("F")),
    ("card_type", "family reunification", said("A-family-reunification")),
    ("sponsor_category", "he's a postdoc", said("postdoc")),
    ("sponsor_category", "she has a blue card", said("blue_card")),
    ("postdoc", "yes, I'm a postdoc", said(True)),
    ("contract_months", "permanent, full time", said(0)),
    ("contract_months", "a permanent contract", said(0)),
    ("contract_months", "two years", said(24)),
    ("contract_months", "twenty-four months", said(24)),
    ("study_admitted", "yes, at the ULB", True),
    ("hosting_agreement", "yes I have one", True),
    ("member_dependent", "no, she works", False),
    ("shortage_wal", "no idea", said("unknown")),
    ("qualification", "no university degree, just chef training", said("vocational_level_3_4")),
    ("qualification", "no university degree", REFUSED),
    ("qualification", "a master's in computer science", said("higher_ed_3y_plus")),
    ("qualification", "BSc in nursing", said("higher_ed_3y_plus")),
    ("qualification", "high school", said("vocational_level_3_4")),
    ("qualification", "no degree", said("none")),
    ("qualification", "not a master", REFUSED),
    ("qualification", "I have a PhD", said("higher_ed_3y_plus")),
    ("qualification", "masters in enginering", said("higher_ed_3y_plus")),
    ("qualification", "no degree but 5 years of IT experience", said("ict_experience_3y_in_last_7y")),
    ("se_access_ok", "no need, it's not a regulated profession", said("yes")),
    ("se_access_ok", "not regulated", said("yes")),
    ("se_access_ok", "yes, I have my licence", "yes"),
    ("purposes", "work and bring my wife", said(["employee", "bring_family"])),
    ("purposes", "to study", said(["study"])),
    ("purposes", "work as a freelancer", said(["self_employed"])),
    ("purposes", "join my husband in Ghent", said(["join_family"])),
    ("purposes", "do a PhD", said(["research"])),
    ("family_checks", "we have a big enough flat and health insurance", said(["housing", "insurance"])),
    ("family_checks", "only the health insurance", said(["insurance"])),
    # several options in one sentence
    ("family_who", "my wife and two kids", said(["spouse", "child_minor"])),
    ("family_who", "my girlfriend", partner_and()),
    ("family_who", "partner", ask(*([option] for option in ("spouse", *PARTNERS)))),
    ("family_who", "my husband and our daughter aged 16", said(["spouse", "child_minor"])),
    ("family_who", "my wife, a son aged 20 and a daughter aged 12",
     said(["spouse", "child_minor", "child_adult"])),
    ("family_who", "my parents", said(["parent"])),
    ("family_who", "my partner and the kids",
     ask(*([option, "child_minor"] for option in ("spouse", *PARTNERS)))),
    ("family_who", "just my wife", said(["spouse"])),
    ("family_who", "my son, nineteen years old", said(["child_adult"])),
    ("family_who", "my wife and my 3 children", said(["spouse", "child_minor"])),
    ("member_relation", "she's my wife", said("spouse")),
    ("member_relation", "my son, 12 years old", said("child_minor")),
    ("member_relation", "my girlfriend", ask(*PARTNERS)),
    ("member_relation", "my mother", said("parent")),
    # values inside a sentence
    ("dob", "he was born on 17 January 1990", said(date(1990, 1, 17))),
    ("dob", "January 17, 1990", date(1990, 1, 17)),
    ("dob", "March 1990", asked("parse.date.which_day")),
    ("family_dobs", "my wife on 22 July 1991, my daughter on 20 June 2011",
     said([date(1991, 7, 22), date(2011, 6, 20)])),
    ("family_dobs", "my daughter 20/06/2011, my wife 22/07/1991",
     said([date(1991, 7, 22), date(2011, 6, 20)])),
    ("current_location", "I'm in India, in Bangalore", said("abroad")),
    ("current_location", "in Morocco", said("abroad")),
    ("current_location", "I already live in Leuven", said("belgium")),
    ("current_location", "still in Turkey", said("abroad")),
    ("work_postcode", "in Saint-Gilles, Brussels", said("1060")),
    ("work_postcode", "an office in Ghent", said("9000")),
    ("work_postcode", "Ixelles", said("1050")),
    ("work_postcode", "1000 Brussels", "1000"),
    ("longest_absence_months", "2 months, in the summer of 2023", said(2.0)),
    ("dependants", "nobody, I have no children", said(0)),
    ("dependants", "two kids", said(2)),
    ("member_nationality", "she is Moroccan", "MA"),
    ("member_nationality", "my wife is Moroccan, she lives in Rabat", said("MA")),
    ("nationalities", "I'm Indian", ["IN"]),
    # dates as people say them
    ("start_date", "end of October 2027", said(date(2027, 10, 31))),
    ("start_date", "early March", said(date(2027, 3, 1))),
    ("start_date", "mid-March 2027", said(date(2027, 3, 15))),
    ("start_date", "beginning of April 2027", said(date(2027, 4, 1))),
    ("start_date", "I start in February", said(date(2027, 2, 1))),
    ("start_date", "September 2026", said(date(2026, 9, 1))),
    ("start_date", "as soon as possible", said(TODAY)),
    ("start_date", "late November", said(date(2026, 11, 30))),
    ("legal_residence_since", "since March 2021", said(date(2021, 3, 1))),
    ("legal_residence_since", "since 2019", REFUSED),
    ("member_known_since", "we met in May 2018", said(date(2018, 5, 1))),
    ("academic_year", "September 2027", said("2027-2028")),
    ("academic_year", "starting in September 2026", said("2026-2027")),
    ("academic_year", "2027", ask("2026-2027", "2027-2028")),
    ("family_application_date", "at the same time as me", said("2026-09-01"), START),
    ("family_application_date", "together with me", said("2026-09-01"), START),
    # amounts in another period
    ("salary_month_base", "60,000 a year", confirm(5000.0)),
    ("salary_month_base", "€3,500 gross per month", 3500.0),
    ("salary_year", "4000 euros a month", confirm(48000.0)),
    # nothing invented
    ("dependants", "I don't know", REFUSED),
    ("contract_months", "it depends", REFUSED),
    ("special", "hello", REFUSED),
    ("employer_type", "not sure yet", REFUSED),
    ("family_who", "hello", REFUSED),
    ("qualification", "meh", REFUSED),
    ("start_date", "I may start soon", REFUSED),
    # more everyday answers
    ("employer_type", "a company in Leuven", said("belgian_employer")),
    ("employer_type", "an American company sending me to Belgium", said(POSTED)),
    ("employer_type", "a factory", said("belgian_employer")),
    ("current_location", "I live in Brussels", said("belgium")),
    ("current_location", "still in my home country", said("abroad")),
    ("current_location", "I'm in Nigeria", said("abroad")),
    ("current_location", "I'm in Lagos", REFUSED),
    ("means_type", "my parents are my guarantors", said("annex32_sponsor")),
    ("special", "none of them", said(["none"])),
    ("special", "I work as a cook", REFUSED),
    ("income_source", "my husband works", said("employment")),
    ("income_source", "I get a pension", said("pension")),
    ("card_type", "I don't have a card", said("none")),
    ("card_type", "residence permit as a student", said("A-student")),
    ("family_who", "my two children", said(["child_minor"])),
    ("family_who", "my wife and our baby", said(["spouse", "child_minor"])),
    ("family_who", "my kids aged 5 and 9", said(["child_minor"])),
    ("qualification", "a nursing diploma", REFUSED),
    ("qualification", "only high school", said("vocational_level_3_4")),
    ("purposes", "live with my family", ask(["join_family"], ["bring_family"])),
    ("purposes", "I want to bring my family", said(["bring_family"])),
    ("sponsor_type", "he is Belgian", said("belgian")),
    ("sponsor_type", "she's French", said("eu_eea_ch")),
    ("sponsor_type", "he's a recognised refugee", said("international_protection")),
    ("contract_months", "fixed-term contract of one year", said(12)),
    ("member_cohabitation_months", "we've lived together for 3 years", said(36)),
    ("start_date", "next month", REFUSED),
    ("employer_type", "an IT company in Mechelen", said("belgian_employer")),
    ("employer_type", "my current employer is transferring me from Morocco", said(TRANSFER)),
    ("se_region", "in Mouscron", said("WAL")),
    ("special", "I'm a football coach", said(["professional_athlete_or_coach"])),
    ("special", "I'm a nurse and a teacher", said(["nurse", "teacher"])),
    ("card_type", "F+ card", said("F+")),
    ("card_type", "I'm here on a visa", said("none")),
    ("family_who", "my wife and my 17-year-old daughter", said(["spouse", "child_minor"])),
    ("family_who", "my 2 kids (7 and 12)", said(["child_minor"])),
    ("family_who", "my wife and my disabled son, 25", said(["spouse", "child_adult_disabled"])),
    ("family_who", "my mother-in-law", said(["other"])),
    ("family_who", "my wife and my mother", said(["spouse", "parent"])),
    ("member_relation", "my 19-year-old daughter", said("child_adult")),
    ("current_location", "in Kinshasa, Congo", said("abroad")),
    ("work_postcode", "in Zaventem near Brussels", said("1930")),
    ("longest_absence_months", "3 months in 2022", said(3.0)),
    ("start_date", "mid October", said(date(2026, 10, 15))),
    ("start_date", "the beginning of next year", REFUSED),
    ("member_meetings_count", "we met 4 times", 4),
    ("family_who", "my wife and kids under 18", said(["spouse", "child_minor"])),
    ("family_who", "my adult son", said(["child_adult"])),
    ("family_who", "my ex-wife and the kids", said(["child_minor"])),
    ("qualification", "bachelor not finished", REFUSED),
    ("qualification", "I dropped out of university", REFUSED),
    ("current_location", "not in Belgium yet", said("abroad")),
    ("start_date", "late March 2027", said(date(2027, 3, 31))),
    ("hosting_agreement", "yess", True),
    ("hosting_agreement", "nope not yet", False),
    ("ltr_insurance_ok", "I think so", "yes"),
    ("sponsor_type", "he has a B card", said("tcn_unlimited")),
    ("salary_year", "I'll earn 55,000 euros per year", 55000.0),
    ("sponsor_net_income", "30000 per year", confirm(2500.0)),
]
# fmt: on

TABLES: dict[Lang, list[tuple[Any, ...]]] = {"fr": FR, "nl": NL, "en": EN}
TABLE = [(lang, *row) if len(row) == 4 else (lang, *row, {}) for lang, rows in TABLES.items() for row in rows]


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_iso(item) for item in value]
    return value


def _check_error(result: Reading) -> None:
    assert result.error is not None, "a refused answer says what to type"
    for lang in LANGS:
        assert result.error.key in catalog(lang)
        assert render(result.error, lang)


@pytest.mark.parametrize(("lang", "qid", "typed", "expected", "before"), TABLE)
def test_natural_answers(lang: Lang, qid: str, typed: str, expected: Any, before: dict[str, Any]) -> None:
    result = read_text(question(qid), typed, lang, TODAY, before)
    if expected is REFUSED:
        assert result.value is None and not result.alternatives, result
        _check_error(result)
    elif isinstance(expected, asked):
        assert result.value is None and result.error is not None and result.error.key == expected.key, result
    elif isinstance(expected, ask):
        assert result.value is None and result.alternatives == tuple(expected.options), result
        _check_error(result)
    elif isinstance(expected, confirm):
        assert result.value == pytest.approx(expected.value) and result.confirm is not None, result
    elif isinstance(expected, said):
        assert result.value == _iso(expected.value) and result.error is None, result
        assert result.understood is not None and result.understood.key in catalog(lang), result
        assert "{" not in render(result.understood, lang) and "question." not in render(
            result.understood, lang
        )
    else:
        assert result.value == _iso(expected) and result.error is None, result


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_a_hundred_and_fifty_answers(lang: Lang) -> None:
    assert len(TABLES[lang]) >= 150


# --- no value invented ---------------------------------------------------------------------------

FILLER = [
    "je", "suis", "très", "content", "merci", "bonjour", "vraiment", "c'est", "la", "le", "de", "et",
    "ik", "ben", "blij", "dank", "u", "echt", "het", "een", "van", "en", "is", "hello", "thanks",
    "the", "of", "and", "really", "I", "think", "so", "well", "voilà", "euh", "hmm", "alors", "dus",
    "ok", "then", "beaucoup", "veel", "much", ",", ".", "!", "🙂", "(", ")", "-", "'",
]  # fmt: skip


def _meaningful_words() -> frozenset[str]:
    """Every word that may carry a value somewhere: option words and labels, numbers, yes / no,
    months, countries, places, "as soon as possible", "at the same time"."""
    from flows.parsing.countries import name_index
    from flows.parsing.dates import month_names
    from flows.parsing.places import place_index
    from flows.parsing.wordlists import every_language, section, word_files

    found: set[str] = set(month_names()) | {t for key in name_index() for t in key.split()}
    found |= {t for key in place_index() for t in key.split()}
    for lang in word_files():
        for lists in section(lang, "options").values():
            if isinstance(lists, dict):
                found |= {t for phrases in lists.values() for p in phrases for t in words(p).split()}
        for values in section(lang, "numbers", "values").values():
            found |= {t for p in values for t in words(p).split()}
    for path in (
        ("answers", "yes"),
        ("answers", "no"),
        ("answers", "unsure"),
        ("answers", "whole_yes"),
        ("answers", "whole_no"),
        ("dates", "asap"),
        ("dates", "same_time"),
    ):
        found |= {t for p in every_language(*path) for t in p.split()}
    for lang in LANGS:
        found |= {
            t for key, label in catalog(lang).items() if ".option." in key for t in words(label).split()
        }
    return frozenset(found)  # fmt: skip


MEANINGFUL = _meaningful_words()
COUNTRY_CODES = frozenset(code for index in code_index() for code in index)
READ_KINDS = (
    "choice", "multi_choice", "yes_no", "yes_no_unsure", "integer", "number", "money", "date", "dates",
    "postcode", "country", "countries", "academic_year",
)  # fmt: skip
TYPED_QUESTIONS = sorted(qid for qid, q in QUESTIONS.items() if q.kind in READ_KINDS)
# Filler that names nothing by itself, so that few drawn sentences are thrown away by ``assume``.
EMPTY_FILLER = sorted(word for word in FILLER if not MEANINGFUL & set(words(word).split()))


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(
    typed=st.lists(st.sampled_from(EMPTY_FILLER), min_size=1, max_size=9).map(" ".join),
    lang=st.sampled_from(LANGS),
    question_id=st.sampled_from(TYPED_QUESTIONS),
)
def test_words_that_hold_no_value_give_none(typed: str, lang: Lang, question_id: str) -> None:
    """Issue 17's rule, for sentences: whatever the question, words that name no option, number,
    date, place or country store nothing and offer nothing to choose (misspellings included). A
    lone "?" is left out: it is read as "not sure" where a question offers that."""
    said = set(words(typed).split())
    assume(not MEANINGFUL & said)
    if QUESTIONS[question_id].kind in ("country", "countries"):  # 'so', 'de' typed alone are codes
        assume(not said & COUNTRY_CODES)
    result = read_text(QUESTIONS[question_id], typed, lang, TODAY, START)
    assert result.value is None and not result.alternatives, (question_id, typed, result)


@pytest.mark.parametrize(
    ("lang", "typed", "shown"),
    [
        (
            "fr",
            "ma femme et nos deux enfants, une fille de 15 ans et un fils de 8 ans",
            "(enfants de 15, 8 ans)",
        ),
        ("nl", "mijn vrouw en twee kinderen", "(2 kinderen)"),
        ("en", "my wife, a son aged 20 and a daughter aged 12", "(children aged 20, 12)"),
    ],
)
def test_the_family_is_said_back_with_the_children_ages_or_count(lang: Lang, typed: str, shown: str) -> None:
    result = read_text(question("family_who"), typed, lang, TODAY)
    assert result.understood is not None
    said_back = render(result.understood, lang)
    assert said_back.endswith(f"{shown}.") and text(lang, "question.family_who.option.spouse") in said_back


@pytest.mark.parametrize(
    ("lang", "typed", "shown"),
    [
        ("fr", "mars 2027", "1er mars 2027"),
        ("en", "March 2027", "1 March 2027"),
        ("nl", "maart 2027", "1 maart 2027"),
    ],
)
def test_a_month_for_a_planned_start_is_said_back_as_from_its_first_day(
    lang: Lang, typed: str, shown: str
) -> None:
    result = read_text(question("start_date"), typed, lang, TODAY)
    assert result.value == "2027-03-01" and result.understood is not None
    assert shown in render(result.understood, lang)


@pytest.mark.parametrize(("lang", "before"), [("fr", "à"), ("nl", "in"), ("en", "in")])
def test_every_commune_gives_its_region_and_belgium(lang: Lang, before: str) -> None:
    """The communes of flows/data/municipalities.toml, named in a sentence: the region of the
    business, "in Belgium" for where the person is, an employer in Belgium ('in Thuin' is no typo
    of 'thuis')."""
    from bot.engine import region_of_postcode
    from flows.parsing.places import communes, place_index, place_key

    for postcode, names in communes():
        for name in names:
            typed = f"{before} {name}"
            assert read_text(question("current_location"), typed, lang, TODAY).value == "belgium", typed
            assert read_text(question("employer_type"), typed, lang, TODAY).value == "belgian_employer", typed
            if len(place_index()[place_key(name)]) == 1:  # 'Saint-Nicolas' is two communes
                region = read_text(question("se_region"), typed, lang, TODAY).value
                assert region == region_of_postcode(postcode), typed
