"""Moving through the interview: committing an answer, going on, back, to a question to change,
restarting, switching language. Each function changes ``turn.state`` and adds the replies."""

from __future__ import annotations

from typing import Any

from bot.engine import Message, msg
from bot.i18n import Lang
from flows.interpret import parse_language
from flows.machine import Position, current_ref, is_live, move, next_position, prune
from flows.question_types import Question
from flows.questions import GROUPS, MEMBER_QUESTIONS, QUESTIONS, question_for_field
from flows.replies import language_reply, prompt, question_reply, result_reply, summary_reply
from flows.session import RESULT, SUMMARY, SessionState
from flows.turns import MEMBERS_REF, Reply, Services, Turn, info


def answer(
    services: Services, turn: Turn, question: Question, value: Any, understood: Message | None = None
) -> None:
    """Commit an answer to the current question, drop what no longer applies, move on; what was
    ``understood`` from the person's words is said back at the top of the next message."""
    state = turn.state
    ref = current_ref(state)
    state.selection = None
    clear_pending(state)
    if question.id in MEMBER_QUESTIONS:
        index = state.member_index or 0
        if question is GROUPS["members"].more:
            _more_members(turn, index, bool(value))
        else:
            state.members[index].update(question.writes(value))
            turn.new_answers += [(f"members[{index}].{k}", v) for k, v in question.writes(value).items()]
    else:
        writes = question.writes(value)
        replaced = [name for name in question.answered_by if name not in writes and name in state.answers]
        for name in replaced:  # a typed postcode replaces an invite's region
            del state.answers[name]
        state.answers.update(writes)
        turn.new_answers += list(writes.items()) + [(name, None) for name in replaced]
        if question.members_update is not None:
            state.answers["members"] = question.members_update(value, state.members, state.answers)
            turn.new_answers.append(("members", [dict(member) for member in state.members]))
    state.history = [entry for entry in state.history if entry != ref] + [ref]
    turn.new_answers += [(name, None) for name in prune(state)]
    advance(services, turn)
    if understood is not None and turn.replies:
        said_back = turn.replies[-1]
        said_back.messages.insert(0, understood)
        said_back.understood = understood


def clear_pending(state: SessionState) -> None:
    """Forget an answer waiting for confirmation or for a choice between readings."""
    state.pending_value = state.pending_confirm = state.pending_choices = None


def ask_to_confirm(services: Services, turn: Turn, value: Any, confirm: Message) -> None:
    """Keep ``value`` aside and ask yes/no (``confirm``) before storing it."""
    state = turn.state
    clear_pending(state)
    state.pending_value, state.pending_confirm = value, confirm
    state.version += 1
    turn.replies.append(question_reply(state, services.today()))


def ask_which(services: Services, turn: Turn, alternatives: tuple[Any, ...], error: Message | None) -> None:
    """The words fit several answers: ask once which one, offering only those."""
    state = turn.state
    clear_pending(state)
    state.pending_choices = list(alternatives)
    state.version += 1
    if error is not None:
        turn.replies.append(Reply(kind="info", messages=[error]))
    turn.replies.append(question_reply(state, services.today()))


def _more_members(turn: Turn, index: int, more: bool) -> None:
    state = turn.state
    del state.members[index + 1 :]
    if more:
        state.members.append({})
        state.member_index, state.member_mode = len(state.members) - 1, "adding"
    else:
        state.member_index = state.member_mode = None
        turn.new_answers.append(("members", [dict(member) for member in state.members]))


def advance(services: Services, turn: Turn) -> None:
    """Go to the next unanswered question, filling in confirmed invite facts on the way."""
    state = turn.state
    while True:
        position = next_position(state, services.today())
        question = QUESTIONS.get(position.state)
        facts = _prefilled_for(state, question) if question is not None else {}
        if not facts:
            break
        state.answers.update(facts)
        turn.new_answers += list(facts.items())
    go(services, turn, position, "advance")


def _prefilled_for(state: SessionState, question: Question) -> dict[str, Any]:
    if state.prefill_status != "accepted" or question.id in MEMBER_QUESTIONS:
        return {}
    names = set(question.fields) | set(question.answered_by)
    return {name: value for name, value in state.prefill.items() if name in names}


def go(services: Services, turn: Turn, position: Position, trigger: str) -> None:
    """Move the machine to ``position`` and put its question (or the summary / result)."""
    state = turn.state
    state.current = move(state.current, trigger, position.state)
    if position.member_index is not None:
        if state.member_mode is None and trigger == "advance" and "members" in state.answers:
            state.member_mode = "editing"  # a member's answer found missing after the family was closed
        members = state.answers.setdefault("members", [])
        while len(members) <= position.member_index:
            members.append({})
        state.member_index = position.member_index
        state.member_mode = state.member_mode or "adding"
    else:
        state.member_index = state.member_mode = None
    state.selection = _earlier_selection(state)
    clear_pending(state)
    state.version += 1
    if state.current == SUMMARY:
        turn.replies.append(summary_reply(state, final=True))
    elif state.current == RESULT:
        turn.replies.append(result_reply(services, state))
    else:
        turn.replies.append(question_reply(state, services.today()))


def _earlier_selection(state: SessionState) -> list[str] | None:
    """A multiple choice put again (after back or change) starts from the choices already made."""
    question = QUESTIONS.get(state.current)
    if question is None or question.kind != "multi_choice" or question.id in MEMBER_QUESTIONS:
        return None
    earlier = question.value_in(state.answers) if question.answered_in(state.answers) else None
    return list(earlier) if isinstance(earlier, list) else None


def reask(services: Services, turn: Turn, error: Message | None) -> None:
    """Say what was wrong and put the same question again (nothing is lost)."""
    turn.replies.append(Reply(kind="error", messages=[error or msg("dialogue.error.unreadable")]))
    turn.replies.append(prompt(services, turn.state))


def back(services: Services, turn: Turn) -> None:
    """The previous question that still applies (from the result: the summary)."""
    state = turn.state
    if state.current == RESULT:
        go(services, turn, Position(SUMMARY), "reopen")
        return
    here = current_ref(state)
    while state.history:
        position = Position.from_ref(state.history.pop())
        if position.ref != here and is_live(position, state):
            if position.state in MEMBER_QUESTIONS and state.member_mode is None:
                state.member_mode = "adding"
            go(services, turn, position, "back")
            return
    turn.replies.append(info("dialogue.info.at_start"))
    turn.replies.append(prompt(services, state))


def restart(services: Services, turn: Turn) -> None:
    """Forget every answer (invite facts are offered again) and start over."""
    old = turn.state
    fresh = SessionState(
        lang=old.lang,
        current=old.current,
        prefill=old.prefill,
        prefill_status="pending" if old.prefill else "none",
        employer=old.employer,
        version=old.version,
    )
    turn.state = fresh
    turn.replies.append(info("dialogue.info.restarted"))
    go(services, turn, next_position(fresh, services.today()), "restart")


def change(services: Services, turn: Turn, target: str) -> None:
    """From the summary or the result: put the question behind ``target`` (a reference or a field)."""
    state = turn.state
    if state.current not in (SUMMARY, RESULT):
        turn.replies.append(info("dialogue.info.change_from_summary"))
        turn.replies.append(prompt(services, state))
        return
    if target == MEMBERS_REF and state.members:
        state.member_index, state.member_mode = len(state.members) - 1, "adding"
        go(services, turn, Position(GROUPS["members"].more.id, state.member_index), "change")
        return
    position = _resolve(target)
    if position is None or not is_live(position, state):
        turn.replies.append(info("dialogue.info.cannot_change"))
        turn.replies.append(prompt(services, state))
        return
    if position.member_index is not None:
        state.member_mode = "editing"
    go(services, turn, position, "change")


def _resolve(target: str) -> Position | None:
    target = target.strip()
    if "@" in target:
        position = Position.from_ref(target) if target.split("@")[1].isdigit() else None
        return position if position and position.state in MEMBER_QUESTIONS else None
    if target in QUESTIONS and target not in MEMBER_QUESTIONS:
        return Position(target)
    owner = question_for_field(target)
    return Position(owner.id) if owner else None


def switch_language(services: Services, turn: Turn, word: str) -> None:
    """Speak ``word``'s language from now on (or offer the languages if it names none)."""
    lang: Lang | None = parse_language(word)
    if lang is None:
        turn.replies.append(language_reply(turn.state))
        return
    turn.state.lang = lang
    turn.state.version += 1
    turn.replies.append(info("dialogue.language.changed"))
    turn.replies.append(prompt(services, turn.state))
