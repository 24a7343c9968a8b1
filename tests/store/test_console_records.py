"""The console's security records in the store: server-side log-ins, the log-in throttle, roles and
the version-8 upgrade."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import OperatorStore
from bot.store.console import token_hash
from bot.store.schema import MIGRATIONS, migrate
from tests.operators.conftest import SettableClock

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
IDLE, LIFE = timedelta(minutes=30), timedelta(hours=8)


@pytest.fixture
def ops(tmp_path: Path) -> Iterator[OperatorStore]:
    store = OperatorStore(tmp_path / "g.sqlite3", clock=SettableClock(T0))
    yield store
    store.close()


def test_a_console_session_lives_on_the_server(ops: OperatorStore) -> None:
    clock = ops._clock
    assert isinstance(clock, SettableClock)
    ops.start_console_session("alice", "tok-1", "csrf-1", "10.0.0.1")
    ops.start_console_session("alice", "tok-2", "csrf-2", "10.0.0.2")
    live = ops.console_session("tok-1", idle=IDLE, lifetime=LIFE)
    assert live is not None and live.operator == "alice" and live.csrf == "csrf-1"
    row = ops._db.execute("SELECT token_hash FROM console_sessions").fetchall()
    assert ("tok-1",) not in row and (token_hash("tok-1"),) in row  # only the hash is kept
    clock.now += timedelta(minutes=29)
    assert ops.console_session("tok-1", idle=IDLE, lifetime=LIFE) is not None  # use keeps it alive
    clock.now += timedelta(minutes=31)
    assert ops.console_session("tok-1", idle=IDLE, lifetime=LIFE) is None  # idle too long: ended
    clock.now -= timedelta(minutes=31)
    assert ops.console_session("tok-1", idle=IDLE, lifetime=LIFE) is None  # and stays ended
    assert ops.end_all_console_sessions("alice") == 1 and ops.live_console_sessions("alice") == 0
    assert ops.console_session("tok-2", idle=IDLE, lifetime=LIFE) is None
    assert ops.console_session("never-issued", idle=IDLE, lifetime=LIFE) is None


def test_the_throttle_is_per_address_and_name(ops: OperatorStore) -> None:
    ops.record_login_success("10.0.0.1", "alice")  # alice's own address
    for _ in range(5):
        ops.record_login_failure("10.6.6.6", "alice")
    assert ops.login_blocked_until("10.6.6.6", "alice") is not None
    assert ops.login_blocked_until("10.0.0.1", "alice") is None  # spared
    assert ops.login_blocked_until("10.0.0.2", "alice") is not None  # an address that never logged in waits
    assert ops.login_blocked_until("10.6.6.6", "bob") is None
    assert ops.clear_login_failures("alice") == 2  # the address's count and the account-wide one
    assert ops.login_blocked_until("10.6.6.6", "alice") is None
    assert ops.login_blocked_until("10.0.0.2", "alice") is None


def test_ipv6_is_counted_by_its_64_and_ipv4_mapped_as_ipv4() -> None:
    from bot.store.console import client_group

    assert client_group("2001:db8:1:2:aaaa::1") == client_group("2001:db8:1:2::ffff") == "2001:db8:1:2::/64"
    assert client_group("2001:db8:1:3::1") != client_group("2001:db8:1:2::1")
    assert client_group("::ffff:192.0.2.7") == client_group("192.0.2.7") == "192.0.2.7"
    assert client_group("testclient") == "testclient"


def test_roles_languages_and_hr_employers(ops: OperatorStore) -> None:
    assert ops.create_operator("vera", "h").role == "viewer"
    assert ops.create_operator("hank", "h", role="hr", employer=" Globex NV ").employer == "Globex NV"
    for bad in ({"role": "root"}, {"lang": "de"}, {"role": "hr"}, {"role": "admin", "employer": "Acme"}):
        with pytest.raises(ValueError):
            ops.create_operator("x", "h", **bad)  # type: ignore[arg-type]
    assert ops.set_operator_lang("vera", "nl") and ops.get_operator("vera").lang == "nl"  # type: ignore[union-attr]


def test_version_8_keeps_existing_accounts_as_administrators(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    from sqlite_utils import Database

    db = Database(path)
    migrate(db, upto=7)
    db.execute("INSERT INTO operators VALUES ('olga', 'h', '2025-01-01', '2025-01-01', NULL)")
    db.conn.commit()
    db.close()
    ops = OperatorStore(path)
    try:
        olga = ops.get_operator("olga")
        assert olga is not None and olga.role == "admin" and olga.lang == "en"
    finally:
        ops.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
    conn.close()
