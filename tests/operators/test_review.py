"""Rebuilding a session's answers, the readable summary, and "re-assess today"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.engine import Answers, assess
from bot.operators.review import answer_lines, compare, reassess, rebuild_answers
from bot.store.records import StoredAnswer
from tests.operators.conftest import ASSESSED_ON, EMPLOYEE

AT = datetime(2026, 3, 1, tzinfo=UTC)


def log(*pairs: tuple[str, Any]) -> list[StoredAnswer]:
    return [StoredAnswer(seq=i, field=f, value=v, answered_at=AT) for i, (f, v) in enumerate(pairs, start=1)]


@pytest.mark.parametrize(
    ("state", "entries", "expected", "dropped"),
    [
        # a dialogue state: answers nested, the conversation's language added
        (
            {
                "format": 1,
                "lang": "nl",
                "current": "x",
                "answers": {"nationalities": ["IN"], "on_list.FL_VDAB": "yes"},
            },
            [],
            {"nationalities": ["IN"], "on_list": {"FL_VDAB": "yes"}, "lang": "nl"},
            (),
        ),
        # members without a relation are still being described: left out
        (
            {
                "lang": "en",
                "current": "x",
                "answers": {"members": [{"relation": "spouse"}, {"dob": "2000-01-01"}]},
            },
            [],
            {"members": [{"relation": "spouse"}], "lang": "en"},
            (),
        ),
        # no answers in the state: the answer log is replayed, the last value wins, None clears
        (
            {},
            log(
                ("nationalities", ["FR"]),
                ("region", "FL"),
                ("region", "WAL"),
                ("dob", "1990-01-01"),
                ("dob", None),
            ),
            {"nationalities": ["FR"], "region": "WAL"},
            (),
        ),
        # fields that no longer exist or no longer validate are dropped and named
        (
            {"unknown": 1, "answers": {"shoe_size": 44, "work_postcode": "12", "region": "BXL"}},
            [],
            {"region": "BXL"},
            ("shoe_size", "work_postcode"),
        ),
    ],
)
def test_rebuild_answers(
    state: dict[str, Any], entries: list[StoredAnswer], expected: dict[str, Any], dropped: tuple[str, ...]
) -> None:
    rebuilt = rebuild_answers(state, entries)
    assert rebuilt.answers.model_dump(mode="json", exclude_none=True, exclude_defaults=True) == expected
    assert rebuilt.dropped == dropped


def test_answer_lines_are_readable() -> None:
    answers = Answers.model_validate(
        {
            "nationalities": ["IN", "NP"],
            "salary_year": 70000,
            "study_admitted": True,
            "members": [{"relation": "spouse", "nationality": "IN"}],
        }
    )
    lines = dict(answer_lines(answers))
    assert lines["Nationality"] == "India, Nepal"  # names, not ISO codes
    assert lines["Gross annual salary"] == "€70,000.00"  # an amount, with its currency
    assert lines["Admitted to full-time studies"] == "yes"
    member = lines["Family member 1"]
    assert "India" in member and "spouse" not in member and "relation" not in member, member
    french = dict(answer_lines(answers, "fr"))
    assert french["Nationalité"] == "Inde, Népal" and french["Admis à des études à temps plein"] == "oui"
    assert "Inde" in french["Membre de la famille 1"]
    assert french["Salaire annuel brut"] == "70\u202f000,00\xa0€"
    unsure = Answers.model_validate({"housing_ok": "unsure", "lang": "nl", "dob": "1990-01-01"})
    dutch = dict(answer_lines(unsure, "nl"))
    assert dutch["Taal van het gesprek"] == "Nederlands" and "onzeker" in dutch.values(), dutch
    assert "1 januari 1990" in dutch.values(), dutch


def test_answer_values_have_human_labels_in_each_language() -> None:
    answers = Answers.model_validate({"qualification": "higher_ed_3y_plus", "purposes": ["employee"]})
    for lang in ("en", "fr", "nl"):
        values = dict(answer_lines(answers, lang)).values()  # type: ignore[arg-type]
        assert not any("higher_ed_3y_plus" in v or v == "employee" for v in values), (lang, values)
    english = " ".join(dict(answer_lines(answers)).values())
    assert "higher-education degree of at least 3 years" in english and "Work for an employer" in english


def state(answers: dict[str, Any]) -> dict[str, Any]:
    return {"format": 1, "lang": "en", "current": "result", "answers": answers}


def test_reassess_today_same_answer() -> None:
    answers = {**EMPLOYEE, "work_postcode": "1000"}
    stored = assess(Answers.model_validate({**answers, "lang": "en"}), on=ASSESSED_ON)
    result = reassess(state(answers), [], stored, ASSESSED_ON)
    assert result.same and result.assessment is not None and result.assessment.route_code == stored.route_code


def test_reassess_today_shows_what_changed() -> None:
    # The stored assessment said "German-speaking Community: review"; today's answers say Brussels.
    stored = assess(Answers.model_validate({**EMPLOYEE, "work_postcode": "4700"}), on=ASSESSED_ON)
    result = reassess(state({**EMPLOYEE, "work_postcode": "1000"}), [], stored, ASSESSED_ON)
    changed = {d.what: (d.stored, d.today) for d in result.differences}
    assert not result.same
    assert changed["route"] == ("German-speaking Community (adviser to check)", "EU Blue Card")
    assert changed["review"] == ("German-speaking Community", "none")
    french = reassess(state({**EMPLOYEE, "work_postcode": "1000"}), [], stored, ASSESSED_ON, "fr")
    assert {d.what: d.today for d in french.differences}["route"] == "Carte bleue européenne"


def test_compare_names_rules_version_and_members() -> None:
    base = assess(Answers.model_validate({**EMPLOYEE, "work_postcode": "1000"}), on=ASSESSED_ON)
    newer = base.model_copy(update={"rules_version": "2027.01-v2"})
    assert [(d.what, d.today) for d in compare(base, newer)] == [("rules_version", "2027.01-v2")]
    assert compare(base, base) == []


def test_reassess_without_stored_assessment_or_with_bad_answers() -> None:
    fresh = reassess(state({"nationalities": ["FR"]}), [], None, date(2026, 3, 2))
    assert fresh.assessment is not None and fresh.differences == [] and fresh.error is None
    broken = reassess(state({"members": "not a list"}), [], None, date(2026, 3, 2))
    assert broken.assessment is not None and broken.dropped == ("members",)
