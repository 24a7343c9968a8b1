"""Shared fixtures: a sessions database seeded through the public store API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Answers, assess
from bot.store import ABANDONED, IN_PROGRESS, OperatorStore, SessionStore

ASSESSED_ON = date(2026, 3, 2)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class SettableClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Seed:
    """One seeded conversation: who, what they answered and said, and when it last changed."""

    name: str
    user: str
    lang: str
    answers: dict[str, Any]
    said: str
    updated: datetime
    status: str | None = None  # None: assessed (completed or needs_review)
    employer: str | None = None


EMPLOYEE = {
    "nationalities": ["IN"],
    "purposes": ["employee"],
    "qualification": "higher_ed_3y_plus",
    "salary_month_base": 5000,
    "salary_year": 70000,
    "contract_months": 0,
}

SEEDS = (
    Seed(
        "brussels",
        "101",
        "en",
        {**EMPLOYEE, "work_postcode": "1000"},
        "I live in Mumbai now",
        datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        employer="Acme Belgium SA",
    ),
    Seed(
        "eupen",
        "102",
        "fr",
        {**EMPLOYEE, "nationalities": ["MA"], "work_postcode": "4700"},
        "Je travaillerai à Eupen",
        datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
    ),
    Seed(
        "ghent",
        "103",
        "nl",
        {**EMPLOYEE, "nationalities": ["BR"], "work_postcode": "9000"},
        "Ik ga werken in Gent",
        datetime(2026, 2, 10, 9, 0, tzinfo=UTC),
        employer="Acme Belgium SA",
    ),
    Seed(
        "family",
        "104",
        "en",
        {
            **EMPLOYEE,
            "purposes": ["employee", "bring_family"],
            "work_postcode": "1050",
            "members": [
                {"relation": "spouse", "dob": "1990-01-01", "nationality": "IN", "location": "abroad"}
            ],
        },
        "My wife is in Liège for a visit",
        datetime(2026, 3, 8, 9, 0, tzinfo=UTC),
        employer="Globex NV",
    ),
    Seed(
        "progress",
        "105",
        "fr",
        {"nationalities": ["CM"]},
        "Bonjour, je suis étudiante",
        datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        status=IN_PROGRESS,
    ),
    Seed(
        "gone",
        "106",
        "nl",
        {"nationalities": ["TR"]},
        "Hallo, ik stop ermee",
        datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
        status=ABANDONED,
    ),
)


def state_of(seed: Seed) -> dict[str, Any]:
    """A dialogue state as the bot saves it."""
    return {"format": 1, "lang": seed.lang, "current": "result", "answers": seed.answers}


def write_seed(store: SessionStore, clock: SettableClock, seed: Seed, invites: dict[str, str]) -> int:
    """Save one conversation through the public store API; return its session id."""
    clock.now = seed.updated
    token = None
    if seed.employer:
        token = invites.get(seed.employer) or store.create_invite(seed.employer, {})
        invites[seed.employer] = token
    answers = [(field, value) for field, value in seed.answers.items()]
    session_id = store.save_turn(
        "telegram",
        seed.user,
        state_of(seed),
        lang=seed.lang,
        status=seed.status or IN_PROGRESS,
        answers=answers,
        incoming=seed.said,
        outgoing=[f"Thanks ({seed.name})"],
        invite_token=token,
    )
    if seed.status is None:
        store.save_assessment(
            session_id, assess(Answers.model_validate({**seed.answers, "lang": seed.lang}), on=ASSESSED_ON)
        )
    return session_id


@pytest.fixture(autouse=True)
def test_client_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starlette's TestClient sends ``Host: testserver``: let the console answer it in tests, as the
    deployed name given with ``--allowed-host`` (test_security.py checks that others get 400)."""
    from bot.operators import web

    monkeypatch.setattr(web, "LOOPBACK_HOSTS", (*web.LOOPBACK_HOSTS, "testserver"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "guichet.sqlite3"


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


@pytest.fixture
def seeded(db_path: Path, clock: SettableClock) -> dict[str, int]:
    """The SEEDS written to ``db_path``; name → session id."""
    store = SessionStore(db_path, clock=clock)
    invites: dict[str, str] = {}
    try:
        ids = {seed.name: write_seed(store, clock, seed, invites) for seed in SEEDS}
    finally:
        store.close()
    clock.now = NOW
    return ids


@pytest.fixture
def ops(db_path: Path, clock: SettableClock, seeded: dict[str, int]) -> Iterator[OperatorStore]:
    store = OperatorStore(db_path, clock=clock)
    yield store
    store.close()
