"""Building what the person sees for the current state: the question, the invite facts, the
summary, the result and the language menu. Nothing here changes the state."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from bot.engine import Message, msg
from bot.i18n import LANGS
from flows.display import answered_questions, fact_lines, summary_lines
from flows.features import Situation
from flows.hints import hint
from flows.interpret import DONE, choices
from flows.machine import current_ref
from flows.question_types import BlockName, Question
from flows.questions import BLOCK_OF, GROUPS, MEMBER_QUESTIONS, QUESTIONS
from flows.session import RESULT, SUMMARY, SessionState, build_answers
from flows.turns import CHANGE, CONFIRM, LANGUAGE, MEMBERS_REF, PICK, SECTION, Option, Reply, Services

CHOICE_KINDS = ("choice", "yes_no", "yes_no_unsure")


def option(state: SessionState, label: Message, value: str) -> Option:
    """A button for the question being asked now."""
    return Option(label=label, value=value, question_id=current_ref(state), state_version=state.version)


def prompt(services: Services, state: SessionState) -> Reply:
    """What the person is being asked right now (re-sent after errors, help, language)."""
    if state.current == SUMMARY:
        return summary_reply(state, final=True)
    if state.current == RESULT:
        return result_reply(services, state)
    return question_reply(state, services.today())


def question_reply(state: SessionState, today: date) -> Reply:
    """The current question with its hint, the current answer (after back) and its options."""
    if state.current not in QUESTIONS:
        return prefill_reply(state)
    question = QUESTIONS[state.current]
    messages: list[Message] = []
    if question.id in MEMBER_QUESTIONS:
        messages.append(msg("dialogue.member.heading", number=(state.member_index or 0) + 1))
    if state.pending_confirm is not None or state.pending_choices:
        return _pending_reply(state, question, messages)
    messages.append(msg(question.text_key_for(Situation(state.answers))))
    shown_hint = hint(question, today)
    if shown_hint is not None:
        messages.append(shown_hint)
    scope = state.member if question.id in MEMBER_QUESTIONS else state.answers
    if question.answered_in(scope) and question is not GROUPS["members"].more:
        messages.append(msg("dialogue.current_answer"))
        messages += summary_lines(question, scope, with_label=False)
    selected = state.selection or []
    options = []
    for choice in choices(question):
        label = msg(choice.key)
        if choice.value in selected:
            label = msg("dialogue.option.selected", label_key=choice.key)
        options.append(option(state, label, choice.value))
    if question.kind == "multi_choice":
        options.append(option(state, msg("dialogue.option.done"), DONE))
    return Reply(kind="question", messages=messages, options=options, question_id=current_ref(state))


def _pending_reply(state: SessionState, question: Question, messages: list[Message]) -> Reply:
    """A yes/no check of an understood answer, or the few answers ambiguous words may mean."""
    ref = current_ref(state)
    if state.pending_confirm is not None:
        options = [
            option(state, msg("dialogue.answer.yes"), "yes"),
            option(state, msg("dialogue.answer.no"), "no"),
        ]
        return Reply(
            kind="question", messages=[*messages, state.pending_confirm], options=options, question_id=ref
        )
    labels = [value_label(question, value) for value in state.pending_choices or []]
    options = [option(state, label, f"{PICK}{index}") for index, label in enumerate(labels)]
    messages += [msg(question.text_key), msg("dialogue.ask.which_one")]
    return Reply(kind="question", messages=messages, options=options, question_id=ref)


def value_label(question: Question, value: Any) -> Message:
    """An answer value as a button label (an option's label, or the value written out)."""
    if question.kind in CHOICE_KINDS and isinstance(value, str):
        known = {choice.value: choice.key for choice in choices(question)}
        if value in known:
            return msg(known[value])
    return summary_lines(question, {question.field: value}, with_label=False)[0]


def prefill_reply(state: SessionState) -> Reply:
    """The facts of an HR invite, to confirm once."""
    intro = (
        msg("dialogue.prefill.intro_employer", employer=state.employer)
        if state.employer
        else msg("dialogue.prefill.intro")
    )
    lines = [line for name, value in state.prefill.items() for line in fact_lines(name, value)]
    options = [
        option(state, msg("dialogue.answer.yes"), "yes"),
        option(state, msg("dialogue.answer.no"), "no"),
    ]
    return Reply(
        kind="question",
        messages=[intro, *lines, msg("dialogue.prefill.confirm")],
        options=options,
        question_id=current_ref(state),
    )


def _sections(state: SessionState) -> dict[BlockName, list[tuple[Question, dict[str, Any], str]]]:
    """The answered questions that still apply, by section (block), in interview order."""
    grouped: dict[BlockName, list[tuple[Question, dict[str, Any], str]]] = {}
    for question, scope, ref in answered_questions(state):
        grouped.setdefault(BLOCK_OF[question.id], []).append((question, scope, ref))
    return grouped


def _section_lines(
    state: SessionState, name: BlockName, answered: list[tuple[Question, dict[str, Any], str]]
) -> list[Message]:
    lines = [msg(f"dialogue.summary.section.{name}")]
    for question, scope, ref in answered:
        lines += summary_lines(question, scope, with_label=True, member=ref)
    if name == "B" and "occupation" in state.answers:
        lines += fact_lines("occupation", state.answers["occupation"])
    return lines


def summary_reply(state: SessionState, *, final: bool) -> Reply:
    """Every answer, grouped by section (you, the job, the family…); with ``final``, a "confirm"
    option and one option per section, which opens that section with a "change" option per answer."""
    messages = [msg("dialogue.summary.heading")]
    options = [option(state, msg("dialogue.summary.confirm"), CONFIRM)] if final else []
    for name, answered in _sections(state).items():
        messages += _section_lines(state, name, answered)
        if final:
            label = msg("dialogue.summary.open_section", label_key=f"dialogue.summary.section.{name}")
            options.append(option(state, label, SECTION + name))
    if final:
        messages.append(msg("dialogue.summary.prompt"))
    return Reply(kind="summary", messages=messages, options=options)


def section_reply(state: SessionState, name: str) -> Reply | None:
    """One section of the summary: its answers, a "change" option each, and back to the summary."""
    found = [(block, answered) for block, answered in _sections(state).items() if block == name]
    if not found:
        return None
    block, answered = found[0]
    options = []
    for question, _, ref in answered:
        label = msg("dialogue.summary.change", label_key=question.label_key)
        if "@" in ref:
            number = int(ref.split("@")[1]) + 1
            label = msg("dialogue.summary.change_member", label_key=question.label_key, number=number)
        options.append(option(state, label, CHANGE + ref))
    if block == "F" and state.members:
        options.append(option(state, msg("dialogue.summary.add_member"), CHANGE + MEMBERS_REF))
    options.append(option(state, msg("dialogue.summary.overview"), SECTION))
    return Reply(kind="summary", messages=_section_lines(state, block, answered), options=options)


def result_reply(services: Services, state: SessionState) -> Reply:
    """The engine's assessment of the answers, with "show my answers" and "restart"."""
    try:
        answers = build_answers(state)
    except ValidationError:
        return Reply(kind="error", messages=[msg("dialogue.error.answers_invalid")])
    assessment = services.assess(answers, services.today())
    options = [
        option(state, msg("dialogue.result.show_answers"), SUMMARY),
        option(state, msg("dialogue.result.restart"), "restart"),
    ]
    return Reply(
        kind="result", messages=[msg("dialogue.result.intro")], options=options, assessment=assessment
    )


def language_reply(state: SessionState) -> Reply:
    """The three languages as options."""
    options = [
        Option(
            label=msg(f"dialogue.language.{lang}"),
            value=lang,
            question_id=LANGUAGE,
            state_version=state.version,
        )
        for lang in LANGS
    ]
    return Reply(kind="question", messages=[msg("dialogue.language.ask")], options=options)
