"""Parsers for what people type in French, Dutch or English: money, dates, postcodes, countries,
numbers, yes/no and academic years. Each returns a :class:`Parsed` holding a value or an error
:class:`~bot.engine.Message` (key ``parse.<kind>.<problem>``, always with an example).
"""

from flows.parsing.choices import parse_yes_no
from flows.parsing.common import Parsed
from flows.parsing.countries import parse_countries, parse_country
from flows.parsing.dates import means_same_time, parse_academic_year, parse_date, parse_dates
from flows.parsing.family import parse_several_options
from flows.parsing.money import MoneyAmount, parse_money
from flows.parsing.numbers import parse_int, parse_number
from flows.parsing.options import find_hits, group_of, named, parse_option_words
from flows.parsing.places import parse_postcode
from flows.parsing.wordlists import option_facts

__all__ = [
    "MoneyAmount",
    "Parsed",
    "find_hits",
    "group_of",
    "means_same_time",
    "named",
    "option_facts",
    "parse_academic_year",
    "parse_countries",
    "parse_country",
    "parse_date",
    "parse_dates",
    "parse_int",
    "parse_money",
    "parse_number",
    "parse_option_words",
    "parse_postcode",
    "parse_several_options",
    "parse_yes_no",
]
