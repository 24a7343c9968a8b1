"""Table-driven tests of the answer parsers (flows/parsing) in French, Dutch and English."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import pytest

from bot.engine import region_of_postcode
from bot.i18n import LANGS, Lang, text
from flows.parsing import (
    MoneyAmount,
    parse_academic_year,
    parse_countries,
    parse_country,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_postcode,
    parse_yes_no,
)
from flows.parsing.countries import name_index

# --- money -------------------------------------------------------------------------------------

MONEY_ANY_LANGUAGE = [
    ("3.703,44", 3703.44, None),
    ("3 703,44 €", 3703.44, None),
    ("€3,703.44", 3703.44, None),
    ("4748 EUR", 4748.0, None),
    ("4 748 euros", 4748.0, None),
    ("55k", 55000.0, None),
    ("55 K€", 55000.0, None),
    ("1,5k", 1500.0, None),
    ("55 000 per year", 55000.0, "year"),
    ("55.000 € bruto per jaar", 55000.0, "year"),
    ("2 323,08 € net par mois", 2323.08, "month"),
    ("2323,079", 2323.08, None),
    ("1,234", 1234.0, None),  # money: a single mark before three digits groups thousands
    ("1.234", 1234.0, None),
    ("3,5", 3.5, None),
    ("12,50 €", 12.5, None),
    ("0,50", 0.5, None),
    ("3000/mois", 3000.0, "month"),
    ("3000 / maand", 3000.0, "month"),
    ("36 000 p.a.", 36000.0, "year"),
    ("3 000 € brut mensuel", 3000.0, "month"),
    ("€ 48.912 per jaar", 48912.0, "year"),
    ("I earn 3,500 a month", 3500.0, "month"),
    ("1.234.567,89", 1234567.89, None),
    ("1,234,567.89", 1234567.89, None),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("typed", "amount", "period"), MONEY_ANY_LANGUAGE)
def test_money_in_every_language(typed: str, amount: float, period: str | None, lang: Lang) -> None:
    result = parse_money(typed, lang)
    assert result.ok, result.error
    assert result.value == MoneyAmount(amount=amount, period=period)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "lang", "amount", "period"),
    [
        ("2 323,08 € net par mois", "fr", 2323.08, "month"),
        ("55 000 € brut par an", "fr", 55000.0, "year"),
        ("48 912 € bruts annuels", "fr", 48912.0, "year"),
        ("4 748 € l'an", "fr", 4748.0, "year"),
        ("€ 2.323,08 netto per maand", "nl", 2323.08, "month"),
        ("55.000 € bruto per jaar", "nl", 55000.0, "year"),
        ("4748 euro maandelijks", "nl", 4748.0, "month"),
        ("€2,323.08 net per month", "en", 2323.08, "month"),
        ("£", "en", None, None),
        ("€55,000 gross a year", "en", 55000.0, "year"),
        ("4,748 monthly", "en", 4748.0, "month"),
    ],
)
def test_money_with_period_words(typed: str, lang: Lang, amount: float | None, period: str | None) -> None:
    result = parse_money(typed, lang)
    if amount is None:
        assert not result.ok
    else:
        assert result.value == MoneyAmount(amount=amount, period=period)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("-500", "parse.money.implausible"),
        ("− 3 000 €", "parse.money.implausible"),
        ("20 000 000 €", "parse.money.implausible"),
        ("999999999999999999999", "parse.money.invalid"),
        ("beaucoup", "parse.money.invalid"),
        ("", "parse.money.invalid"),
        ("3000-3500", "parse.money.several"),
        ("3 000 ou 4 000", "parse.money.several"),
        ("3.70.344", "parse.money.invalid"),
        ("$3000", "parse.money.currency"),
        ("3000 dollars", "parse.money.currency"),
        ("15 per hour", "parse.money.unsupported_period"),
        ("600 € par semaine", "parse.money.unsupported_period"),
        ("3000 par mois, 36000 par an", "parse.money.several"),
    ],
)
def test_money_errors(typed: str, key: str, lang: Lang) -> None:
    result = parse_money(typed, lang)
    assert result.value is None
    assert result.error is not None and result.error.key == key


def test_money_bounds_are_inclusive_and_named_in_the_error() -> None:
    assert parse_money("500", "fr", minimum=500, maximum=1000).value == MoneyAmount(500.0, None)
    assert parse_money("1000", "fr", minimum=500, maximum=1000).ok
    error = parse_money("499,99", "fr", minimum=500, maximum=1000).error
    assert error is not None and error.params["min_eur"] == 500 and error.params["max_eur"] == 1000
    assert "500,00" in text("fr", error.key, **error.params)


@pytest.mark.parametrize(
    ("typed", "asked", "key"),
    [
        ("55 000 per year", "month", "parse.money.wrong_period"),
        ("3 000 par mois", "year", "parse.money.wrong_period"),
        ("3 000", "month", None),
        ("3 000 per month", "month", None),
    ],
)
def test_money_stated_period_must_match_the_question(typed: str, asked: str, key: str | None) -> None:
    result = parse_money(typed, "en", period=asked)  # type: ignore[arg-type]
    assert (result.error.key if result.error else None) == key
    if result.error:
        assert result.error.params["period_key"] == f"parse.period.{asked}"
        assert result.error.params["example_key"] == f"parse.example.money_{asked}"


def test_money_error_shows_the_example_of_the_brief() -> None:
    error = parse_money("n'importe quoi", "fr").error
    assert error is not None
    assert text("fr", error.key, **error.params) == (
        "Je n'ai pas compris ce montant. Écrivez-le par exemple ainsi : 3 703,44 €"
    )


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "lang", "expected"),
    [
        ("2,5", "fr", 2.5),
        ("2.5", "fr", 2.5),
        ("2,5", "en", 2.5),
        ("2.5", "nl", 2.5),
        ("2 ½", "fr", 2.5),
        ("2½", "en", 2.5),
        ("2 1/2", "nl", 2.5),
        ("¾", "en", 0.75),
        ("deux ans et demi", "fr", 2.5),
        ("twee en een half", "nl", 2.5),
        ("anderhalf jaar", "nl", 1.5),
        ("two and a half years", "en", 2.5),
        ("4 ans", "fr", 4.0),
        ("1,234", "fr", 1.234),  # other numbers: FR/NL read ',' as the decimal mark ...
        ("1,234", "nl", 1.234),
        ("1,234", "en", 1234.0),  # ... and English as the thousands separator
        ("1.234", "fr", 1234.0),
        ("1.234", "nl", 1234.0),
        ("1.234", "en", 1.234),
        ("1 234,5", "fr", 1234.5),
        ("0,125", "en", 0.125),  # a leading 0 cannot start a thousands group
    ],
)
def test_number(typed: str, lang: Lang, expected: float) -> None:
    assert parse_number(typed, lang, minimum=0, maximum=1_000_000).value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "invalid"),
        ("beaucoup", "invalid"),
        ("2 ou 3", "several"),
        ("-1", "out_of_range"),
        ("61", "out_of_range"),
    ],
)
def test_number_errors(typed: str, key: str) -> None:
    error = parse_number(typed, "fr", minimum=0, maximum=60).error
    assert error is not None and error.key == f"parse.number.{key}"
    assert "example" in error.params


@pytest.mark.parametrize(
    ("typed", "lang", "expected"),
    [
        ("3", "fr", 3),
        ("trois", "fr", 3),
        ("drie", "nl", 3),
        ("three", "en", 3),
        ("3 enfants", "fr", 3),
        ("aucun", "fr", 0),
        ("geen", "nl", 0),
        ("none", "en", 0),
        ("12", "en", 12),
        ("douze", "fr", 12),
        ("één", "nl", 1),
    ],
)
def test_int(typed: str, lang: Lang, expected: int) -> None:
    result = parse_int(typed, lang, minimum=0, maximum=20)
    assert result.value == expected and isinstance(result.value, int)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2,5", "not_whole"),
        ("21", "out_of_range"),
        ("-1", "out_of_range"),
        ("beaucoup", "invalid"),
        ("2 ou 3", "several"),
        ("", "invalid"),
    ],
)
def test_int_errors(typed: str, key: str) -> None:
    error = parse_int(typed, "fr", minimum=0, maximum=20).error
    assert error is not None and error.key == f"parse.int.{key}"


def test_int_range_error_names_the_limits() -> None:
    error = parse_int("99", "nl", minimum=1, maximum=12).error
    assert error is not None
    assert text("nl", error.key, **error.params) == "Geef een getal tussen 1 en 12, bijvoorbeeld: 2"


# --- dates -------------------------------------------------------------------------------------

DATES_ANY_LANGUAGE = [
    ("18/08/2025", date(2025, 8, 18)),
    ("18.08.2025", date(2025, 8, 18)),
    ("2025-08-18", date(2025, 8, 18)),
    ("18 août 2025", date(2025, 8, 18)),
    ("18 aout 2025", date(2025, 8, 18)),
    ("18 augustus 2025", date(2025, 8, 18)),
    ("August 18, 2025", date(2025, 8, 18)),
    ("18 Aug 2025", date(2025, 8, 18)),
    ("18th of August 2025", date(2025, 8, 18)),
    ("Monday 18 August 2025", date(2025, 8, 18)),
    ("le lundi 18 août 2025", date(2025, 8, 18)),
    ("maandag 18 augustus 2025", date(2025, 8, 18)),
    ("1er septembre 2026", date(2026, 9, 1)),
    ("1ste september 2026", date(2026, 9, 1)),
    ("1 sept. 2026", date(2026, 9, 1)),
    ("18 mrt 2026", date(2026, 3, 18)),
    ("18 mar 2026", date(2026, 3, 18)),
    ("18-8-25", date(2025, 8, 18)),  # two-digit year: 00–49 → 20yy without limits
    ("3/4/85", date(1985, 4, 3)),  # 50–99 → 19yy; numeric dates are day first
    ("29/02/2024", date(2024, 2, 29)),
    (" 18 / 08 / 2025 ", date(2025, 8, 18)),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("typed", "expected"), DATES_ANY_LANGUAGE)
def test_dates(typed: str, expected: date, lang: Lang) -> None:
    assert parse_date(typed, lang).value == expected


@pytest.mark.parametrize(
    ("typed", "key", "given"),
    [
        ("31/02/2026", "impossible", "31/02/2026"),
        ("29/02/2025", "impossible", "29/02/2025"),
        ("31 avril 2026", "impossible", "31/04/2026"),
        ("12/13/2025", "impossible", "12/13/2025"),
        ("18/08/1850", "impossible", "18/08/1850"),
        ("18 août", "missing_year", None),
        ("18 août", "missing_year", None),
        ("demain", "invalid", None),
        ("", "invalid", None),
        ("18 août 2025 et 19 août 2025", "invalid", None),
    ],
)
def test_date_errors(typed: str, key: str, given: str | None) -> None:
    error = parse_date(typed, "fr").error
    assert error is not None and error.key == f"parse.date.{key}"
    assert error.params.get("given") == given
    assert error.params["example"] == "18/08/2025"


def test_date_limits_are_inclusive_and_named() -> None:
    earliest, latest = date(2025, 8, 18), date(2027, 8, 18)
    assert parse_date("18/08/2025", "fr", earliest=earliest, latest=latest).ok
    assert parse_date("18/08/2027", "fr", earliest=earliest, latest=latest).ok
    early = parse_date("17/08/2025", "fr", earliest=earliest, latest=latest).error
    late = parse_date("19 August 2027", "en", earliest=earliest, latest=latest).error
    assert early is not None and early.key == "parse.date.too_early"
    assert late is not None and late.key == "parse.date.too_late"
    assert text("fr", early.key, **early.params) == (
        "Cette date est trop ancienne : indiquez une date à partir du 18 août 2025, par exemple : 18/08/2025"
    )
    assert "18 August 2027" in text("en", late.key, **late.params)
    assert "18 augustus 2027" in text("nl", late.key, **late.params)


@pytest.mark.parametrize(
    ("typed", "earliest", "latest", "expected"),
    [
        ("1/1/30", None, date(2026, 6, 1), date(1930, 1, 1)),  # a birth date: only 1930 is allowed
        ("1/1/30", date(2026, 6, 1), None, date(2030, 1, 1)),  # a planned date: only 2030 is allowed
        ("1/1/30", None, None, date(2030, 1, 1)),
        ("1/1/60", date(2026, 6, 1), None, date(2060, 1, 1)),
        ("1/1/60", None, None, date(1960, 1, 1)),
    ],
)
def test_two_digit_years(typed: str, earliest: date | None, latest: date | None, expected: date) -> None:
    assert parse_date(typed, "en", earliest=earliest, latest=latest).value == expected


# --- postcodes and municipalities --------------------------------------------------------------

BRUSSELS = [
    ("Anderlecht", "1070"), ("Auderghem", "1160"), ("Oudergem", "1160"),
    ("Berchem-Sainte-Agathe", "1082"), ("Sint-Agatha-Berchem", "1082"), ("Bruxelles", "1000"),
    ("Brussel", "1000"), ("Brüssel", "1000"), ("Etterbeek", "1040"), ("Evere", "1140"),
    ("Forest", "1190"), ("Vorst", "1190"), ("Ganshoren", "1083"), ("Ixelles", "1050"),
    ("Elsene", "1050"), ("Jette", "1090"), ("Koekelberg", "1081"), ("Molenbeek-Saint-Jean", "1080"),
    ("Sint-Jans-Molenbeek", "1080"), ("Saint-Gilles", "1060"), ("Sint-Gillis", "1060"),
    ("Saint-Josse-ten-Noode", "1210"), ("Sint-Joost-ten-Node", "1210"), ("Schaerbeek", "1030"),
    ("Schaarbeek", "1030"), ("Uccle", "1180"), ("Ukkel", "1180"), ("Watermael-Boitsfort", "1170"),
    ("Watermaal-Bosvoorde", "1170"), ("Woluwe-Saint-Lambert", "1200"), ("Sint-Lambrechts-Woluwe", "1200"),
    ("Woluwe-Saint-Pierre", "1150"), ("Sint-Pieters-Woluwe", "1150"),
]  # fmt: skip
GERMAN_SPEAKING = [
    ("Eupen", "4700"), ("Kelmis", "4720"), ("La Calamine", "4720"), ("Lontzen", "4710"),
    ("Raeren", "4730"), ("Amel", "4770"), ("Amblève", "4770"), ("Büllingen", "4760"),
    ("Bullange", "4760"), ("Burg-Reuland", "4790"), ("Bütgenbach", "4750"), ("Butgenbach", "4750"),
    ("Sankt Vith", "4780"), ("Saint-Vith", "4780"), ("St. Vith", "4780"), ("Amel/Amblève", "4770"),
    ("Büllingen / Bullange", "4760"), ("Kelmis/La Calamine", "4720"), ("Buetgenbach", "4750"),
]  # fmt: skip
CITIES = [
    ("Antwerpen", "2000", "FL"), ("Anvers", "2000", "FL"), ("Gent", "9000", "FL"), ("Gand", "9000", "FL"),
    ("Liège", "4000", "WAL"), ("Luik", "4000", "WAL"), ("Lüttich", "4000", "WAL"), ("Namur", "5000", "WAL"),
    ("Leuven", "3000", "FL"), ("Louvain", "3000", "FL"), ("Mons", "7000", "WAL"), ("Bergen", "7000", "WAL"),
    ("Charleroi", "6000", "WAL"), ("Brugge", "8000", "FL"), ("Hasselt", "3500", "FL"),
    ("Louvain-la-Neuve", "1348", "WAL"), ("Wavre", "1300", "WAL"), ("Arlon", "6700", "WAL"),
    ("Verviers", "4800", "WAL"), ("Zaventem", "1930", "FL"), ("Mechelen", "2800", "FL"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "postcode"), BRUSSELS)
def test_brussels_communes(name: str, postcode: str) -> None:
    assert parse_postcode(name, "fr").value == postcode
    assert region_of_postcode(postcode) == "BXL"


@pytest.mark.parametrize(("name", "postcode"), GERMAN_SPEAKING)
def test_german_speaking_communes(name: str, postcode: str) -> None:
    assert parse_postcode(name, "nl").value == postcode
    assert region_of_postcode(postcode) == "DG"


@pytest.mark.parametrize(("name", "postcode", "region"), CITIES)
def test_larger_communes(name: str, postcode: str, region: str) -> None:
    assert parse_postcode(name, "en").value == postcode
    assert region_of_postcode(postcode) == region


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1000", "1000"),
        ("9999", "9999"),
        ("B-1050", "1050"),
        ("BE 1050", "1050"),
        ("1050 Ixelles", "1050"),
        ("Rue de la Loi 16, 1040 Etterbeek", "1040"),
        ("ixelles", "1050"),
        ("SCHAERBEEK", "1030"),
        ("St-Gilles", "1060"),
        ("sint joost", "1210"),
        ("à Liège", "4000"),
        ("gemeente Elsene", "1050"),
        ("La Louvière", "7100"),
    ],
)
def test_postcodes(typed: str, expected: str) -> None:
    assert parse_postcode(typed, "fr").value == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("0999", "invalid"),
        ("999", "invalid"),
        ("12345", "invalid"),
        ("75001 Paris", "invalid"),
        ("1012 AB", "invalid"),  # a Dutch postcode
        ("1000 ou 1050", "invalid"),
        ("Eupen/Raeren", "unknown_place"),
        ("", "invalid"),
        ("Atlantis", "unknown_place"),
        ("Paris", "unknown_place"),
        ("Woluwe", "ambiguous"),
        ("Saint-Nicolas", "ambiguous"),
    ],
)
def test_postcode_errors(typed: str, key: str) -> None:
    error = parse_postcode(typed, "fr").error
    assert error is not None and error.key == f"parse.postcode.{key}"


def test_ambiguous_place_lists_the_candidates() -> None:
    error = parse_postcode("Woluwe", "en").error
    assert error is not None
    assert "1150" in str(error.params["options"]) and "1200" in str(error.params["options"])


def test_every_listed_municipality_has_a_belgian_postcode() -> None:
    text_ = resources.files("flows").joinpath("data/municipalities.toml").read_text(encoding="utf-8")
    rows = tomllib.loads(text_)["commune"]
    assert [row["postcode"] for row in rows if region_of_postcode(row["postcode"]) is None] == []


# --- countries ---------------------------------------------------------------------------------

COUNTRIES = [
    ("Maroc", "MA"), ("Marokko", "MA"), ("Morocco", "MA"), ("marocaine", "MA"), ("Marokkaans", "MA"),
    ("Moroccan", "MA"), ("indien", "IN"), ("Indiaas", "IN"), ("Indiase", "IN"), ("Indian", "IN"),
    ("Inde", "IN"), ("India", "IN"), ("turc", "TR"), ("Turque", "TR"), ("Turks", "TR"), ("Turkey", "TR"),
    ("Türkiye", "TR"), ("Turquie", "TR"), ("américain", "US"), ("Amerikaanse", "US"), ("American", "US"),
    ("États-Unis", "US"), ("etats unis", "US"), ("Verenigde Staten", "US"), ("USA", "US"),
    ("brésilien", "BR"), ("Braziliaans", "BR"), ("Brazilian", "BR"), ("Brésil", "BR"), ("Brazilië", "BR"),
    ("Kosovo", "XK"), ("kosovar", "XK"), ("Palestine", "PS"), ("Palestina", "PS"), ("palestinien", "PS"),
    ("Belgique", "BE"), ("België", "BE"), ("belge", "BE"), ("Belg", "BE"), ("Allemagne", "DE"),
    ("Duitsland", "DE"), ("Germany", "DE"), ("Royaume-Uni", "GB"), ("UK", "GB"), ("British", "GB"),
    ("Côte d'Ivoire", "CI"), ("COTE D’IVOIRE", "CI"), ("Ivoorkust", "CI"), ("RDC", "CD"),
    ("Congo-Kinshasa", "CD"), ("Congo - Brazzaville", "CG"), ("Syrie", "SY"), ("syrienne", "SY"),
    ("Afghanistan", "AF"), ("afghane", "AF"), ("Tunisie", "TN"), ("Tunesisch", "TN"), ("Algérie", "DZ"),
    ("algérienne", "DZ"), ("Oekraïne", "UA"), ("ukrainienne", "UA"), ("Chine", "CN"), ("chinese", "CN"),
    ("Nederland", "NL"), ("Pays-Bas", "NL"), ("the Netherlands", "NL"), ("Nigérian", "NG"),
    ("nigérien", "NE"), ("Bosnie-Herzégovine", "BA"), ("Bosnia & Herzegovina", "BA"),
    ("Trinité-et-Tobago", "TT"), ("Trinidad en Tobago", "TT"), ("Macédoine du Nord", "MK"),
    ("MA", "MA"), ("mar", "MA"), ("IND", "IN"), ("XK", "XK"), ("be", "BE"),
    ("je suis de nationalité marocaine", "MA"), ("I am Indian", "IN"), ("ik ben Marokkaans", "MA"),
    ("Marrocain", "MA"), ("Marokkko", "MA"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "code"), COUNTRIES)
def test_country(typed: str, code: str) -> None:
    assert parse_country(typed, "fr").value == code
    assert parse_countries(typed, "nl").value == [code]


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("belge et marocain", ["BE", "MA"]),
        ("Belg en Marokkaans", ["BE", "MA"]),
        ("Belgian and Moroccan", ["BE", "MA"]),
        ("France, Allemagne", ["FR", "DE"]),
        ("France / Allemagne", ["FR", "DE"]),
        ("Turkije + België", ["TR", "BE"]),
        ("États-Unis, Canada et Mexique", ["US", "CA", "MX"]),
        ("Bosnia and Herzegovina and Serbia", ["BA", "RS"]),
        ("Trinité-et-Tobago et France", ["TT", "FR"]),
        ("Maroc, marocaine", ["MA"]),
        ("MA; BE", ["MA", "BE"]),
    ],
)
def test_several_countries(typed: str, codes: list[str]) -> None:
    assert parse_countries(typed, "fr").value == codes


@pytest.mark.parametrize(
    ("typed", "key", "name"),
    [
        ("Congo", "parse.country.ambiguous", "Congo"),
        ("congolaise", "parse.country.ambiguous", "congolaise"),
        ("Atlantide", "parse.country.unknown", "Atlantide"),
        ("France, Atlantide", "parse.country.unknown", "Atlantide"),
        ("", "parse.country.empty", None),
        ("🙂", "parse.country.empty", None),
    ],
)
def test_country_errors(typed: str, key: str, name: str | None) -> None:
    error = parse_countries(typed, "fr").error
    assert error is not None and error.key == key
    assert error.params.get("name") == name


def test_ambiguous_country_lists_names_in_the_users_language() -> None:
    error = parse_country("Congo", "nl").error
    assert error is not None and error.params["options"] == "Congo-Brazzaville / Congo-Kinshasa"


def test_one_country_only_when_one_is_asked() -> None:
    error = parse_country("belge et marocain", "fr").error
    assert error is not None and error.key == "parse.country.one_only"


def test_only_known_words_are_ambiguous() -> None:
    ambiguous = {key for key, codes in name_index().items() if len(codes) > 1}
    congo = {"congo", "congolais", "congolaise", "congolees", "congolese"}
    assert ambiguous - {"saint martin"} == congo


# --- yes / no ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("oui", "yes"), ("Oui !", "yes"), ("ouais", "yes"), ("bien sûr", "yes"), ("tout à fait", "yes"),
        ("ja", "yes"), ("Ja hoor", "yes"), ("jazeker", "yes"), ("yes", "yes"), ("Yes I do", "yes"),
        ("y", "yes"), ("1", "yes"), ("👍", "yes"), ("non", "no"), ("non merci", "no"), ("pas du tout", "no"),
        ("nee", "no"), ("neen", "no"), ("nee hoor", "no"), ("no", "no"), ("n", "no"), ("No, I don't", "no"),
        ("2", "no"), ("je ne sais pas", "unsure"), ("Je sais pas", "unsure"), ("pas sûr", "unsure"),
        ("peut-être", "unsure"), ("weet niet", "unsure"), ("Ik weet het niet", "unsure"),
        ("geen idee", "unsure"), ("niet zeker", "unsure"), ("not sure", "unsure"), ("I don't know", "unsure"),
        ("no idea", "unsure"), ("3", "unsure"), ("🤷", "unsure"), ("?", "unsure"), ("oui ?", "yes"),
    ],
)  # fmt: skip
def test_yes_no(typed: str, expected: str) -> None:
    assert parse_yes_no(typed, "fr", allow_unsure=True).value == expected


@pytest.mark.parametrize(
    ("typed", "allow_unsure", "key"),
    [
        ("je ne sais pas", False, "parse.yes_no.unsure_not_allowed"),
        ("oui et non", True, "parse.yes_no.invalid"),
        ("bonjour", True, "parse.yes_no.invalid"),
        ("", False, "parse.yes_no.invalid"),
        ("2 enfants", False, "parse.yes_no.invalid"),
    ],
)
def test_yes_no_errors(typed: str, allow_unsure: bool, key: str) -> None:
    error = parse_yes_no(typed, "fr", allow_unsure=allow_unsure).error
    assert error is not None and error.key == key


# --- academic years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-2027", "2026-2027"),
        ("2026/27", "2026-2027"),
        ("26-27", "2026-2027"),
        ("2026 – 2027", "2026-2027"),
        ("année académique 2026-2027", "2026-2027"),
        ("academiejaar 2025/2026", "2025-2026"),
        ("2099-00", None),
        ("2026", None),
        ("2026-2028", None),
        ("2026-2027 ou 2027-2028", None),
        ("", None),
    ],
)
def test_academic_year(typed: str, expected: str | None) -> None:
    result = parse_academic_year(typed, "nl")
    assert result.value == expected
    assert (result.error is None) == (expected is not None)


# --- the examples in the messages can be typed back -------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_examples_in_messages_parse(lang: Lang) -> None:
    assert parse_money(text(lang, "parse.example.money"), lang).value == MoneyAmount(3703.44, None)
    month = parse_money(text(lang, "parse.example.money_month"), lang, period="month").value
    year = parse_money(text(lang, "parse.example.money_year"), lang, period="year").value
    assert month == MoneyAmount(3703.44, "month")
    assert year == MoneyAmount(55000.0, "year")
    assert parse_country(text(lang, "parse.example.country"), lang).value == "MA"
    assert parse_countries(text(lang, "parse.example.countries"), lang).value == ["BE", "MA"]
    assert parse_academic_year(text(lang, "parse.example.academic_year"), lang).value == "2026-2027"
    assert parse_postcode(text(lang, "parse.example.postcode").split(" ")[0], lang).value == "1050"
