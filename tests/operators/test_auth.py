"""Password hashing, the signed expiring cookie, and who a cookie still lets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.operators.auth import (
    ConsoleSession,
    CookieCodec,
    authenticate,
    check_password_strength,
    hash_password,
    needs_rehash,
    same_token,
    scrypt_hash,
    verify_password,
)
from bot.store.accounts import OperatorAccount

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
FAST = {"n": 2**4, "r": 1, "p": 1}  # cheap scrypt parameters for the property test only


def account(
    password: str = "correct horse battery", *, disabled: bool = False, changed: datetime = T0
) -> OperatorAccount:
    return OperatorAccount(
        name="alice",
        password_hash=hash_password(password),
        created_at=T0 - timedelta(days=1),
        password_changed_at=changed,
        disabled_at=T0 if disabled else None,
    )


def test_hash_is_salted_argon2id_and_verifies() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first != second and first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "correct" not in first
    assert verify_password("correct horse battery", first) and verify_password(
        "correct horse battery", second
    )
    assert not verify_password("correct horse batterz", first)
    assert not needs_rehash(first)


def test_an_old_scrypt_hash_still_verifies_and_asks_to_be_upgraded() -> None:
    old = scrypt_hash("correct horse battery")
    assert old.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse battery", old) and not verify_password("wrong horse", old)
    assert needs_rehash(old)
    assert needs_rehash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")  # weaker than today's


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plain",
        "md5$1$2$3$abc$def",
        "scrypt$x$8$1$abc$def",
        "scrypt$16384$8$1$!!$??",
        "scrypt$3$8$1$YWJj$ZGVm",
        "$argon2id$v=19$m=65536,t=3,p=4$!!$??",
        "$argon2id$garbage",
    ],
)
def test_malformed_hashes_never_verify(encoded: str) -> None:
    assert not verify_password("anything", encoded)


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_only_the_same_password_verifies(password: str, other: str) -> None:
    encoded = scrypt_hash(password, **FAST)
    assert verify_password(password, encoded)
    assert verify_password(other, encoded) == (other == password)


@pytest.mark.parametrize(
    ("acct", "password", "ok"),
    [
        (account(), "correct horse battery", True),
        (account(), "Correct horse battery", False),
        (account(), "", False),
        (account(disabled=True), "correct horse battery", False),
        (None, "correct horse battery", False),
    ],
)
def test_authenticate(acct: OperatorAccount | None, password: str, ok: bool) -> None:
    assert authenticate(acct, password) is ok


@pytest.mark.parametrize(("password", "ok"), [("short", False), ("x" * 11, False), ("x" * 12, True)])
def test_password_strength(password: str, ok: bool) -> None:
    if ok:
        check_password_strength(password)
    else:
        with pytest.raises(ValueError):
            check_password_strength(password)


def session(at: datetime = T0) -> ConsoleSession:
    return ConsoleSession(operator="alice", csrf="tok", issued_at=at.timestamp())


@pytest.mark.parametrize(
    ("later", "valid"),
    [
        (timedelta(0), True),
        (timedelta(hours=7, minutes=59), True),
        (timedelta(hours=8), True),
        (timedelta(hours=8, seconds=1), False),
        (timedelta(days=3), False),
        (-timedelta(minutes=5), False),  # issued in the future
    ],
)
def test_cookie_expires(later: timedelta, valid: bool) -> None:
    codec = CookieCodec("secret", max_age_seconds=8 * 3600)
    loaded = codec.load(codec.dump(session()), T0 + later)
    assert (loaded == session()) is valid


def test_cookie_signed_with_another_key_or_tampered_is_refused() -> None:
    ours, theirs = CookieCodec("secret", max_age_seconds=3600), CookieCodec("other", max_age_seconds=3600)
    value = ours.dump(session())
    assert ours.load(value, T0) == session()
    assert theirs.load(value, T0) is None
    payload, _, signature = value.rpartition(".")
    assert ours.load(payload + "." + signature[::-1], T0) is None
    assert ours.load("", T0) is None and ours.load(None, T0) is None
    login_forms = CookieCodec("secret", max_age_seconds=3600, salt="login")
    assert login_forms.load(value, T0) is None  # a login-form cookie is not a session cookie


@pytest.mark.parametrize(
    ("acct", "valid"),
    [
        (account(), True),
        (account(disabled=True), False),
        (account(changed=T0 + timedelta(minutes=1)), False),  # password changed after login
        (None, False),
    ],
)
def test_session_still_valid_for_account(acct: OperatorAccount | None, valid: bool) -> None:
    assert session().still_valid_for(acct) is valid


@pytest.mark.parametrize(
    ("given_", "expected", "ok"), [("a", "a", True), ("a", "b", False), (None, "a", False), ("", "a", False)]
)
def test_same_token(given_: str | None, expected: str, ok: bool) -> None:
    assert same_token(given_, expected) is ok
