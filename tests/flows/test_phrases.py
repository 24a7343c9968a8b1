"""What people type, read with each question's own declaration (flows/questions.py), in FR, NL, EN.

Each row: (tag, language, question id, what is typed, what it must give). Tags: ``words`` for the
inputs of issue 17 (articles, several numbers, units, code-like junk, emoji) and ``phrase`` for the
common answers of issue 12 (contract words, relations, "I don't know", month-only dates, end dates,
"as soon as possible", yearly ↔ monthly amounts, words around a value). What a row must give:

* a value (int, float, str, date, list): read, and equal to it;
* ``said(value)``: read, equal, and said back to the person (``understood``);
* ``confirm(amount)``: converted to this amount, to be confirmed by the person;
* ``ask(*options)``: ambiguous, the person is asked once which of these options;
* ``REFUSED``: no value, an error that says what to type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from bot.i18n import LANGS, Lang, catalog, render
from flows.interpret import Reading, read_text
from flows.parsing import Parsed, parse_option_words
from flows.questions import question

TODAY = date(2026, 6, 15)
REFUSED = None


@dataclass(frozen=True)
class said:  # lower case: reads as a word in the tables
    value: Any


@dataclass(frozen=True)
class confirm:
    value: float


@dataclass(frozen=True)
class ask:
    options: tuple[str, ...]

    def __init__(self, *options: str) -> None:
        object.__setattr__(self, "options", options)


def read(question_id: str, typed: str, lang: Lang) -> Parsed[Any] | Reading:
    """The answer read as the dialogue reads it, with the question's declared rules; choice words
    straight from the parser (the dialogue's option matching keeps only a value)."""
    q = question(question_id)
    if q.kind == "choice":
        return parse_option_words(question_id, typed, lang)
    return read_text(q, typed, lang, TODAY)


# fmt: off
JUNK = [
    "javascript:alert(3)", '"><img src=x onerror=alert(1)>', "<script>alert(2)</script>",
    "' OR 1=1 --", "{{7*7}}", "${7*7}", "1e9", "0x1F", "NaN", "🙂", "👍👍", "3 ou 4 🤔",
    "rm -rf /", "../../etc/passwd", "%00", "null", "50%", "<3", "3+", "x=1", "#2", "@3",
]
JUNK_QUESTIONS = ["contract_months", "dependants", "salary_month_base", "years_worked_be"]

FR = [
    # articles
    ("words", "contract_months", "un CDI", said(0)),
    ("words", "contract_months", "un an", said(12)),
    ("words", "contract_months", "un contrat", REFUSED),
    ("words", "contract_months", "une année", said(12)),
    ("words", "contract_months", "un mois", said(1)),
    ("words", "member_cohabitation_months", "un an et demi", said(18)),
    ("words", "member_meetings_days_total", "une semaine", said(7)),
    ("words", "dependants", "un enfant", said(1)),
    ("words", "dependants", "une", REFUSED),
    ("words", "member_meetings_count", "une fois", said(1)),
    # several numbers
    ("words", "dependants", "2 ou 3", REFUSED),
    ("words", "dependants", "entre 2 et 3", REFUSED),
    ("words", "contract_months", "12 ou 24 mois", REFUSED),
    ("words", "member_meetings_count", "3 (trois)", REFUSED),
    ("words", "contract_months", "CDI, 6 mois d'essai", REFUSED),
    ("words", "salary_month_base", "3000 ou 3500", REFUSED),
    ("words", "salary_month_base", "3000 par mois, 36000 par an", REFUSED),
    ("words", "member_cohabitation_months", "2 ans et 6 mois", said(30)),
    # units
    ("words", "contract_months", "18 mois", 18),
    ("words", "contract_months", "2 ans", said(24)),
    ("words", "contract_months", "deux ans", said(24)),
    ("words", "contract_months", "3 semaines", REFUSED),
    ("words", "dependants", "3 mois", REFUSED),
    ("words", "dependants", "3 enfants", 3),
    ("words", "dependants", "trois", said(3)),
    ("words", "dependants", "aucun", said(0)),
    ("words", "years_worked_be", "18 mois", said(1.5)),
    ("words", "years_worked_be", "4 ans", 4),
    ("words", "years_worked_be", "deux ans et demi", said(2.5)),
    ("words", "years_worked_be", "3 jours", REFUSED),
    ("words", "longest_absence_months", "2 semaines", REFUSED),
    ("words", "member_meetings_days_total", "45 jours", 45),
    ("words", "member_meetings_days_total", "3 semaines", said(21)),
    ("words", "member_meetings_days_total", "2 mois", REFUSED),
    ("words", "member_meetings_count", "environ 5 fois", 5),
    ("words", "member_meetings_count", "plus de 5", REFUSED),
    ("words", "member_meetings_count", "presque 5", REFUSED),
    ("words", "contract_months", "à peu près 24 mois", 24),
    ("words", "salary_month_base", "environ 4 200 € brut par mois", 4200.0),
    ("words", "salary_month_base", "4200 dollars", REFUSED),
    ("words", "salary_month_base", "25 € de l'heure", REFUSED),
    # emoji and other signs
    ("words", "dependants", "2 👶", 2),
    ("words", "dependants", "3️⃣", 3),
    ("words", "contract_months", "🤷", REFUSED),
    ("words", "salary_month_base", "💶💶💶", REFUSED),
    ("words", "salary_month_base", "beaucoup", REFUSED),
    ("words", "dependants", "½", REFUSED),
    ("words", "dependants", "-2", REFUSED),
    # contract words
    ("phrase", "contract_months", "CDI", said(0)),
    ("phrase", "contract_months", "indéterminée", said(0)),
    ("phrase", "contract_months", "contrat à durée indéterminée", said(0)),
    ("phrase", "contract_months", "CDD", REFUSED),
    ("phrase", "contract_months", "durée déterminée", REFUSED),
    ("phrase", "contract_months", "CDD de 18 mois", 18),
    ("phrase", "contract_months", "un CDD d'un an", said(12)),
    ("phrase", "contract_months", "aucun", REFUSED),
    # relations
    ("phrase", "member_relation", "ma femme", said("spouse")),
    ("phrase", "member_relation", "mon mari", said("spouse")),
    ("phrase", "member_relation", "épouse", said("spouse")),
    ("phrase", "member_relation", "mon époux", said("spouse")),
    ("phrase", "member_relation", "conjointe", said("spouse")),
    ("phrase", "member_relation", "conjoint(e)", said("spouse")),
    ("phrase", "member_relation", "ma copine",
     ask("partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "mon copain",
     ask("partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "ma compagne",
     ask("spouse", "partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "mon fils", ask("child_minor", "child_adult", "child_adult_disabled")),
    ("phrase", "member_relation", "ma mère", said("parent")),
    ("phrase", "member_relation", "mon frère", said("other")),
    ("phrase", "member_relation", "ma femme et mon fils",
     ask("spouse", "child_minor", "child_adult", "child_adult_disabled")),
    ("phrase", "member_relation", "mon ex-femme", REFUSED),
    ("phrase", "member_relation", "ma future femme", REFUSED),
    # don't know
    ("phrase", "shortage_bxl", "je sais pas", said("unknown")),
    ("phrase", "shortage_wal", "j'sais pas", said("unknown")),
    ("phrase", "shortage_bxl", "aucune idée", said("unknown")),
    ("phrase", "shortage_fl", "je ne sais pas", said("unknown")),
    # qualification
    ("phrase", "qualification", "master en informatique", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "bachelier en soins infirmiers", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "un doctorat", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "bac+5", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "pas de master", REFUSED),
    ("phrase", "qualification", "diplôme secondaire", said("vocational_level_3_4")),
    # dates
    ("phrase", "start_date", "dès que possible", said(TODAY)),
    ("phrase", "start_date", "le plus tôt possible", said(TODAY)),
    ("phrase", "family_application_date", "au plus vite", said(TODAY)),
    ("phrase", "start_date", "1er septembre 2026", date(2026, 9, 1)),
    ("phrase", "legal_residence_since", "mars 2020", said(date(2020, 3, 1))),
    ("phrase", "member_relation_start_date", "depuis juin 2019", said(date(2019, 6, 1))),
    ("phrase", "legal_residence_since", "03/2020", said(date(2020, 3, 1))),
    ("phrase", "card_expiry", "jusqu'au 30 juin 2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "valable jusqu'au 30/06/2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "mars 2027", REFUSED),
    ("phrase", "dob", "mars 1990", REFUSED),
    ("phrase", "card_expiry", "dès que possible", REFUSED),
    ("phrase", "card_expiry", "30/06/2200", REFUSED),
    # amounts
    ("phrase", "salary_month_base", "12 000 € pour l'année", confirm(1000.0)),
    ("phrase", "salary_month_base", "12 000 € par an", confirm(1000.0)),
    ("phrase", "salary_month_base", "60 000 € brut par an", confirm(5000.0)),
    ("phrase", "salary_year", "4 000 € par mois", confirm(48000.0)),
    ("phrase", "salary_year", "55 000 € brut annuel", 55000.0),
    ("phrase", "net_income_month", "24 000 par an", confirm(2000.0)),
    ("phrase", "net_income_month", "javascript:alert(3)", REFUSED),
    # words around a value
    ("phrase", "work_postcode", "un hôpital à Gand", said("9000")),
    ("phrase", "work_postcode", "Ixelles", said("1050")),
    ("phrase", "work_postcode", "1050", "1050"),
    ("phrase", "work_postcode", "un hôpital à Woluwe", REFUSED),
    ("phrase", "work_postcode", "je travaillerai à Liège", said("4000")),
    ("phrase", "member_nationality", "marocaine", "MA"),
    ("phrase", "current_location", "au Maroc", said("abroad")),
    ("phrase", "current_location", "je vis à Bruxelles", said("belgium")),
    ("phrase", "current_location", "en Belgique", said("belgium")),
    ("phrase", "employer_type", "une entreprise belge", said("belgian_employer")),
    ("phrase", "employer_type", "je suis détaché", said("foreign_employer_secondment")),
]

NL = [
    # articles
    ("words", "contract_months", "een jaar", said(12)),
    ("words", "contract_months", "een contract", REFUSED),
    ("words", "contract_months", "één jaar", said(12)),
    ("words", "contract_months", "een maand", said(1)),
    ("words", "member_cohabitation_months", "anderhalf jaar", said(18)),
    ("words", "member_cohabitation_months", "een half jaar", said(6)),
    ("words", "member_meetings_days_total", "een week", said(7)),
    ("words", "dependants", "een kind", said(1)),
    ("words", "dependants", "één", said(1)),
    ("words", "dependants", "een", REFUSED),
    # several numbers
    ("words", "dependants", "2 of 3", REFUSED),
    ("words", "dependants", "tussen 2 en 3", REFUSED),
    ("words", "contract_months", "12 of 24 maanden", REFUSED),
    ("words", "salary_month_base", "3000 of 3500", REFUSED),
    ("words", "member_meetings_count", "5 keer, misschien 6", REFUSED),
    ("words", "member_cohabitation_months", "1 jaar en 3 maanden", said(15)),
    ("words", "dependants", "onze kinderen", REFUSED),
    # units
    ("words", "contract_months", "18 maanden", 18),
    ("words", "contract_months", "2 jaar", said(24)),
    ("words", "contract_months", "twee jaar", said(24)),
    ("words", "contract_months", "3 weken", REFUSED),
    ("words", "dependants", "3 maanden", REFUSED),
    ("words", "dependants", "drie kinderen", said(3)),
    ("words", "dependants", "geen", said(0)),
    ("words", "dependants", "2 personen", 2),
    ("words", "years_worked_be", "18 maanden", said(1.5)),
    ("words", "years_worked_be", "ongeveer 4 jaar", 4),
    ("words", "years_worked_be", "twee en een half jaar", said(2.5)),
    ("words", "years_worked_be", "3 dagen", REFUSED),
    ("words", "member_meetings_days_total", "45 dagen", 45),
    ("words", "member_meetings_days_total", "2 weken", said(14)),
    ("words", "member_meetings_days_total", "2 maanden", REFUSED),
    ("words", "member_meetings_count", "ongeveer 5 keer", 5),
    ("words", "member_meetings_count", "meer dan 5", REFUSED),
    ("words", "member_meetings_count", "bijna 5", REFUSED),
    ("words", "salary_month_base", "ongeveer 4.200 euro bruto per maand", 4200.0),
    ("words", "salary_month_base", "4200 dollar", REFUSED),
    ("words", "salary_month_base", "25 euro per uur", REFUSED),
    # emoji and other signs
    ("words", "dependants", "2 👶", 2),
    ("words", "contract_months", "🤷", REFUSED),
    ("words", "salary_month_base", "veel", REFUSED),
    ("words", "dependants", "½", REFUSED),
    ("words", "dependants", "-2", REFUSED),
    # contract words
    ("phrase", "contract_months", "onbepaalde duur", said(0)),
    ("phrase", "contract_months", "contract van onbepaalde duur", said(0)),
    ("phrase", "contract_months", "vast contract", said(0)),
    ("phrase", "contract_months", "bepaalde duur", REFUSED),
    ("phrase", "contract_months", "tijdelijk contract", REFUSED),
    ("phrase", "contract_months", "bepaalde duur van 18 maanden", 18),
    ("phrase", "contract_months", "contract voor een jaar", said(12)),
    ("phrase", "contract_months", "geen", REFUSED),
    ("phrase", "contract_months", "CDI", said(0)),
    # relations
    ("phrase", "member_relation", "vrouw", said("spouse")),
    ("phrase", "member_relation", "mijn man", said("spouse")),
    ("phrase", "member_relation", "echtgenote", said("spouse")),
    ("phrase", "member_relation", "echtgenoot", said("spouse")),
    ("phrase", "member_relation", "vriendin",
     ask("partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "mijn vriend",
     ask("partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "partner",
     ask("spouse", "partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "dochter", ask("child_minor", "child_adult", "child_adult_disabled")),
    ("phrase", "member_relation", "mijn vader", said("parent")),
    ("phrase", "member_relation", "zus", said("other")),
    ("phrase", "member_relation", "mijn ex-vrouw", REFUSED),
    # don't know
    ("phrase", "shortage_fl", "weet ik niet", said("unknown")),
    ("phrase", "shortage_fl", "geen idee", said("unknown")),
    ("phrase", "shortage_bxl", "ik weet het niet", said("unknown")),
    ("phrase", "shortage_wal", "weet niet", said("unknown")),
    # qualification
    ("phrase", "qualification", "bachelor verpleegkunde", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "master in de informatica", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "professionele bachelor", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "geen master", REFUSED),
    ("phrase", "qualification", "geen diploma", said("none")),
    ("phrase", "qualification", "secundair onderwijs", said("vocational_level_3_4")),
    # dates
    ("phrase", "start_date", "zo snel mogelijk", said(TODAY)),
    ("phrase", "start_date", "zsm", said(TODAY)),
    ("phrase", "family_application_date", "meteen", said(TODAY)),
    ("phrase", "start_date", "1 september 2026", date(2026, 9, 1)),
    ("phrase", "legal_residence_since", "maart 2020", said(date(2020, 3, 1))),
    ("phrase", "member_relation_start_date", "sinds juni 2019", said(date(2019, 6, 1))),
    ("phrase", "member_known_since", "januari 2021", said(date(2021, 1, 1))),
    ("phrase", "card_expiry", "tot 30 juni 2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "geldig tot 30/06/2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "tot en met 1 maart 2028", date(2028, 3, 1)),
    ("phrase", "card_expiry", "maart 2027", REFUSED),
    ("phrase", "card_expiry", "zo snel mogelijk", REFUSED),
    # amounts
    ("phrase", "salary_month_base", "60.000 euro per jaar", confirm(5000.0)),
    ("phrase", "salary_month_base", "12.000 € bruto per jaar", confirm(1000.0)),
    ("phrase", "salary_year", "4.000 euro per maand", confirm(48000.0)),
    ("phrase", "salary_year", "55.000 € bruto per jaar", 55000.0),
    ("phrase", "net_income_month", "24.000 per jaar", confirm(2000.0)),
    # words around a value
    ("phrase", "work_postcode", "een ziekenhuis in Gent", said("9000")),
    ("phrase", "work_postcode", "Elsene", said("1050")),
    ("phrase", "work_postcode", "B-2000", "2000"),
    ("phrase", "work_postcode", "ik ga werken in Antwerpen", said("2000")),
    ("phrase", "current_location", "in Marokko", said("abroad")),
    ("phrase", "current_location", "ik woon in Turkije", said("abroad")),
    ("phrase", "current_location", "in België", said("belgium")),
    ("phrase", "current_location", "in Leuven", said("belgium")),
    ("phrase", "employer_type", "een Belgisch bedrijf", said("belgian_employer")),
    ("phrase", "employer_type", "gedetacheerd", said("foreign_employer_secondment")),
    ("phrase", "member_nationality", "Marokkaans", "MA"),
]

EN = [
    # articles
    ("words", "contract_months", "a year", said(12)),
    ("words", "contract_months", "a contract", REFUSED),
    ("words", "contract_months", "a month", said(1)),
    ("words", "contract_months", "one year", said(12)),
    ("words", "member_cohabitation_months", "a year and a half", said(18)),
    ("words", "member_meetings_days_total", "a week", said(7)),
    ("words", "dependants", "a child", said(1)),
    ("words", "dependants", "a", REFUSED),
    ("words", "dependants", "one", said(1)),
    ("words", "member_meetings_count", "an hour", REFUSED),
    # several numbers
    ("words", "dependants", "2 or 3", REFUSED),
    ("words", "dependants", "between 2 and 3", REFUSED),
    ("words", "contract_months", "12 or 24 months", REFUSED),
    ("words", "salary_month_base", "3000 or 3500", REFUSED),
    ("words", "salary_month_base", "3000-3500", REFUSED),
    ("words", "member_cohabitation_months", "2 years and 6 months", said(30)),
    ("words", "member_meetings_count", "5 times, maybe 6", REFUSED),
    # units
    ("words", "contract_months", "18 months", 18),
    ("words", "contract_months", "2 years", said(24)),
    ("words", "contract_months", "two years", said(24)),
    ("words", "contract_months", "3 weeks", REFUSED),
    ("words", "dependants", "3 months", REFUSED),
    ("words", "dependants", "3 kids", 3),
    ("words", "dependants", "three", said(3)),
    ("words", "dependants", "none", said(0)),
    ("words", "years_worked_be", "18 months", said(1.5)),
    ("words", "years_worked_be", "about 4 years", 4),
    ("words", "years_worked_be", "two and a half years", said(2.5)),
    ("words", "years_worked_be", "3 days", REFUSED),
    ("words", "member_meetings_days_total", "45 days", 45),
    ("words", "member_meetings_days_total", "2 weeks", said(14)),
    ("words", "member_meetings_days_total", "2 months", REFUSED),
    ("words", "member_meetings_count", "around 5 times", 5),
    ("words", "member_meetings_count", "more than 5", REFUSED),
    ("words", "member_meetings_count", "almost 5", REFUSED),
    ("words", "member_meetings_count", "at least 5", REFUSED),
    ("words", "salary_month_base", "about €4,200 gross a month", 4200.0),
    ("words", "salary_month_base", "$4200", REFUSED),
    ("words", "salary_month_base", "25 euros an hour", REFUSED),
    # emoji and other signs
    ("words", "dependants", "2 👶", 2),
    ("words", "contract_months", "🤷", REFUSED),
    ("words", "salary_month_base", "a lot", REFUSED),
    ("words", "dependants", "½", REFUSED),
    ("words", "dependants", "-2", REFUSED),
    # contract words
    ("phrase", "contract_months", "permanent", said(0)),
    ("phrase", "contract_months", "a permanent contract", said(0)),
    ("phrase", "contract_months", "indefinite", said(0)),
    ("phrase", "contract_months", "open-ended", said(0)),
    ("phrase", "contract_months", "fixed-term", REFUSED),
    ("phrase", "contract_months", "fixed term contract", REFUSED),
    ("phrase", "contract_months", "fixed-term, 18 months", 18),
    ("phrase", "contract_months", "a fixed-term contract for a year", said(12)),
    ("phrase", "contract_months", "zero", REFUSED),
    # relations
    ("phrase", "member_relation", "my wife", said("spouse")),
    ("phrase", "member_relation", "husband", said("spouse")),
    ("phrase", "member_relation", "my husband", said("spouse")),
    ("phrase", "member_relation", "girlfriend",
     ask("partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "my boyfriend",
     ask("partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "partner",
     ask("spouse", "partner_registered_equivalent", "partner_registered_other", "partner_unregistered")),
    ("phrase", "member_relation", "my son", ask("child_minor", "child_adult", "child_adult_disabled")),
    ("phrase", "member_relation", "my mother", said("parent")),
    ("phrase", "member_relation", "brother", said("other")),
    ("phrase", "member_relation", "my ex-husband", REFUSED),
    # don't know
    ("phrase", "shortage_bxl", "I don't know", said("unknown")),
    ("phrase", "shortage_wal", "dunno", said("unknown")),
    ("phrase", "shortage_fl", "no idea", said("unknown")),
    ("phrase", "shortage_bxl", "not sure", said("unknown")),
    # qualification
    ("phrase", "qualification", "bachelor in nursing", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "master's degree in computer science", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "PhD", said("higher_ed_3y_plus")),
    ("phrase", "qualification", "no degree", said("none")),
    ("phrase", "qualification", "not a master", REFUSED),
    ("phrase", "qualification", "high school", said("vocational_level_3_4")),
    # dates
    ("phrase", "start_date", "as soon as possible", said(TODAY)),
    ("phrase", "start_date", "ASAP", said(TODAY)),
    ("phrase", "family_application_date", "immediately", said(TODAY)),
    ("phrase", "start_date", "1 September 2026", date(2026, 9, 1)),
    ("phrase", "legal_residence_since", "March 2020", said(date(2020, 3, 1))),
    ("phrase", "member_relation_start_date", "since June 2019", said(date(2019, 6, 1))),
    ("phrase", "member_known_since", "Jan 2021", said(date(2021, 1, 1))),
    ("phrase", "card_expiry", "until 30 June 2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "valid until 30/06/2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "till June 30, 2027", date(2027, 6, 30)),
    ("phrase", "card_expiry", "June 2027", REFUSED),
    ("phrase", "card_expiry", "as soon as possible", REFUSED),
    # amounts
    ("phrase", "salary_month_base", "€60,000 a year", confirm(5000.0)),
    ("phrase", "salary_month_base", "12,000 per year", confirm(1000.0)),
    ("phrase", "salary_year", "€4,000 a month", confirm(48000.0)),
    ("phrase", "salary_year", "€55,000 gross a year", 55000.0),
    ("phrase", "net_income_month", "24,000 a year", confirm(2000.0)),
    # words around a value
    ("phrase", "work_postcode", "a hospital in Ghent", said("9000")),
    ("phrase", "work_postcode", "Antwerp", said("2000")),
    ("phrase", "work_postcode", "a hospital", REFUSED),
    ("phrase", "work_postcode", "I will work in Leuven", said("3000")),
    ("phrase", "current_location", "in Morocco", said("abroad")),
    ("phrase", "current_location", "I live in India", said("abroad")),
    ("phrase", "current_location", "in Belgium", said("belgium")),
    ("phrase", "current_location", "in Brussels", said("belgium")),
    ("phrase", "employer_type", "a Belgian company", said("belgian_employer")),
    ("phrase", "employer_type", "seconded by my employer", said("foreign_employer_secondment")),
    ("phrase", "member_nationality", "Moroccan", "MA"),
]
# fmt: on

ROWS: dict[Lang, list[tuple[str, str, str, Any]]] = {
    lang: [*rows, *(("words", qid, junk, REFUSED) for junk in JUNK for qid in JUNK_QUESTIONS)]
    for lang, rows in (("fr", FR), ("nl", NL), ("en", EN))
}
TABLE = [
    (tag, lang, qid, typed, expected) for lang, rows in ROWS.items() for tag, qid, typed, expected in rows
]


def _check_error(result: Parsed[Any] | Reading) -> None:
    assert result.error is not None, "a refused answer says what to type"
    for lang in LANGS:
        assert result.error.key in catalog(lang)
        assert render(result.error, lang)


@pytest.mark.parametrize(("tag", "lang", "qid", "typed", "expected"), TABLE)
def test_what_people_type(tag: str, lang: Lang, qid: str, typed: str, expected: Any) -> None:
    result = read(qid, typed, lang)
    if isinstance(expected, said) and isinstance(expected.value, date):
        expected = said(expected.value.isoformat())  # the dialogue stores dates as ISO strings
    elif isinstance(expected, date):
        expected = expected.isoformat()
    if expected is REFUSED:
        assert result.value is None and not result.alternatives, result
        _check_error(result)
    elif isinstance(expected, ask):
        assert result.value is None and result.alternatives == expected.options
        _check_error(result)
    elif isinstance(expected, confirm):
        assert result.value == pytest.approx(expected.value) and result.confirm is not None
        assert result.confirm.key in catalog(lang)
    elif isinstance(expected, said):
        assert result.value == expected.value and result.error is None, result
        assert result.understood is not None and result.understood.key in catalog(lang)
    else:
        assert result.value == expected and result.error is None, result
        assert result.understood is None, "a value typed in digits needs no saying back"


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_sixty_rows_of_words_around_numbers(lang: Lang) -> None:
    assert sum(tag == "words" for tag, *_ in ROWS[lang]) >= 60


def test_the_phrase_table_holds_a_hundred_and_fifty_phrases() -> None:
    assert sum(tag == "phrase" for tag, *_ in TABLE) >= 150
