"""Residence cards grouped by what they mean (rules.md §1 A3, §2.2 R0-3…R0-5, §3.1): one table.

The rules use the card sets below; the interview uses :data:`CARD_CLASS`, a coarser reading of
the same table ("free" = the card already gives access to work or is an EU card).
"""

from __future__ import annotations

from typing import Literal

from bot.engine.answers import CardType

CardGroup = Literal[
    "none",
    "limited_work",  # A single permit, H Blue Card
    "student",
    "researcher",
    "search_year",
    "family",  # A card for family reunification
    "unlimited_stay",  # B, C, D, K, L
    "eu_citizen",  # EU, EU+
    "eu_family",  # F, F+: family member of an EU citizen
    "other",
]
CardClass = Literal["none", "limited_work", "student", "researcher", "search_year", "family", "free", "other"]

CARD_GROUP: dict[CardType, CardGroup] = {
    "none": "none",
    "A-single-permit": "limited_work",
    "H-Blue-Card": "limited_work",
    "A-student": "student",
    "A-researcher": "researcher",
    "A-search-year": "search_year",
    "A-family-reunification": "family",
    "B": "unlimited_stay",
    "C": "unlimited_stay",
    "D": "unlimited_stay",
    "K": "unlimited_stay",
    "L": "unlimited_stay",
    "EU": "eu_citizen",
    "EU+": "eu_citizen",
    "F": "eu_family",
    "F+": "eu_family",
    "other": "other",
}
LIMITED_STAY_GROUPS: frozenset[CardGroup] = frozenset(
    {"limited_work", "student", "researcher", "search_year", "family"}
)
_INTERVIEW_CLASS: dict[CardGroup, CardClass] = {
    "none": "none",
    "limited_work": "limited_work",
    "student": "student",
    "researcher": "researcher",
    "search_year": "search_year",
    "family": "family",
    "unlimited_stay": "free",
    "eu_citizen": "free",
    "eu_family": "free",
    "other": "other",
}


def cards_in(*groups: CardGroup) -> frozenset[CardType]:
    """The card types of the given groups."""
    return frozenset(card for card, group in CARD_GROUP.items() if group in groups)


UNLIMITED_STAY_CARDS = cards_in("unlimited_stay")
LIMITED_STAY_CARDS = cards_in(*LIMITED_STAY_GROUPS)
EU_FAMILY_CARDS = cards_in("eu_family")
# The interview's reading of each card (flows/questions.py).
CARD_CLASS: dict[CardType, CardClass] = {card: _INTERVIEW_CLASS[group] for card, group in CARD_GROUP.items()}
