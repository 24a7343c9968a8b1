"""One conversation's state: plain data that round-trips through a JSON dict (the store keeps it)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.engine import Answers, Member, Message
from bot.i18n import Lang

STATE_FORMAT = 1
SUMMARY = "summary"
RESULT = "result"
PREFILL = "prefill"
MemberMode = Literal["adding", "editing"]
PrefillStatus = Literal["none", "pending", "accepted", "rejected"]


class SessionState(BaseModel):
    """Where the interview is and what is known so far.

    ``answers`` holds JSON values keyed by answer field (dates as ISO strings; dotted keys such as
    ``on_list.ACTIRIS`` are nested when the :class:`Answers` are built); ``answers["members"]`` is
    the list of family members (dicts), ``member_index`` the one being described while the group is
    open. ``history`` is the stack of answered question references (``qid`` or ``qid@index`` for
    member questions) used by "back". ``version`` changes whenever a new question is put, so a
    button pressed under an older question can be recognised and ignored. ``pending_*`` hold an
    answer waiting for a yes/no confirmation, or the few options an ambiguous answer may mean.
    """

    model_config = ConfigDict(extra="forbid")

    format: int = STATE_FORMAT
    lang: Lang
    current: str
    answers: dict[str, Any] = Field(default_factory=dict)
    member_index: int | None = None
    member_mode: MemberMode | None = None
    history: list[str] = Field(default_factory=list)
    prefill: dict[str, Any] = Field(default_factory=dict)
    prefill_status: PrefillStatus = "none"
    employer: str | None = None
    selection: list[str] | None = None  # multi-choice answer being ticked button by button
    version: int = 0
    # an answer understood but not yet stored: the value waits for "yes" to ``pending_confirm``
    # (e.g. a yearly amount turned into a monthly one), or the person picks one of ``pending_choices``
    pending_value: Any = None
    pending_confirm: Message | None = None
    pending_choices: list[Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The state as a JSON-compatible dict."""
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        """The state saved by :meth:`to_dict`."""
        return cls.model_validate(data)

    @property
    def members(self) -> list[dict[str, Any]]:
        """The family members described so far (complete or not)."""
        members: list[dict[str, Any]] = self.answers.get("members") or []
        return members

    @property
    def member(self) -> dict[str, Any]:
        """The member being described (empty outside the family-member group)."""
        if self.member_index is None or self.member_index >= len(self.members):
            return {}
        return self.members[self.member_index]


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys to nested dicts: ``{"on_list.FOREM": "yes"}`` → ``{"on_list": {"FOREM": "yes"}}``."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        head, _, tail = key.partition(".")
        if tail:
            out.setdefault(head, {})[tail] = value
        else:
            out[key] = value
    return out


def derived_answers(answers: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """Answer fields implied by others, never asked (rules.md §1 minimality).

    ``sponsor_type`` of a person bringing family when what they said tells it (Belgian or EU
    citizen, their card, coming to work or study); ``sponsor_dob`` = own date of birth when the
    person is the sponsor; ``income_source`` = a salary when they come to work for an employer or
    hold a single permit or a Blue Card; ``family_application_date`` = the start date when the
    family applies together with a person coming from abroad; ``lang`` from the conversation.
    """
    from flows.features import Situation  # local: the features import nothing from here

    facts = Situation(answers)
    derived: dict[str, Any] = {"lang": lang}
    if facts.user_is_sponsor:
        if "sponsor_type" not in answers and facts.sponsor_type:
            derived["sponsor_type"] = facts.sponsor_type
        if "sponsor_dob" not in answers and answers.get("dob"):
            derived["sponsor_dob"] = answers["dob"]
        if "income_source" not in answers and facts.salaried:
            derived["income_source"] = "employment"
        if "family_application_date" not in answers and facts.applies_together and facts.start_known:
            derived["family_application_date"] = answers["start_date"]
    return derived


def build_answers(state: SessionState) -> Answers:
    """The engine's :class:`Answers` from the state: complete members only, derived fields added."""
    # "_" fields record how the person described their family at once (the members hold it)
    data = nest({key: value for key, value in state.answers.items() if key != "members" and key[0] != "_"})
    members = [
        Member(**{k: v for k, v in member.items() if not k.startswith("_")})
        for member in state.members
        if member.get("relation")
    ]
    if "members" in state.answers:
        data["members"] = members
    data.update(derived_answers(state.answers, state.lang))
    return Answers(**data)
