"""Employer invites: random deep-link-safe tokens, expiry, revocation, listing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.store import SessionStore

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
DEEP_LINK_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")  # Telegram's /start payload alphabet


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    opened = SessionStore(tmp_path / "g.sqlite3", clock=lambda: NOW)
    yield opened
    opened.close()


def test_tokens_are_deep_link_safe_unique_and_carry_no_personal_data(store: SessionStore) -> None:
    employer = "Brasserie Dupont SPRL"
    prefill = {"work_postcode": "1000", "gross_salary_eur": 61000.0, "contact": "marie.dupont@example.be"}
    tokens = [store.create_invite(employer, prefill) for _ in range(50)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert DEEP_LINK_PAYLOAD.fullmatch(token)
        assert len(token) >= 22  # ≥ 128 bits of randomness in base64url
        lowered = token.lower()
        assert not any(word in lowered for word in ("dupont", "brasserie", "1000", "61000", "marie"))


def test_created_invite_round_trip(store: SessionStore) -> None:
    expires = NOW + timedelta(days=7)
    token = store.create_invite(
        "  ACME NV ", {"region": "flanders", "contract_months": 24}, expires_at=expires
    )
    invite = store.get_invite(token)
    assert invite is not None
    assert (invite.token, invite.employer, invite.prefill) == (
        token,
        "ACME NV",
        {"region": "flanders", "contract_months": 24},
    )
    assert (invite.created_at, invite.expires_at, invite.revoked_at) == (NOW, expires, None)


def test_without_expiry_an_invite_lasts_until_revoked(store: SessionStore) -> None:
    token = store.create_invite("ACME", {})
    invite = store.get_invite(token, now=NOW + timedelta(days=3650))
    assert invite is not None and invite.expires_at is None
    store.revoke_invite(token)
    assert store.get_invite(token) is None


@pytest.mark.parametrize(
    ("checked_at", "usable"),
    [
        (NOW, True),
        (NOW + timedelta(days=2) - timedelta(microseconds=1), True),
        (NOW + timedelta(days=2), False),
        (NOW + timedelta(days=200), False),
    ],
)
def test_expiry(store: SessionStore, checked_at: datetime, usable: bool) -> None:
    token = store.create_invite("ACME", {}, expires_at=NOW + timedelta(days=2))
    assert (store.get_invite(token, now=checked_at) is not None) is usable


def test_revocation(store: SessionStore) -> None:
    token = store.create_invite("ACME", {})
    other = store.create_invite("Other", {})
    assert store.revoke_invite(token) is True
    assert store.revoke_invite(token) is False  # already revoked
    assert store.revoke_invite("unknown-token") is False
    assert store.get_invite(token) is None
    assert store.get_invite(other) is not None
    listed = {invite.token: invite for invite in store.list_invites()}
    assert set(listed) == {token, other}
    assert listed[token].revoked_at == NOW and listed[other].revoked_at is None


def test_list_invites_oldest_first(tmp_path: Path) -> None:
    times = iter([NOW + timedelta(hours=h) for h in (0, 1, 2)])
    store = SessionStore(tmp_path / "g.sqlite3", clock=lambda: next(times))
    try:
        tokens = [store.create_invite(name, {}) for name in ("A", "B", "C")]
        assert [invite.token for invite in store.list_invites()] == tokens
    finally:
        store.close()


@pytest.mark.parametrize("token", ["", "a" * 65, "abc def", "abc/def", "'; DROP TABLE invites; --", "é"])
def test_malformed_tokens_are_unknown(store: SessionStore, token: str) -> None:
    store.create_invite("ACME", {})
    assert store.get_invite(token) is None
    assert len(store.list_invites()) == 1


def test_an_employer_is_required(store: SessionStore) -> None:
    with pytest.raises(ValueError):
        store.create_invite("   ", {})


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SessionStore]:
    opened = SessionStore(tmp_path_factory.mktemp("invites") / "g.sqlite3", clock=lambda: NOW)
    yield opened
    opened.close()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_any_text_as_token_finds_only_its_invite(shared_store: SessionStore, text: str) -> None:
    real = shared_store.create_invite("ACME", {})
    assert shared_store.get_invite(real) is not None
    found = shared_store.get_invite(text)
    assert (found is not None) == (text == real)
