"""Issue 12 item 2: the questions speak to the person ("vous", "u", "you"), in plain words, and
are short. Every question (both wordings), option, help text and hint is scanned in the three
languages."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import LANGS, Lang, catalog
from flows.dialogue import Dialogue
from tests.flows.personas import ENGINEER_WITH_FAMILY
from tests.flows.scripts import Conversation

# Third-person and legal words a person should not have to decode (issue 12).
BANNED: dict[Lang, tuple[str, ...]] = {
    "fr": ("la personne en belgique", "personne qui vit en belgique", "regroupant", "rmmmg",
           "les partenaires", "le sponsor"),
    "nl": ("de persoon die in belgië woont", "persoon in belgië", "referentiepersoon", "retributie",
           "wettig samen", "de partners", "gezinshereniger"),
    "en": ("the person in belgium", "person living in belgium", "the sponsor", "sponsor's", "the partners",
           "reunifying"),
}  # fmt: skip
MAX_QUESTION = 200


def person_facing(lang: Lang) -> dict[str, str]:
    """Every question text, option label, help and hint of ``lang``."""
    return {
        key: value
        for key, value in catalog(lang).items()
        if key.startswith(("question.", "dialogue.hint.", "dialogue.error.", "dialogue.ask."))
        and not key.endswith(".label")
    }


@pytest.mark.parametrize("lang", LANGS)
def test_no_banned_word_in_any_question_or_hint(lang: Lang) -> None:
    found = {
        key: word
        for key, value in person_facing(lang).items()
        for word in BANNED[lang]
        if word in value.lower()
    }
    assert found == {}


@pytest.mark.parametrize("lang", LANGS)
def test_every_question_is_at_most_200_characters(lang: Lang) -> None:
    long = {
        key: len(value)
        for key, value in person_facing(lang).items()
        if key.endswith((".text", ".text_joining")) and len(value) > MAX_QUESTION
    }
    assert long == {}


def test_the_scan_would_catch_the_old_wording() -> None:
    old = "Cette personne vit-elle déjà légalement avec la personne en Belgique ?"
    assert any(word in old.lower() for word in BANNED["fr"])


@pytest.mark.parametrize("lang", LANGS)
def test_a_person_joining_a_relative_is_asked_about_their_relative(lang: Lang) -> None:
    joining = {
        **ENGINEER_WITH_FAMILY,
        "purposes": ["join_family"],
        "sponsor_type": "tcn_unlimited",
        "sponsor_dob": "01/01/1985",
        "sponsor_right_date": "01/01/2020",
        "member_resident_with_sponsor": "no",
        "family_who_joining": ["one_by_one"],  # described one by one
    }
    chat = (
        Conversation(Dialogue(today=date(2026, 3, 1)), lang).start().play(joining, until="member_relation@0")
    )
    assert chat.turn is not None
    keys = [m.key for m in chat.turn.replies[-1].messages]
    assert "question.member_relation.text_joining" in keys
    at_once = {key: value for key, value in joining.items() if key != "family_who_joining"}
    listing = Conversation(Dialogue(today=date(2026, 3, 1)), lang).start()
    listing.play(at_once, until="family_who_joining")
    assert listing.turn is not None
    keys = [m.key for m in listing.turn.replies[-1].messages]
    assert "question.family_who_joining.text" in keys  # "who would join your relative?"
    bringing = Conversation(Dialogue(today=date(2026, 3, 1)), lang).start()
    bringing.play(ENGINEER_WITH_FAMILY, until="family_who")
    assert bringing.turn is not None
    assert "question.family_who.text" in [m.key for m in bringing.turn.replies[-1].messages]
