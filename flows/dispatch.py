"""Which event means what, where the interview stands: a button press, typed text or a command is
sent to the navigation step it stands for."""

from __future__ import annotations

import re

from bot.engine import Message, msg
from flows import navigation as nav
from flows.control import asks_why
from flows.interpret import DONE, check_multi, choices, fold_label, read_text, stored_value, yes_or_no
from flows.machine import Position, current_ref
from flows.question_types import Question
from flows.questions import QUESTIONS, question_for_field
from flows.replies import CHOICE_KINDS, language_reply, prompt, question_reply, section_reply, summary_reply
from flows.session import PREFILL, RESULT, SUMMARY, SessionState
from flows.turns import (
    CHANGE,
    CONFIRM,
    LANGUAGE,
    PICK,
    SECTION,
    ChoiceInput,
    Command,
    Reply,
    Services,
    Turn,
    info,
)

AWAITED_MONTH = "awaited_month"
_DAY_ALONE = re.compile(r"(?:le |de |the |on the |op )?(?P<day>[0-9]{1,2})(?:st|nd|rd|th|e|er|ste|de)?\.?")


def on_choice(services: Services, turn: Turn, event: ChoiceInput) -> None:
    """A button press, if it belongs to the question shown now."""
    state = turn.state
    if event.state_version != state.version:
        turn.replies.append(info("dialogue.info.moved_on"))
        return
    if event.question_id == LANGUAGE:
        nav.switch_language(services, turn, event.value)
        return
    if event.question_id != current_ref(state):
        turn.replies.append(info("dialogue.info.moved_on"))
        return
    if state.current == PREFILL:
        on_prefill(services, turn, event.value)
    elif state.current == SUMMARY:
        on_summary_option(services, turn, event.value)
    elif state.current == RESULT:
        on_result_option(services, turn, event.value)
    else:
        on_question_option(services, turn, QUESTIONS[state.current], event.value)


def on_question_option(services: Services, turn: Turn, question: Question, value: str) -> None:
    """An option of the current question: answer it (or tick / untick it in a multi-choice)."""
    state = turn.state
    if state.pending_confirm is not None or state.pending_choices:
        on_pending_option(services, turn, question, value)
        return
    if question.kind == "multi_choice":
        if value == DONE:
            reading = check_multi(question, state.selection or [])
            if reading.ok:
                nav.answer(services, turn, question, reading.value)
            else:
                nav.reask(services, turn, reading.error)
            return
        if value not in question.option_values():
            turn.replies.append(info("dialogue.info.unknown_option"))
            return
        selected = list(state.selection or [])
        selected = [v for v in selected if v != value] if value in selected else [*selected, value]
        if value in question.exclusive and value in selected:
            selected = [value]
        elif value not in question.exclusive:
            selected = [v for v in selected if v not in question.exclusive]
        state.selection = selected
        state.version += 1
        turn.replies.append(question_reply(state, services.today()))
        return
    if value not in {choice.value for choice in choices(question)}:
        turn.replies.append(info("dialogue.info.unknown_option"))
        return
    nav.answer(services, turn, question, stored_value(question, value))


def on_pending_option(services: Services, turn: Turn, question: Question, value: str) -> None:
    """Yes / no to an understood answer, or the reading the person meant."""
    state = turn.state
    if state.pending_confirm is not None and value in ("yes", "no"):
        if value == "yes":
            nav.answer(services, turn, question, state.pending_value)
        else:
            nav.clear_pending(state)
            state.version += 1
            turn.replies.append(question_reply(state, services.today()))
        return
    picked = value.removeprefix(PICK)
    choices_left = state.pending_choices or []
    if value.startswith(PICK) and picked.isdigit() and int(picked) < len(choices_left):
        chosen = choices_left[int(picked)]
        is_option = question.kind in CHOICE_KINDS and isinstance(chosen, str)
        nav.answer(services, turn, question, stored_value(question, chosen) if is_option else chosen)
        return
    turn.replies.append(info("dialogue.info.unknown_option"))


def _on_pending_text(services: Services, turn: Turn, question: Question, words: str) -> bool:
    """Typed yes / no to an understood answer, or the number of one of the readings offered; True
    when the words were that. Anything else is a new answer to the question (the pending one is
    dropped)."""
    state = turn.state
    if state.pending_confirm is not None:
        said = yes_or_no(words, state.lang)
        if said is not None:
            on_pending_option(services, turn, question, said)
            return True
    number = fold_label(words)
    if state.pending_choices and number.isdigit() and 1 <= int(number) <= len(state.pending_choices):
        on_pending_option(services, turn, question, f"{PICK}{int(number) - 1}")  # the number shown
        return True
    nav.clear_pending(state)
    return False


def on_text(services: Services, turn: Turn, words: str) -> None:
    """Typed text: an answer to the question, or a choice at the invite / summary."""
    state = turn.state
    if state.current != RESULT and asks_why(words):  # "pourquoi ?", "waarom?": explained, asked again
        return on_help(services, turn)
    if state.current == PREFILL:
        option = yes_or_no(words, state.lang)
        if option is None:
            nav.reask(services, turn, msg("dialogue.error.yes_or_no"))
        else:
            on_prefill(services, turn, option)
    elif state.current == SUMMARY:
        chosen = _summary_choice(turn, words)
        if chosen is None:
            nav.reask(services, turn, msg("dialogue.error.summary_choice"))
        else:
            on_summary_option(services, turn, chosen)
    elif state.current == RESULT:
        turn.replies.append(info("dialogue.info.finished"))
    else:
        question = QUESTIONS[state.current]
        if (state.pending_confirm is not None or state.pending_choices) and _on_pending_text(
            services, turn, question, words
        ):
            return
        words = _with_awaited_month(state, words)
        reading = read_text(question, words, state.lang, services.today(), state.answers)
        if reading.alternatives:
            nav.ask_which(services, turn, reading.alternatives, reading.error)
        elif reading.ok and reading.confirm is not None:
            nav.ask_to_confirm(services, turn, reading.value, reading.confirm)
        elif reading.ok:
            nav.answer(services, turn, question, reading.value, reading.understood)
        else:
            nav.reask(services, turn, reading.error)
            _await_day(state, reading.error)


def _await_day(state: SessionState, error: Message | None) -> None:
    """After "which day of March 1990?", keep the month aside (with the question's version) so that
    a day typed next ("12", "le 12") is read with it."""
    month = error.params.get("awaited_month") if error is not None else None
    if isinstance(month, str) and state.pending_confirm is None and not state.pending_choices:
        state.pending_value = {AWAITED_MONTH: month, "version": state.version}


def _with_awaited_month(state: SessionState, words: str) -> str:
    """A day alone typed after "which day of …?" as the whole date of that month; anything else
    unchanged. The month kept aside is dropped either way."""
    kept = state.pending_value
    if not (isinstance(kept, dict) and AWAITED_MONTH in kept):
        return words
    state.pending_value = None
    day = _DAY_ALONE.fullmatch(words.strip().lower())
    if kept.get("version") != state.version or day is None:
        return words
    year, month = str(kept[AWAITED_MONTH]).split("-")
    return f"{int(day['day'])}/{month}/{year}"


def on_command(services: Services, turn: Turn, command: Command) -> None:
    """back, restart, language, summary, help, change."""
    state = turn.state
    if command.name == "back":
        nav.back(services, turn)
    elif command.name == "restart":
        nav.restart(services, turn)
    elif command.name == "language":
        if command.arg:
            nav.switch_language(services, turn, command.arg)
        else:
            turn.replies.append(language_reply(state))
    elif command.name == "summary":  # shows the answers; moves nowhere until one is changed
        turn.replies.append(summary_reply(state, final=state.current in (SUMMARY, RESULT)))
    elif command.name == "help":
        on_help(services, turn)
    else:
        nav.change(services, turn, command.arg or "")


def on_help(services: Services, turn: Turn) -> None:
    """Why the current question is asked (or what to do here), then the question again. The reply
    is ``kind="help"`` and carries only this contextual help: each channel adds its own commands."""
    state = turn.state
    question = QUESTIONS.get(state.current)
    key = question.help_key if question else f"dialogue.help.{state.current}"
    turn.replies.append(Reply(kind="help", messages=[msg(key)], question_id=current_ref(state)))
    turn.replies.append(prompt(services, state))


def on_prefill(services: Services, turn: Turn, value: str) -> None:
    """The invite's facts accepted (used as answers) or rejected (asked as usual)."""
    state = turn.state
    if value not in ("yes", "no"):
        turn.replies.append(info("dialogue.info.unknown_option"))
        return
    state.prefill_status = "accepted" if value == "yes" else "rejected"
    if value == "yes":
        unasked = {k: v for k, v in state.prefill.items() if question_for_field(k) is None}
        state.answers.update(unasked)
        turn.new_answers += list(unasked.items())
    nav.advance(services, turn)


def on_summary_option(services: Services, turn: Turn, value: str) -> None:
    """Confirm (the result), open a section of the summary (or go back to it), change an answer."""
    section = section_reply(turn.state, value.removeprefix(SECTION)) if value.startswith(SECTION) else None
    if value == CONFIRM:
        nav.go(services, turn, Position(RESULT), "finish")
    elif value.startswith(CHANGE):
        nav.change(services, turn, value.removeprefix(CHANGE))
    elif value == SECTION:
        turn.replies.append(summary_reply(turn.state, final=True))
    elif section is not None:
        turn.replies.append(section)
    else:
        turn.replies.append(info("dialogue.info.unknown_option"))


def on_result_option(services: Services, turn: Turn, value: str) -> None:
    """Back to the summary, or start over; from the summary shown over the result, the result
    again, a section, or a change."""
    if value == SUMMARY:
        nav.go(services, turn, Position(SUMMARY), "reopen")
    elif value == "restart":
        nav.restart(services, turn)
    elif value == CONFIRM:
        turn.replies.append(prompt(services, turn.state))
    elif value.startswith((SECTION, CHANGE)):
        on_summary_option(services, turn, value)
    else:
        turn.replies.append(info("dialogue.info.unknown_option"))


def _summary_choice(turn: Turn, words: str) -> str | None:
    state = turn.state
    options = summary_reply(state, final=True).options
    wanted = fold_label(words)
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1].value
    return CONFIRM if yes_or_no(words, state.lang) == "yes" else None
