"""The channel-agnostic dialogue: ``Dialogue.start`` and ``Dialogue.handle`` turn events into
replies (locale keys with parameters) and a new session state. Channels render; nothing here does
I/O. The console and the Telegram adapter use only this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.engine.answers import Answers
from bot.engine.assess import assess, today_in_brussels
from bot.engine.assessment import Assessment
from bot.engine.message import Message, msg
from bot.i18n import LANGS, Lang
from flows.interpret import DONE, check_multi, choices, fold, read_text, stored_value
from flows.machine import Position, is_live, move, next_position, prune
from flows.questions import GROUPS, MEMBER_QUESTIONS, PREFILL_FIELDS, QUESTIONS, Question, question_for_field
from flows.session import PREFILL, RESULT, SUMMARY, SessionState, build_answers

CommandName = Literal["back", "restart", "language", "summary", "help", "change"]
ReplyKind = Literal["question", "error", "info", "summary", "result"]
LANGUAGE = "language"
CONFIRM = "confirm"
CHANGE = "change:"
MEMBERS_REF = "members"


@dataclass(frozen=True)
class TextInput:
    """Text the person typed."""

    text: str


@dataclass(frozen=True)
class ChoiceInput:
    """A button press: the option's value, for the question and state version it was shown under."""

    question_id: str
    value: str
    state_version: int


@dataclass(frozen=True)
class Command:
    """A control word: back, restart, language [fr|nl|en], summary, help, change <field>."""

    name: CommandName
    arg: str | None = None


Event = TextInput | ChoiceInput | Command


class Option(BaseModel):
    """One answer the channel can offer as a button (``question_id`` is the position reference)."""

    model_config = ConfigDict(frozen=True)

    label: Message
    value: str
    question_id: str
    state_version: int


class Reply(BaseModel):
    """One message to the person: sentences (locale keys), options, and the assessment for a result."""

    kind: ReplyKind
    messages: list[Message]
    options: list[Option] = Field(default_factory=list)
    assessment: Assessment | None = None


@dataclass
class Turn:
    """The outcome of one event: the new state, what to say, and the answers it committed
    (``(field, value)``; member fields as ``members[i].field``; a dropped answer as ``(field, None)``)."""

    state: SessionState
    replies: list[Reply]
    new_answers: list[tuple[str, Any]] = field(default_factory=list)


def parse_language(word: str | None) -> Lang | None:
    """A language from 'fr', 'NL', 'english', 'français', 'nederlands'…; None if not recognised."""
    names = {"francais": "fr", "french": "fr", "frans": "fr", "nederlands": "nl", "dutch": "nl",
             "neerlandais": "nl", "english": "en", "anglais": "en", "engels": "en"}  # fmt: skip
    wanted = fold(word or "")
    code = names.get(wanted, wanted)
    for lang in LANGS:
        if code == lang:
            return lang
    return None


class Dialogue:
    """Stateless and shared: every call takes a state and returns a new one (the input is not changed)."""

    def __init__(
        self,
        *,
        today: date | Callable[[], date] | None = None,
        assess_fn: Callable[[Answers, date], Assessment] = lambda answers, day: assess(answers, on=day),
    ) -> None:
        self._today = today
        self._assess = assess_fn

    def today(self) -> date:
        """The interview's "today" (Brussels time unless injected)."""
        if self._today is None:
            return today_in_brussels()
        return self._today() if callable(self._today) else self._today

    # -- public API ------------------------------------------------------------------------------

    def start(
        self, lang: Lang, *, prefill: dict[str, Any] | None = None, employer: str | None = None
    ) -> Turn:
        """A new interview; HR-invite facts (``prefill``) are first shown for confirmation."""
        facts = {key: value for key, value in (prefill or {}).items() if key in PREFILL_FIELDS}
        state = SessionState(
            lang=lang,
            current=PREFILL,
            prefill=facts,
            prefill_status="pending" if facts else "none",
            employer=employer,
        )
        turn = Turn(state, [Reply(kind="info", messages=[msg("dialogue.welcome")])])
        self._go(turn, next_position(state), "restart")
        return turn

    def resume(self, state: SessionState) -> Turn:
        """A saved interview picked up again: "welcome back" and the current question, unchanged."""
        turn = Turn(state.model_copy(deep=True), [_info("dialogue.resumed")])
        turn.replies.append(self._prompt(turn.state))
        return turn

    def handle(self, state: SessionState, event: Event) -> Turn:
        """Apply one event to a copy of ``state``."""
        turn = Turn(state.model_copy(deep=True), [])
        if isinstance(event, ChoiceInput):
            self._on_choice(turn, event)
        elif isinstance(event, Command):
            self._on_command(turn, event)
        else:
            self._on_text(turn, event.text)
        return turn

    # -- events ----------------------------------------------------------------------------------

    def _on_choice(self, turn: Turn, event: ChoiceInput) -> None:
        state = turn.state
        if event.state_version != state.version:
            turn.replies.append(_info("dialogue.info.moved_on"))
            return
        if event.question_id == LANGUAGE:
            self._switch_language(turn, event.value)
            return
        if event.question_id != self._ref(state):
            turn.replies.append(_info("dialogue.info.moved_on"))
            return
        if state.current == PREFILL:
            self._on_prefill(turn, event.value)
        elif state.current == SUMMARY:
            self._on_summary_option(turn, event.value)
        elif state.current == RESULT:
            self._on_result_option(turn, event.value)
        else:
            self._on_question_option(turn, QUESTIONS[state.current], event.value)

    def _on_question_option(self, turn: Turn, question: Question, value: str) -> None:
        state = turn.state
        if question.kind == "multi_choice":
            if value == DONE:
                reading = check_multi(question, state.selection or [])
                if reading.ok:
                    self._answer(turn, question, reading.value)
                else:
                    self._reask(turn, reading.error)
                return
            if value not in question.option_values():
                turn.replies.append(_info("dialogue.info.unknown_option"))
                return
            selected = list(state.selection or [])
            selected = [v for v in selected if v != value] if value in selected else [*selected, value]
            if value in question.exclusive and value in selected:
                selected = [value]
            elif value not in question.exclusive:
                selected = [v for v in selected if v not in question.exclusive]
            state.selection = selected
            state.version += 1
            turn.replies.append(self._question_reply(state))
            return
        if value not in {option.value for option in choices(question)}:
            turn.replies.append(_info("dialogue.info.unknown_option"))
            return
        self._answer(turn, question, stored_value(question, value))

    def _on_text(self, turn: Turn, words: str) -> None:
        state = turn.state
        if state.current == PREFILL:
            option = _yes_no_word(words, state.lang)
            if option is None:
                self._reask(turn, msg("dialogue.error.yes_or_no"))
            else:
                self._on_prefill(turn, option)
        elif state.current == SUMMARY:
            chosen = self._summary_choice(state, words)
            if chosen is None:
                self._reask(turn, msg("dialogue.error.summary_choice"))
            else:
                self._on_summary_option(turn, chosen)
        elif state.current == RESULT:
            turn.replies.append(_info("dialogue.info.finished"))
        else:
            question = QUESTIONS[state.current]
            reading = read_text(question, words, state.lang, self.today())
            if reading.ok:
                self._answer(turn, question, reading.value)
            else:
                self._reask(turn, reading.error)

    def _on_command(self, turn: Turn, command: Command) -> None:
        state = turn.state
        if command.name == "back":
            self._back(turn)
        elif command.name == "restart":
            self._restart(turn)
        elif command.name == "language":
            if command.arg:
                self._switch_language(turn, command.arg)
            else:
                turn.replies.append(self._language_reply(state))
        elif command.name == "summary":
            if state.current == RESULT:
                self._go(turn, Position(SUMMARY), "reopen")
            else:
                turn.replies.append(self._summary_reply(state, final=state.current == SUMMARY))
        elif command.name == "help":
            self._help(turn)
        else:
            self._change(turn, command.arg or "")

    # -- answering -------------------------------------------------------------------------------

    def _answer(self, turn: Turn, question: Question, value: Any) -> None:
        """Commit an answer to the current question, drop what no longer applies, move on."""
        state = turn.state
        ref = self._ref(state)
        state.selection = None
        if question.id in MEMBER_QUESTIONS:
            index = state.member_index or 0
            if question is GROUPS["members"].more:
                self._more_members(turn, index, bool(value))
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
        state.history = [entry for entry in state.history if entry != ref] + [ref]
        turn.new_answers += [(name, None) for name in prune(state)]
        self._advance(turn)

    def _more_members(self, turn: Turn, index: int, more: bool) -> None:
        state = turn.state
        if more:
            del state.members[index + 1 :]
            state.members.append({})
            state.member_index, state.member_mode = len(state.members) - 1, "adding"
        else:
            del state.members[index + 1 :]
            state.member_index = state.member_mode = None
            turn.new_answers.append(("members", [dict(member) for member in state.members]))

    def _advance(self, turn: Turn) -> None:
        """Go to the next unanswered question, filling in confirmed invite facts on the way."""
        state = turn.state
        while True:
            position = next_position(state)
            question = QUESTIONS.get(position.state)
            facts = self._prefilled_for(state, question) if question is not None else {}
            if not facts:
                break
            state.answers.update(facts)
            turn.new_answers += list(facts.items())
        self._go(turn, position, "advance")

    @staticmethod
    def _prefilled_for(state: SessionState, question: Question) -> dict[str, Any]:
        if state.prefill_status != "accepted" or question.id in MEMBER_QUESTIONS:
            return {}
        names = set(question.fields) | set(question.answered_by)
        return {name: value for name, value in state.prefill.items() if name in names}

    def _go(self, turn: Turn, position: Position, trigger: str) -> None:
        """Move the machine to ``position`` and put its question (or the summary / result)."""
        state = turn.state
        state.current = move(state.current, trigger, position.state)
        if position.member_index is not None:
            members = state.answers.setdefault("members", [])
            while len(members) <= position.member_index:
                members.append({})
            state.member_index = position.member_index
            state.member_mode = state.member_mode or "adding"
        else:
            state.member_index = state.member_mode = None
        state.selection = None
        state.version += 1
        if state.current == SUMMARY:
            turn.replies.append(self._summary_reply(state, final=True))
        elif state.current == RESULT:
            turn.replies.append(self._result_reply(state))
        else:
            turn.replies.append(self._question_reply(state))

    def _reask(self, turn: Turn, error: Message | None) -> None:
        turn.replies.append(Reply(kind="error", messages=[error or msg("dialogue.error.unreadable")]))
        turn.replies.append(self._prompt(turn.state))

    # -- navigation ------------------------------------------------------------------------------

    def _back(self, turn: Turn) -> None:
        state = turn.state
        if state.current == RESULT:
            self._go(turn, Position(SUMMARY), "reopen")
            return
        here = self._ref(state)
        while state.history:
            position = Position.from_ref(state.history.pop())
            if position.ref != here and is_live(position, state):
                if position.state in MEMBER_QUESTIONS and state.member_mode is None:
                    state.member_mode = "adding"
                self._go(turn, position, "back")
                return
        turn.replies.append(_info("dialogue.info.at_start"))
        turn.replies.append(self._prompt(state))

    def _restart(self, turn: Turn) -> None:
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
        turn.replies.append(_info("dialogue.info.restarted"))
        self._go(turn, next_position(fresh), "restart")

    def _change(self, turn: Turn, target: str) -> None:
        state = turn.state
        if state.current not in (SUMMARY, RESULT):
            turn.replies.append(_info("dialogue.info.change_from_summary"))
            turn.replies.append(self._prompt(state))
            return
        if target == MEMBERS_REF and state.members:
            state.member_index, state.member_mode = len(state.members) - 1, "adding"
            self._go(turn, Position(GROUPS["members"].more.id, state.member_index), "change")
            return
        position = self._resolve(state, target)
        if position is None or not is_live(position, state):
            turn.replies.append(_info("dialogue.info.cannot_change"))
            turn.replies.append(self._prompt(state))
            return
        if position.member_index is not None:
            state.member_mode = "editing"
        self._go(turn, position, "change")

    @staticmethod
    def _resolve(state: SessionState, target: str) -> Position | None:
        target = target.strip()
        if "@" in target:
            position = Position.from_ref(target) if target.split("@")[1].isdigit() else None
            return position if position and position.state in MEMBER_QUESTIONS else None
        if target in QUESTIONS and target not in MEMBER_QUESTIONS:
            return Position(target)
        owner = question_for_field(target)
        return Position(owner.id) if owner else None

    def _switch_language(self, turn: Turn, word: str) -> None:
        lang = parse_language(word)
        if lang is None:
            turn.replies.append(self._language_reply(turn.state))
            return
        turn.state.lang = lang
        turn.state.version += 1
        turn.replies.append(_info("dialogue.language.changed"))
        turn.replies.append(self._prompt(turn.state))

    def _help(self, turn: Turn) -> None:
        state = turn.state
        if state.current in QUESTIONS:
            messages = [msg(f"question.{state.current}.help"), msg("dialogue.help.commands")]
        else:
            messages = [msg(f"dialogue.help.{state.current}"), msg("dialogue.help.commands")]
        turn.replies.append(Reply(kind="info", messages=messages))
        turn.replies.append(self._prompt(state))

    # -- prefill, summary, result ------------------------------------------------------------------

    def _on_prefill(self, turn: Turn, value: str) -> None:
        state = turn.state
        if value not in ("yes", "no"):
            turn.replies.append(_info("dialogue.info.unknown_option"))
            return
        state.prefill_status = "accepted" if value == "yes" else "rejected"
        if value == "yes":
            unasked = {k: v for k, v in state.prefill.items() if question_for_field(k) is None}
            state.answers.update(unasked)
            turn.new_answers += list(unasked.items())
        self._advance(turn)

    def _on_summary_option(self, turn: Turn, value: str) -> None:
        if value == CONFIRM:
            self._go(turn, Position(RESULT), "finish")
        elif value.startswith(CHANGE):
            self._change(turn, value.removeprefix(CHANGE))
        else:
            turn.replies.append(_info("dialogue.info.unknown_option"))

    def _on_result_option(self, turn: Turn, value: str) -> None:
        if value == SUMMARY:
            self._go(turn, Position(SUMMARY), "reopen")
        elif value == "restart":
            self._restart(turn)
        else:
            turn.replies.append(_info("dialogue.info.unknown_option"))

    def _summary_choice(self, state: SessionState, words: str) -> str | None:
        options = self._summary_reply(state, final=True).options
        wanted = fold(words)
        if wanted.isdigit() and 1 <= int(wanted) <= len(options):
            return options[int(wanted) - 1].value
        return CONFIRM if _yes_no_word(words, state.lang) == "yes" else None

    # -- replies ---------------------------------------------------------------------------------

    @staticmethod
    def _ref(state: SessionState) -> str:
        if state.current in MEMBER_QUESTIONS:
            return Position(state.current, state.member_index or 0).ref
        return state.current

    def _prompt(self, state: SessionState) -> Reply:
        """What the person is being asked right now (re-sent after errors, help, language)."""
        if state.current == SUMMARY:
            return self._summary_reply(state, final=True)
        if state.current == RESULT:
            return self._result_reply(state)
        return self._question_reply(state)

    def _option(self, state: SessionState, label: Message, value: str) -> Option:
        return Option(label=label, value=value, question_id=self._ref(state), state_version=state.version)

    def _question_reply(self, state: SessionState) -> Reply:
        if state.current == PREFILL:
            return self._prefill_reply(state)
        question = QUESTIONS[state.current]
        messages: list[Message] = []
        if question.id in MEMBER_QUESTIONS:
            messages.append(msg("dialogue.member.heading", number=(state.member_index or 0) + 1))
        messages.append(msg(f"question.{question.id}.text"))
        if question.kind not in ("choice", "yes_no", "yes_no_unsure"):
            messages.append(msg(f"dialogue.hint.{question.kind}"))
        scope = state.member if question.id in MEMBER_QUESTIONS else state.answers
        if question.answered_in(scope) and question is not GROUPS["members"].more:
            messages.append(msg("dialogue.current_answer"))
            messages += answer_lines(question, scope, with_label=False)
        selected = state.selection or []
        options = []
        for option in choices(question):
            label = msg(option.key)
            if option.value in selected:
                label = msg("dialogue.option.selected", label_key=option.key)
            options.append(self._option(state, label, option.value))
        if question.kind == "multi_choice":
            options.append(self._option(state, msg("dialogue.option.done"), DONE))
        return Reply(kind="question", messages=messages, options=options)

    def _prefill_reply(self, state: SessionState) -> Reply:
        intro = (
            msg("dialogue.prefill.intro_employer", employer=state.employer)
            if state.employer
            else msg("dialogue.prefill.intro")
        )
        lines = [line for name, value in state.prefill.items() for line in fact_lines(name, value)]
        options = [
            self._option(state, msg("dialogue.answer.yes"), "yes"),
            self._option(state, msg("dialogue.answer.no"), "no"),
        ]
        return Reply(
            kind="question", messages=[intro, *lines, msg("dialogue.prefill.confirm")], options=options
        )

    def _summary_reply(self, state: SessionState, *, final: bool) -> Reply:
        messages = [msg("dialogue.summary.heading")]
        options = [self._option(state, msg("dialogue.summary.confirm"), CONFIRM)] if final else []
        for question, scope, ref in answered_questions(state):
            messages += answer_lines(question, scope, with_label=True, member=ref)
            if final:
                label = msg("dialogue.summary.change", label_key=f"question.{question.id}.label")
                if "@" in ref:
                    label = msg(
                        "dialogue.summary.change_member",
                        label_key=f"question.{question.id}.label",
                        number=int(ref.split("@")[1]) + 1,
                    )
                options.append(self._option(state, label, CHANGE + ref))
        for name in ("occupation",):
            if name in state.answers:
                messages += fact_lines(name, state.answers[name])
        if final and state.members:
            options.append(self._option(state, msg("dialogue.summary.add_member"), CHANGE + MEMBERS_REF))
        if final:
            messages.append(msg("dialogue.summary.prompt"))
        return Reply(kind="summary", messages=messages, options=options)

    def _result_reply(self, state: SessionState) -> Reply:
        try:
            answers = build_answers(state)
        except ValidationError:
            return Reply(kind="error", messages=[msg("dialogue.error.answers_invalid")])
        assessment = self._assess(answers, self.today())
        options = [
            self._option(state, msg("dialogue.result.show_answers"), SUMMARY),
            self._option(state, msg("dialogue.result.restart"), "restart"),
        ]
        return Reply(
            kind="result", messages=[msg("dialogue.result.intro")], options=options, assessment=assessment
        )

    def _language_reply(self, state: SessionState) -> Reply:
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


# --- displaying answers ----------------------------------------------------------------------------


def answered_questions(state: SessionState) -> list[tuple[Question, dict[str, Any], str]]:
    """Every answered question that still applies, in interview order, with its scope and reference."""
    from flows.machine import applies
    from flows.questions import FLOW, Group

    out: list[tuple[Question, dict[str, Any], str]] = []
    for step in FLOW:
        if isinstance(step, Group):
            for index, member in enumerate(state.members):
                for question in step.questions:
                    if question.answered_in(member) and applies(question, state.answers, member):
                        out.append((question, member, f"{question.id}@{index}"))
        elif step.answered_in(state.answers) and applies(step, state.answers):
            out.append((step, state.answers, step.id))
    return out


def answer_value(question: Question, scope: dict[str, Any]) -> Any:
    """The answer as the question's own value (an encoded choice is decoded back to its option)."""
    if question.encode is None:
        return scope.get(question.field)
    for option in question.option_values():
        if all(scope.get(k) == v for k, v in question.writes(option).items()):
            return option
    return None


def _value_messages(question: Question, value: Any) -> tuple[str, dict[str, Any]] | list[Message]:
    if value is None:
        return ("key", {"value_key": f"question.{question.id}.skip"})
    if question.kind in ("yes_no", "yes_no_unsure"):
        word = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        return ("key", {"value_key": f"dialogue.answer.{word}"})
    if question.kind == "choice":
        return ("key", {"value_key": f"question.{question.id}.option.{value}"})
    if question.kind == "multi_choice":
        return [
            msg("dialogue.summary.item", value_key=f"question.{question.id}.option.{item}") for item in value
        ]
    if question.kind == "date":
        return ("date", {"value_date": value})
    if question.kind == "money":
        return ("eur", {"value_eur": float(value)})
    if question.kind == "countries":
        return ("countries", {"value_countries": ",".join(value)})
    if question.kind == "country":
        return ("countries", {"value_countries": value})
    return ("text", {"value": value})


def answer_lines(
    question: Question, scope: dict[str, Any], *, with_label: bool, member: str | None = None
) -> list[Message]:
    """The answer to ``question`` as summary lines ("Label: value")."""
    if question.answered_by and question.field not in scope:  # e.g. a region instead of a postcode
        given = [name for name in question.answered_by if name in scope]
        return fact_lines(given[0], scope[given[0]]) if given else []
    shown = _value_messages(question, answer_value(question, scope))
    label = f"question.{question.id}.label"
    prefix: list[Message] = []
    if member and "@" in member and question is GROUPS["members"].questions[0]:
        prefix = [msg("dialogue.member.heading", number=int(member.split("@")[1]) + 1)]
    if isinstance(shown, list):
        head = [msg("dialogue.summary.list", label_key=label)] if with_label else []
        return [*prefix, *head, *shown]
    style, params = shown
    if not with_label:
        return [msg(f"dialogue.value.{style}", **params)]
    return [*prefix, msg(f"dialogue.summary.line_{style}", label_key=label, **params)]


def fact_lines(name: str, value: Any) -> list[Message]:
    """An HR-invite fact (or an unasked answer such as the occupation) as a summary line."""
    if name == "region":
        return [
            msg(
                "dialogue.summary.line_key",
                label_key="dialogue.fact.region",
                value_key=f"dialogue.region.{value}",
            )
        ]
    if name == "occupation":
        return [msg("dialogue.summary.line_text", label_key="dialogue.fact.occupation", value=value)]
    owner = question_for_field(name)
    if owner is None:
        return []
    return answer_lines(owner, {name: value}, with_label=True)


def _yes_no_word(words: str, lang: Lang) -> str | None:
    from flows import parsing

    wanted = fold(words)
    if wanted in ("1", "2"):
        return "yes" if wanted == "1" else "no"
    parsed = parsing.parse_yes_no(words, lang)
    return str(parsed.value) if parsed.ok and parsed.value in ("yes", "no") else None


def _info(key: str) -> Reply:
    return Reply(kind="info", messages=[msg(key)])
