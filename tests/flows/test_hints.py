"""Issue 12 item 4: the hint under a typed question gives one example that fits it, and a bad
answer is asked again with that example, losing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import render
from flows.dialogue import Dialogue
from flows.hints import hint
from flows.interpret import read_text
from flows.question_types import Question
from flows.questions import QUESTIONS
from tests.flows.personas import BRUSSELS_ENGINEER
from tests.flows.scripts import Conversation

TODAY = date(2026, 3, 1)


def example_date(qid: str) -> date:
    message = hint(QUESTIONS[qid], TODAY)
    assert message is not None
    day, month, year = (int(part) for part in str(message.params["example"]).split("/"))
    return date(year, month, day)


@pytest.mark.parametrize("qid", ["start_date", "family_application_date", "card_expiry", "application_date"])
def test_dates_to_come_get_an_example_to_come(qid: str) -> None:
    assert example_date(qid) > TODAY


@pytest.mark.parametrize("qid", ["dob", "member_dob", "sponsor_right_date", "legal_residence_since"])
def test_past_dates_get_a_past_example_within_bounds(qid: str) -> None:
    example = example_date(qid)
    rule = QUESTIONS[qid].validation
    assert example < TODAY
    assert rule.earliest_days is None or (example - TODAY).days >= rule.earliest_days
    assert rule.latest_days is None or (example - TODAY).days <= rule.latest_days


def test_a_date_of_birth_example_is_an_adult() -> None:
    assert TODAY.year - example_date("dob").year >= 18


@pytest.mark.parametrize(
    ("qid", "low", "high"), [("salary_month_base", 1_000, 20_000), ("salary_year", 12_000, 200_000)]
)
def test_amount_examples_have_the_size_of_their_period(qid: str, low: float, high: float) -> None:
    message = hint(QUESTIONS[qid], TODAY)
    assert message is not None and low <= float(message.params["example"]) <= high  # type: ignore[arg-type]
    assert message.key.endswith(str(QUESTIONS[qid].validation.period))


def test_numbers_are_asked_in_their_unit() -> None:
    message = hint(QUESTIONS["member_meetings_days_total"], TODAY)
    assert message is not None and message.key == "dialogue.hint.days"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_bad_answer_is_asked_again_with_an_example_and_nothing_is_lost(lang: str) -> None:
    chat = Conversation(Dialogue(today=TODAY), lang).start().play(BRUSSELS_ENGINEER, until="start_date")  # type: ignore[arg-type]
    before = dict(chat.state.answers)
    turn = chat.say("banana")
    assert turn.replies[0].kind == "error"
    assert chat.state.current == "start_date" and chat.state.answers == before
    question = turn.replies[-1]
    shown = [render(m, lang) for m in question.messages]  # type: ignore[arg-type]
    future = hint(QUESTIONS["start_date"], TODAY)
    assert future is not None and any(str(future.params["example"]) in line for line in shown)


WITH_EXAMPLE = [q for q in QUESTIONS.values() if "example" in getattr(hint(q, TODAY), "params", {})]


@pytest.mark.parametrize("question", WITH_EXAMPLE, ids=lambda q: q.id)
def test_the_example_of_every_hint_is_an_accepted_answer(question: Question) -> None:
    message = hint(question, TODAY)
    assert message is not None
    # (a month alone, "mars 2020", is read once the parsers' day_optional lands: not checked here)
    examples = [message.params["example"]]
    for example in examples:
        typed = str(int(example)) if isinstance(example, float) and example.is_integer() else str(example)
        reading = read_text(question, typed, "en", TODAY)
        assert reading.ok, (typed, reading.error)


def test_most_typed_questions_carry_an_example() -> None:
    assert len(WITH_EXAMPLE) >= 20


@pytest.mark.parametrize("qid", ["start_date", "family_application_date", "application_date"])
def test_a_planned_start_says_the_month_is_enough_and_a_month_is_read(qid: str) -> None:
    message = hint(QUESTIONS[qid], TODAY)
    assert message is not None and "month_key" in message.params
    typed = f"{render(message, 'en').rsplit('for example ', 1)[1].rstrip('.')}"  # "June 2026"
    reading = read_text(QUESTIONS[qid], typed, "en", TODAY)
    assert reading.ok and str(reading.value).endswith("-01") and reading.understood is not None


def test_a_date_of_birth_does_not_say_a_month_is_enough() -> None:
    message = hint(QUESTIONS["dob"], TODAY)
    assert message is not None and "month_key" not in message.params
