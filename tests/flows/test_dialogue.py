"""The dialogue API: answering, navigation (back, change, language, restart), resuming from the
serialised state, stale or forged button presses, invite facts, help and the summary."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bot.engine import Assessment, assess, implied_sponsor_type, with_derived_fields
from bot.i18n import LANGS, Lang, render
from flows.dialogue import (
    CHANGE,
    DONE,
    SECTION,
    ChoiceInput,
    Command,
    CommandName,
    Dialogue,
    Reply,
    TextInput,
    Turn,
)
from flows.machine import current_ref
from flows.questions import BLOCK_OF, QUESTIONS
from flows.session import RESULT, SUMMARY, SessionState, build_answers
from tests.flows.personas import BRUSSELS_FAMILY, BRUSSELS_WORKER
from tests.flows.scripts import Script, scripted_answer, typed_line

TODAY = date(2026, 3, 1)


class Chat:
    """A conversation driven like a person would: typing, pressing buttons, using commands."""

    def __init__(self, lang: Lang = "en", dialogue: Dialogue | None = None, **start: Any) -> None:
        self.dialogue = dialogue or Dialogue(today=TODAY)
        self.turn = self.dialogue.start(lang, **start)
        self.asked: list[str] = [self.state.current]

    @property
    def state(self) -> SessionState:
        return self.turn.state

    @property
    def last(self) -> Reply:
        return self.turn.replies[-1]

    def _apply(self, turn: Turn) -> Turn:
        before = self.state.current
        self.turn = turn
        if self.state.current != before or any(r.kind == "question" for r in turn.replies):
            self.asked.append(self.state.current)
        return turn

    def say(self, *texts: str) -> Turn:
        for words in texts:
            self._apply(self.dialogue.handle(self.state, TextInput(words)))
        return self.turn

    def press(self, value: str) -> Turn:
        option = next(o for o in self.last.options if o.value == value)
        return self._apply(
            self.dialogue.handle(
                self.state, ChoiceInput(option.question_id, option.value, option.state_version)
            )
        )

    def command(self, name: CommandName, arg: str | None = None) -> Turn:
        return self._apply(self.dialogue.handle(self.state, Command(name, arg)))

    def play(self, script: Script, *, until: str | None = None, typing: bool = False) -> Turn:
        """Answer from the script (by option value) up to the summary, or up to question ``until``."""
        for _ in range(120):
            if self.state.current in (SUMMARY, "prefill") or current_ref(self.state) == until:
                return self.turn
            question = QUESTIONS[self.state.current]
            value = scripted_answer(script, self.state)
            options = {o.value for o in self.last.options}
            if typing:
                self.say(typed_line(question, value, self.state.lang))
            elif question.kind == "multi_choice":
                for item in value:
                    self.press(item)
                self.press(DONE)
            elif isinstance(value, str) and value in options:
                self.press(value)
            else:
                self.say(str(value))
        raise AssertionError(f"no summary; asked {self.asked}")

    def change(self, ref: str) -> Turn:
        """From the summary: open the section holding ``ref``, then its "change" option."""
        self.press(SECTION + BLOCK_OF[ref.split("@")[0]])
        return self.press(CHANGE + ref)

    def message_keys(self) -> list[str]:
        return [message.key for reply in self.turn.replies for message in reply.messages]


def test_typed_interview_reaches_a_summary_then_the_engine_result() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, typing=True)
    assert chat.state.current == SUMMARY
    assert chat.state.answers == {
        "nationalities": ["IN"],
        "current_location": "abroad",
        "purposes": ["employee"],
        "work_postcode": "1000",
        "employer_type": "belgian_employer",
        "qualification": "higher_ed_3y_plus",
        "salary_month_base": 4200.0,
        "contract_months": 0,
        "start_date": "2026-09-01",
    }  # his age, the Actiris list and the special categories change nothing for this Blue Card
    chat.say("yes")
    assert chat.last.kind == "result"
    expected = assess(build_answers(chat.state), on=TODAY)
    assert isinstance(chat.last.assessment, Assessment)
    assert chat.last.assessment == expected


@pytest.mark.parametrize(
    ("lang", "typed", "value"),
    [
        ("en", "In Belgium", "belgium"),
        ("fr", "en belgique", "belgium"),
        ("nl", "In België", "belgium"),
        ("nl", "buitenland", "abroad"),
        ("fr", "2", "belgium"),
        ("en", "abroad", "abroad"),
    ],
)
def test_free_text_is_matched_against_the_option_labels(lang: Lang, typed: str, value: str) -> None:
    chat = Chat(lang)
    chat.say("India", typed)
    assert chat.state.answers["current_location"] == value


def test_unmatched_text_for_a_choice_is_refused_and_the_question_repeated() -> None:
    chat = Chat()
    chat.say("India", "on the moon")
    assert [reply.kind for reply in chat.turn.replies] == ["error", "question"]
    assert chat.state.current == "current_location"
    assert "current_location" not in chat.state.answers


def test_parse_error_reasks_with_an_example_and_loses_nothing() -> None:
    chat = Chat()
    chat.play(BRUSSELS_FAMILY, until="dob")
    before = chat.state.answers.copy()
    chat.say("banana")
    assert chat.turn.replies[0].kind == "error"
    assert chat.turn.replies[0].messages[0].key.startswith("parse.")
    assert chat.state.current == "dob" and chat.state.answers == before
    chat.say("31/12/2099")  # a birth date in the future
    assert chat.turn.replies[0].kind == "error" and chat.state.current == "dob"


def test_implausible_salary_is_refused() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, until="salary_month_base")
    assert chat.state.current == "salary_month_base"
    chat.say("3")
    assert chat.turn.replies[0].kind == "error"
    assert "salary_month_base" not in chat.state.answers


def test_back_returns_to_the_previous_question_and_keeps_later_answers() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, until="contract_months")
    assert chat.state.current == "contract_months"
    chat.command("back")
    assert chat.state.current == "salary_month_base"
    assert "dialogue.current_answer" in chat.message_keys()
    chat.command("back")
    assert chat.state.current == "qualification"
    chat.press("higher_ed_3y_plus")  # same answer again: the salary still applies and is kept
    assert chat.state.current == "contract_months"
    assert chat.state.answers["salary_month_base"] == 4200.0


def test_back_then_a_different_answer_drops_what_no_longer_applies() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, until="contract_months")
    while chat.state.current != "purposes":
        chat.command("back")
    chat.press("employee")  # untick: study instead of work
    chat.press("study")
    chat.press(DONE)
    assert chat.state.current == "study_admitted"
    for dropped in ("dob", "work_postcode", "employer_type", "qualification", "salary_month_base"):
        assert dropped not in chat.state.answers
    assert ("salary_month_base", None) in chat.turn.new_answers


def test_back_at_the_first_question_says_so() -> None:
    chat = Chat()
    chat.command("back")
    assert chat.turn.replies[0].messages[0].key == "dialogue.info.at_start"
    assert chat.state.current == "nationalities"


def test_change_from_the_summary_asks_only_what_the_change_made_necessary() -> None:
    chat = Chat()
    chat.play(
        {**BRUSSELS_WORKER, "nationalities": "France"}
    )  # an EU citizen who wants to work: nothing more to ask
    assert chat.state.current == SUMMARY
    chat.change("nationalities")
    chat.asked.clear()
    chat.say("India")  # now a third-country national: the employee block opens
    chat.play(BRUSSELS_WORKER)
    assert chat.state.current == SUMMARY
    assert (
        chat.asked[0] == "work_postcode"
        and "current_location" not in chat.asked
        and "purposes" not in chat.asked
    )
    chat.change("nationalities")
    chat.say("France")
    assert chat.state.current == SUMMARY
    assert set(chat.state.answers) == {"nationalities", "current_location", "purposes"}


def test_change_by_field_name_and_refusal_of_unknown_fields() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER)
    chat.command("change", "salary_month_base")
    assert chat.state.current == "salary_month_base"
    chat.say("5000")
    assert chat.state.current == SUMMARY and chat.state.answers["salary_month_base"] == 5000.0
    chat.command("change", "salary_year")  # Flemish salary: not part of a Brussels interview
    assert chat.turn.replies[0].messages[0].key == "dialogue.info.cannot_change"
    assert chat.state.current == SUMMARY


def test_change_mid_flow_points_to_the_summary() -> None:
    chat = Chat()
    chat.say("India")
    chat.command("change", "nationalities")
    assert chat.turn.replies[0].messages[0].key == "dialogue.info.change_from_summary"
    assert chat.state.current == "current_location"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_language_switch_keeps_every_answer_and_resends_the_question(lang: Lang) -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, until="employer_type")
    answers = chat.state.answers.copy()
    chat.command("language", lang)
    assert chat.state.lang == lang and chat.state.answers == answers
    assert chat.last.kind == "question"
    assert chat.last.messages[0].key == "question.employer_type.text"
    english = render(chat.last.messages[0], "en")
    assert render(chat.last.messages[0], lang) != english


def test_language_without_argument_offers_the_languages() -> None:
    chat = Chat()
    chat.command("language")
    options = chat.last.options
    assert [o.value for o in options] == list(LANGS)
    chat.press("nl")
    assert chat.state.lang == "nl"


def test_restart_clears_everything() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, until="qualification")
    chat.command("restart")
    assert chat.state.answers == {} and chat.state.history == []
    assert chat.state.current == "nationalities"


def test_resume_after_a_process_restart_from_the_serialised_state() -> None:
    straight = Chat()
    straight.play(BRUSSELS_WORKER)
    interrupted = Chat()
    interrupted.play(BRUSSELS_WORKER, until="qualification")
    saved = json.dumps(interrupted.state.to_dict())
    fresh = Dialogue(today=TODAY)  # a new process: new dialogue, state read back from JSON
    state = SessionState.from_dict(json.loads(saved))
    resumed = fresh.resume(state)
    assert resumed.replies[0].messages[0].key == "dialogue.resumed"
    assert resumed.replies[-1].messages[0].key == "question.qualification.text"
    chat = Chat(dialogue=fresh)
    chat.turn = resumed
    chat.play(BRUSSELS_WORKER)
    assert chat.state.answers == straight.state.answers
    chat.command("back")
    assert chat.state.current == "start_date"


def test_stale_and_forged_button_presses_change_nothing() -> None:
    chat = Chat()
    chat.say("India")
    old = chat.last.options[0]  # an option of the question shown now
    chat.press("abroad")
    before = chat.state.to_dict()
    cases = [
        ChoiceInput(old.question_id, old.value, old.state_version),  # an older version
        ChoiceInput("nationalities", "IN", chat.state.version),  # another question
        ChoiceInput("purposes", "world_domination", chat.state.version),  # a value never offered
        ChoiceInput("purposes", "employee", chat.state.version + 7),  # a version from the future
    ]
    for event in cases:
        turn = chat.dialogue.handle(chat.state, event)
        assert turn.state.to_dict() == before
        assert [reply.kind for reply in turn.replies] == ["info"]
        assert turn.new_answers == []


def test_multi_choice_by_buttons_toggles_then_done() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER, until="purposes")
    chat.press("employee")
    chat.press("bring_family")
    chat.press("employee")  # untick
    chat.press("study")
    labels = [o.label.key for o in chat.last.options if o.value in ("bring_family", "study")]
    assert labels == ["dialogue.option.selected"] * 2
    chat.press("__done__")
    assert chat.state.answers["purposes"] == ["study", "bring_family"]


def test_exclusive_option_wins_in_a_multi_choice() -> None:
    chat = Chat()
    chat.play({**BRUSSELS_WORKER, "salary_month_base": "2600"}, until="special")  # below the Blue Card
    chat.say(typed_line(QUESTIONS["special"], ["nurse", "none"], "en"))
    assert chat.state.answers["special"] == ["none"]


@pytest.mark.parametrize("accept", [True, False])
def test_invite_facts_are_confirmed_once(accept: bool) -> None:
    prefill = {"work_postcode": "1000", "salary_month_base": 4200.0, "occupation": "Data engineer"}
    chat = Chat(prefill=prefill, employer="Acme")
    assert chat.state.current == "prefill"
    assert chat.last.messages[0].key == "dialogue.prefill.intro_employer"
    chat.say("yes" if accept else "no")
    chat.play(BRUSSELS_WORKER)
    assert chat.state.current == SUMMARY
    assert ("work_postcode" in chat.asked) is not accept
    assert ("salary_month_base" in chat.asked) is not accept
    assert chat.state.answers["salary_month_base"] == 4200.0
    assert ("occupation" in chat.state.answers) is accept


def test_help_explains_why_the_question_is_asked() -> None:
    chat = Chat()
    chat.say("India")
    chat.command("help")
    assert chat.turn.replies[0].kind == "help"
    assert [m.key for m in chat.turn.replies[0].messages] == ["question.current_location.help"]
    assert chat.last.kind == "question" and chat.state.current == "current_location"


def test_family_told_at_once_then_a_member_added_changed_and_back() -> None:
    chat = Chat()
    chat.play(BRUSSELS_FAMILY)
    assert chat.state.current == SUMMARY
    assert "family_who" in chat.asked and "member_more" not in chat.asked
    members = chat.state.answers["members"]
    assert [m["relation"] for m in members] == ["spouse", "child_minor"]
    answers = with_derived_fields(build_answers(chat.state))
    assert "sponsor_type_self" not in chat.asked and answers.sponsor_dob == date(1990, 4, 12)
    assert implied_sponsor_type(answers.nationalities, answers.card_type, answers.purposes) == "tcn_limited"
    assert answers.members is not None and answers.members[1].dob == date(2015, 3, 1)
    chat.press("section:F")
    assert "change:members" in [o.value for o in chat.last.options]
    chat.press("change:members")  # "add another family member?"
    assert (chat.state.current, chat.state.member_index) == ("member_more", 1)
    chat.press("yes")
    assert (chat.state.current, chat.state.member_index) == ("member_relation", 2)
    chat.press("child_minor")
    assert (chat.state.current, chat.state.member_index) == ("member_dob", 2)
    chat.command("back")
    assert (chat.state.current, chat.state.member_index) == ("member_relation", 2)
    chat.press("child_minor")
    chat.say("01/01/2019")
    chat.play({**BRUSSELS_FAMILY, "member_nationality@2": "Morocco", "member_more@2": "no"})
    assert chat.state.current == SUMMARY
    assert [m["relation"] for m in chat.state.answers["members"]] == ["spouse", "child_minor", "child_minor"]
    chat.press("section:F")
    change = [o for o in chat.last.options if o.value == "change:member_relation@0"]
    assert change, "each member can be changed from the family section of the summary"
    chat.press("change:member_relation@0")
    chat.press("partner_registered_other")  # durable-relationship questions become necessary
    assert chat.state.current == "member_cohabitation_months"
    chat.say("24")
    assert chat.state.current == SUMMARY
    assert chat.state.answers["members"][0]["cohabitation_months"] == 24


def test_summary_is_grouped_by_section_with_a_change_option_per_answer_inside() -> None:
    chat = Chat()
    chat.play(BRUSSELS_FAMILY)
    summary = chat.last
    assert summary.kind == "summary"
    assert [o.value for o in summary.options] == ["confirm", "section:A", "section:B", "section:F"]
    text = "\n".join(render(m, "fr") for m in summary.messages)
    assert "4200" in text.replace("\u202f", "").replace(" ", "").replace(".", "")
    changes = []
    for section in ("section:A", "section:B", "section:F"):
        chat.press(section)
        assert chat.state.current == SUMMARY and chat.last.options[-1].value == "section:"
        changes += [o.value for o in chat.last.options if o.value.startswith("change:")]
        chat.press("section:")  # back to the summary
    together = ("insurance_ok", "red_flags")  # written with housing_ok by one question
    # "_" fields: how the family was told at once (each member is listed and changed instead)
    top = [name for name in chat.state.answers if name not in ("members", *together) and name[0] != "_"]
    members = [key for member in chat.state.members for key in member]
    assert len(changes) == len(top) + len(members) + 1  # + "add a family member"
    assert "change:members" in changes


def test_result_then_summary_then_back_to_result() -> None:
    chat = Chat()
    chat.play(BRUSSELS_WORKER)
    chat.say("yes")
    assert chat.last.kind == "result"
    chat.say("what now?")
    assert chat.last.messages[0].key == "dialogue.info.finished"
    chat.command("summary")  # the answers are shown; nothing moves until one is changed
    assert chat.state.current == RESULT and chat.last.kind == "summary"
    chat.press("confirm")
    assert chat.last.kind == "result" and chat.state.current == RESULT
    chat.command("summary")
    chat.press("section:B")
    chat.press("change:salary_month_base")
    assert chat.state.current == "salary_month_base"
    chat.say("5000")
    assert chat.state.current == SUMMARY


def test_invite_region_stands_for_the_postcode_until_the_person_types_one() -> None:
    chat = Chat(prefill={"region": "FL", "salary_year": 60000.0})
    flemish = {**BRUSSELS_WORKER, "job_is_highly_qualified": "yes", "shortage_fl": "neither"}
    chat.say("yes")
    chat.play(flemish, until="employer_type")
    assert chat.state.answers["region"] == "FL" and "work_postcode" not in chat.state.answers
    chat.play(flemish)
    assert chat.state.current == SUMMARY
    assert any(m.params.get("value_key") == "dialogue.region.FL" for m in chat.last.messages)
    chat.change("work_postcode")
    chat.say("1000")  # Brussels after all: the region goes, the Brussels questions come
    assert "region" not in chat.state.answers
    assert chat.state.current == "salary_month_base"


def test_multi_choice_after_back_keeps_the_earlier_choices_and_done_accepts_them() -> None:
    chat = Chat()
    chat.play(BRUSSELS_FAMILY, until="dob")
    chat.command("back")
    assert chat.state.current == "purposes"
    ticked = [o.value for o in chat.last.options if o.label.key == "dialogue.option.selected"]
    assert ticked == ["employee", "bring_family"]
    chat.press(DONE)
    assert chat.state.current == "dob"
    assert chat.state.answers["purposes"] == ["employee", "bring_family"]
    chat.command("back")
    chat.press("bring_family")  # untick one, keep the other
    chat.press(DONE)
    assert chat.state.answers["purposes"] == ["employee"]
