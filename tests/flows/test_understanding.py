"""What the parsers understood, as the dialogue handles it (issue 12 item 3, dialogue side): a short
line said back on top of the next question, a converted value kept aside until the person confirms
it, and ambiguous words answered by offering only the options they may mean. The parsers' results
are faked here, so these tests hold whatever the word lists say."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

import flows.parsing as parsing
from bot.engine import Message, msg
from flows.dialogue import Dialogue
from flows.machine import current_ref
from flows.parsing import MoneyAmount, Parsed
from flows.session import SessionState
from tests.flows.personas import BRUSSELS_ENGINEER, ENGINEER_WITH_FAMILY
from tests.flows.scripts import Conversation

TODAY = date(2026, 3, 1)
UNDERSTOOD = Message(
    key="parse.understood.relation", params={"value_key": "question.member_relation.option.spouse"}
)
CONFIRM = Message(key="parse.money.confirm_monthly", params={"amount": 1000.0})


# A person joining a relative describes themselves as a member, relation first (a person bringing
# family ticks everyone at once instead).
JOINING = {
    **ENGINEER_WITH_FAMILY,
    "purposes": ["join_family"],
    "sponsor_type": "tcn_unlimited",
    "sponsor_dob": "01/01/1985",
    "sponsor_right_date": "01/01/2020",
    "family_who_joining": ["one_by_one"],  # described one by one
}


def at(script: dict[str, Any], question: str, lang: str = "fr") -> Conversation:
    return Conversation(Dialogue(today=TODAY), lang).start().play(script, until=question)  # type: ignore[arg-type]


def married_or_not(question_id: str, text: str, lang: str) -> Parsed[str]:
    """A parser that reads "ma copine" as a spouse or an unmarried partner."""
    return Parsed(alternatives=("spouse", "partner_unregistered"))


def test_understood_words_are_said_back_on_top_of_the_next_question(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        parsing, "parse_option_words", lambda qid, text, lang: Parsed(value="spouse", understood=UNDERSTOOD)
    )
    chat = at(JOINING, "member_relation@0")
    turn = chat.say("ma femme")
    assert chat.state.members[0]["relation"] == "spouse"
    assert [reply.kind for reply in turn.replies] == ["question"]  # no extra step
    assert turn.replies[0].understood == UNDERSTOOD
    assert turn.replies[0].messages[0] == UNDERSTOOD
    assert turn.replies[0].question_id == current_ref(chat.state) != "member_relation@0"


def _yearly_at_a_monthly_question(monkeypatch: pytest.MonkeyPatch) -> Conversation:
    def fake(text: str, lang: str, **kwargs: Any) -> Parsed[MoneyAmount]:
        if "par an" in text:
            return Parsed(value=MoneyAmount(1000.0, "month"), confirm=CONFIRM)
        return Parsed(value=MoneyAmount(float(text), None))

    monkeypatch.setattr(parsing, "parse_money", fake)
    chat = at(BRUSSELS_ENGINEER, "salary_month_base")
    chat.say("12 000 € par an")
    return chat


def test_a_converted_amount_waits_for_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    chat = _yearly_at_a_monthly_question(monkeypatch)
    assert chat.state.current == "salary_month_base"
    assert "salary_month_base" not in chat.state.answers
    assert chat.state.pending_value == 1000.0
    asked = chat.turn.replies[-1] if chat.turn else None
    assert asked is not None and CONFIRM in asked.messages
    assert [o.value for o in asked.options] == ["yes", "no"]
    saved = SessionState.from_dict(json.loads(json.dumps(chat.state.to_dict())))
    resumed = Dialogue(today=TODAY).resume(saved)  # the check survives a restart
    assert CONFIRM in resumed.replies[-1].messages
    chat.press("yes")
    assert chat.state.answers["salary_month_base"] == 1000.0
    assert chat.state.current == "contract_months" and chat.state.pending_value is None


@pytest.mark.parametrize("typed", ["oui", "non"])
def test_a_converted_amount_confirmed_or_refused_by_typing(
    monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    chat = _yearly_at_a_monthly_question(monkeypatch)
    chat.say(typed)
    if typed == "oui":
        assert chat.state.answers["salary_month_base"] == 1000.0
    else:
        assert "salary_month_base" not in chat.state.answers
        assert chat.state.current == "salary_month_base" and chat.state.pending_confirm is None
        assert (
            chat.turn is not None
            and chat.turn.replies[-1].messages[0].key == "question.salary_month_base.text"
        )


def test_another_amount_instead_of_yes_replaces_the_pending_one(monkeypatch: pytest.MonkeyPatch) -> None:
    chat = _yearly_at_a_monthly_question(monkeypatch)
    chat.say("5200")
    assert chat.state.answers["salary_month_base"] == 5200.0 and chat.state.pending_value is None


def test_back_forgets_a_pending_amount(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.dialogue import Command

    chat = _yearly_at_a_monthly_question(monkeypatch)
    assert chat.turn is not None
    chat.turn = chat.dialogue.handle(chat.state, Command("back"))
    assert chat.state.pending_value is None and chat.state.pending_confirm is None


def test_ambiguous_words_offer_only_the_options_they_may_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    which = msg("parse.option.ambiguous")
    monkeypatch.setattr(
        parsing,
        "parse_option_words",
        lambda qid, text, lang: Parsed(error=which, alternatives=("spouse", "partner_unregistered")),
    )
    chat = at(JOINING, "member_relation@0")
    turn = chat.say("ma copine")
    assert "relation" not in chat.state.members[0]
    assert turn.replies[0].messages == [which]
    labels = [o.label.key for o in turn.replies[-1].options]
    assert labels == [
        "question.member_relation.option.spouse",
        "question.member_relation.option.partner_unregistered",
    ]
    chat.press(turn.replies[-1].options[1].value)
    assert chat.state.members[0]["relation"] == "partner_unregistered"


def test_ambiguous_words_then_a_label_typed_answers_the_question(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        parsing,
        "parse_option_words",
        lambda qid, text, lang: Parsed(alternatives=("spouse", "partner_unregistered")),
    )
    chat = at(JOINING, "member_relation@0")
    chat.say("ma copine")
    chat.say("Conjoint")
    assert chat.state.members[0]["relation"] == "spouse" and chat.state.pending_choices is None


def test_ambiguous_words_then_the_number_of_a_reading_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "parse_option_words", married_or_not)
    chat = at(JOINING, "member_relation@0")
    chat.say("ma copine")
    chat.say("2")  # the second reading shown, not the second option of the full list
    assert chat.state.members[0]["relation"] == "partner_unregistered"


@pytest.mark.parametrize(
    ("lang", "month", "day"),
    [("fr", "mars 1985", "le 12"), ("nl", "maart 1985", "12"), ("en", "March 1985", "12th")],
)
def test_a_day_typed_after_which_day_is_joined_to_the_month(lang: str, month: str, day: str) -> None:
    chat = at(JOINING, "sponsor_dob", lang)
    turn = chat.say(month)
    assert turn.replies[0].messages[0].key == "parse.date.which_day"
    assert "sponsor_dob" not in chat.state.answers
    chat.say(day)
    assert chat.state.answers["sponsor_dob"] == "1985-03-12"
    assert chat.state.pending_value is None


def test_a_day_alone_without_a_month_asked_is_no_date() -> None:
    chat = at(JOINING, "sponsor_dob")
    chat.say("12")
    assert "sponsor_dob" not in chat.state.answers


def test_the_month_kept_aside_is_dropped_by_another_answer() -> None:
    chat = at(JOINING, "sponsor_dob")
    chat.say("mars 1985")
    chat.say("n'importe quoi")  # not a day: asked again, the month is forgotten
    chat.say("12")
    assert "sponsor_dob" not in chat.state.answers
