"""The building blocks of the interview's declaration: a :class:`Question` (what it asks, the
field(s) it writes, its kind, options, validation and the condition under which it is asked), a
:class:`Group` of member questions, the usual validations, and :class:`FlowIndex` (the lookups every
part of the dialogue makes in a declared flow).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from bot.engine import Message
from flows.features import Condition, Situation, always
from flows.parsing.common import Unit

Kind = Literal[
    "choice",
    "multi_choice",
    "date",
    "dates",
    "money",
    "number",
    "integer",
    "postcode",
    "country",
    "countries",
    "yes_no",
    "yes_no_unsure",
    "text",
    "academic_year",
]
Scope = Literal["answers", "member"]

YEAR = 365
ASSUME_TODAY = "today"  # an ``assumed`` date: the day of the interview


@dataclass(frozen=True)
class Choice:
    """One option of a choice question: the stored value and its locale key."""

    value: str
    key: str


@dataclass(frozen=True)
class Validation:
    """Bounds of a typed answer; dates are relative to today (in days, negative = past)."""

    minimum: float | None = None
    maximum: float | None = None
    earliest_days: int | None = None
    latest_days: int | None = None
    period: Literal["month", "year"] | None = None
    min_choices: int = 1
    unit: Unit | None = None  # what a typed number counts (months, years, days, count)
    vocabulary: str | None = None  # word list of values given in words (e.g. "CDI" → 0 months)
    convert_period: bool = False  # an amount for the other period is converted, to be confirmed
    asap: bool = False  # "as soon as possible" means today (start dates)
    day_optional: bool = False  # "March 2020" is enough: the first of the month


@dataclass(frozen=True)
class Question:
    """One question: what it asks, what it writes, when it is asked."""

    id: str
    kind: Kind
    field: str
    condition: Condition = always
    options: tuple[Choice, ...] = ()
    validation: Validation = Validation()
    scope: Scope = "answers"
    # value → {field: value} written; default {self.field: value}. Dotted fields ("on_list.FOREM")
    # are nested when the answers are built.
    encode: Callable[[Any], dict[str, Any]] | None = None
    # the fields written → the question's own value (needed with ``encode`` on a multiple choice)
    decode: Callable[[Mapping[str, Any]], Any] | None = None
    # fields whose presence means the question is answered (default: the fields it writes)
    answered_by: tuple[str, ...] = ()
    skip: bool = False  # offers a "none / not yet" answer stored as None
    exclusive: frozenset[str] = frozenset()  # multi-choice values that exclude the others
    samples: tuple[Any, ...] = ()  # representative valid answers (typed kinds), for path walks
    # asked only when some answer could still change the result (see flows.relevance)
    only_if_it_matters: bool = False
    # the family members this answer describes: (answer, members so far, answers) → members
    members_update: Callable[[Any, list[dict[str, Any]], Mapping[str, Any]], list[dict[str, Any]]] | None = (
        None
    )
    # what makes a well-read answer wrong here, given the answers so far (e.g. one date per person)
    check: Callable[[Any, Mapping[str, Any]], Message | None] | None = None
    shown: bool = True  # listed in the summary (False: the members it describes are listed instead)
    words_of: str = ""  # the question whose word lists read its options in words (default: its own)
    # worded twice: to the person who brings family ("you") and to one who joins a relative in
    # Belgium (``question.<id>.text_joining``: "your relative")
    joining_text: bool = False
    # the usual answer, assumed while this question is still to come when an earlier question is
    # checked for whether it matters (None: nothing is assumed)
    assumed: Any = None

    @property
    def text_key(self) -> str:
        """Locale key of the question itself."""
        return f"question.{self.id}.text"

    def text_key_for(self, situation: Situation) -> str:
        """The question's wording for this person: joining a relative, or bringing family."""
        joining = self.joining_text and not situation.user_is_sponsor
        return f"question.{self.id}.text_joining" if joining else self.text_key

    @property
    def label_key(self) -> str:
        """Locale key of the question's name in the summary."""
        return f"question.{self.id}.label"

    @property
    def help_key(self) -> str:
        """Locale key of "why do we ask this?"."""
        return f"question.{self.id}.help"

    @property
    def skip_key(self) -> str:
        """Locale key of the "none / not yet" answer."""
        return f"question.{self.id}.skip"

    def option_key(self, value: str) -> str:
        """Locale key of an option's label."""
        return f"question.{self.id}.option.{value}"

    def writes(self, value: Any) -> dict[str, Any]:
        """The fields this answer sets."""
        return self.encode(value) if self.encode else {self.field: value}

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field the question may write."""
        if self.encode is None:
            return (self.field,)
        names: dict[str, None] = {}
        values = self.sample_values() if self.kind == "multi_choice" else self.option_values() or self.samples
        for value in values:
            names.update(dict.fromkeys(self.encode(value)))
        return tuple(names)

    def value_in(self, scope: Mapping[str, Any]) -> Any:
        """The answer as the question's own value (an encoded answer decoded back to its option)."""
        if self.decode is not None:
            return self.decode(scope) if self.answered_in(scope) else None
        if self.encode is None:
            return scope.get(self.field)
        for option in self.option_values():
            if all(scope.get(k) == v for k, v in self.writes(option).items()):
                return option
        return None

    def answered_in(self, scope_values: Mapping[str, Any]) -> bool:
        """True when the answers (or the member) already hold this question's answer."""
        if self.answered_by:
            return any(name in scope_values for name in self.answered_by)
        return all(name in scope_values for name in self.fields)

    def option_values(self) -> tuple[str, ...]:
        """The values of the choice options (yes/no kinds included)."""
        return tuple(option.value for option in self.options)

    def sample_values(self) -> tuple[Any, ...]:
        """Representative answers: every option for choice kinds, else the declared samples."""
        if self.kind == "multi_choice":
            singles = tuple([value] for value in self.option_values())
            return singles + tuple(self.samples)
        if self.kind in ("choice", "yes_no", "yes_no_unsure"):
            values = [VALUE_OF_OPTION[self.kind].get(v, v) for v in self.option_values()]
            return (*values, *((None,) if self.skip else ()))
        return (*self.samples, *((None,) if self.skip else ()))


@dataclass(frozen=True)
class Group:
    """A repeatable group of member questions building ``members[]`` ("add another member?")."""

    id: str
    field: str
    condition: Condition
    questions: tuple[Question, ...]
    more: Question
    max_items: int = 20


Step = Question | Group

VALUE_OF_OPTION: dict[str, dict[str, Any]] = {
    "yes_no": {"yes": True, "no": False},
    "yes_no_unsure": {},
    "choice": {},
}


def choices(qid: str, values: tuple[str, ...]) -> tuple[Choice, ...]:
    """Options whose labels are ``question.<qid>.option.<value>``."""
    return tuple(Choice(value, f"question.{qid}.option.{value}") for value in values)


def literal_choices(qid: str, literal: Any) -> tuple[Choice, ...]:
    return choices(qid, tuple(get_args(literal)))


YES_NO = (Choice("yes", "dialogue.answer.yes"), Choice("no", "dialogue.answer.no"))
YES_NO_UNSURE = (*YES_NO, Choice("unsure", "dialogue.answer.unsure"))


def ask(qid: str, kind: Kind, fieldname: str | None = None, **more: Any) -> Question:
    if kind == "yes_no":
        more.setdefault("options", YES_NO)
    elif kind == "yes_no_unsure":
        more.setdefault("options", YES_NO_UNSURE)
    return Question(id=qid, kind=kind, field=fieldname or qid, **more)


PAST = Validation(earliest_days=-120 * YEAR, latest_days=0)
ADULT_DOB = Validation(earliest_days=-100 * YEAR, latest_days=-15 * YEAR)
SOON = Validation(earliest_days=-2 * YEAR, latest_days=5 * YEAR)
SOON_OR_NOW = Validation(earliest_days=-2 * YEAR, latest_days=5 * YEAR, asap=True)
PAST_MONTH_OK = Validation(earliest_days=-120 * YEAR, latest_days=0, day_optional=True)


BlockName = Literal["A", "B", "D", "C", "F"]


class FlowIndex:
    """The lookups the dialogue makes in a declared flow: questions by id, groups, member
    questions, the block of each question, the first question writing a field."""

    def __init__(self, flow: tuple[Step, ...], blocks: Mapping[BlockName, tuple[Step, ...]]) -> None:
        self.flow = flow
        self.questions: dict[str, Question] = {question.id: question for question in self.iter_questions()}
        self.groups: dict[str, Group] = {step.id: step for step in flow if isinstance(step, Group)}
        self.member_questions: frozenset[str] = frozenset(
            question.id for group in self.groups.values() for question in (*group.questions, group.more)
        )
        self.block_of: dict[str, BlockName] = {
            question.id: name
            for name, steps in blocks.items()
            for step in steps
            for question in ((*step.questions, step.more) if isinstance(step, Group) else (step,))
        }

    def iter_questions(self) -> Iterator[Question]:
        """Every question of the flow, member questions and "add another member?" included."""
        for step in self.flow:
            if isinstance(step, Group):
                yield from step.questions
                yield step.more
            else:
                yield step

    def question(self, qid: str) -> Question:
        """The question with this id (KeyError if unknown)."""
        return self.questions[qid]

    def question_for_field(self, name: str) -> Question | None:
        """The first top-level question that writes this answer field, if any."""
        for step in self.flow:
            if isinstance(step, Question) and (name in step.fields or name in step.answered_by):
                return step
        return None
