"""The console's Reminders page: counts for staff, the switch for admins only (audited), and the
scheduler finding nothing due while reminders are off."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.operators.auth import hash_password
from bot.operators.web import ConsoleConfig, create_app
from bot.store import OperatorStore, SessionStore
from tests.operators.conftest import SettableClock
from tests.operators.test_web import PASSWORD, audit_actions, csrf_of, login
from tests.reminders.test_scheduler import FakeClock, opted_in_session

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@contextlib.contextmanager
def console(db_path: Path) -> Iterator[TestClient]:
    """The console with alice (admin) and vera (viewer, in French)."""
    clock = SettableClock(datetime(2026, 11, 23, 12, tzinfo=UTC))
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), role="admin")
    ops.create_operator("vera", hash_password(PASSWORD), role="viewer", lang="fr")
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(db_path=db_path, secret_key="test-secret", clock=clock)
    with TestClient(create_app(config), follow_redirects=False) as client:
        yield client


def due_now(db_path: Path) -> int:
    store = SessionStore(db_path)
    try:
        return len(store.due_reminders(datetime(2028, 1, 2, tzinfo=UTC), 10))
    finally:
        store.close()


def test_counts_and_the_switch_for_admins(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    opted_in_session(db, "31", FakeClock(datetime(2026, 11, 23, tzinfo=UTC)))
    with console(db) as client:
        login(client, "vera")
        page = client.get("/reminders")
        assert page.status_code == 200 and "Rappels" in page.text
        assert 'id="count-scheduled">2<' in page.text
        assert "reminders-switch" not in page.text, "viewers see counts, not the switch"
        refused = client.post("/reminders/switch", data={"csrf": csrf_of(page.text), "on": "0"})
        assert refused.status_code == 403
        client.post("/logout", data={"csrf": csrf_of(page.text)})

        login(client, "alice")
        page = client.get("/reminders")
        assert "Reminders are on" in page.text and "reminders-switch" in page.text
        assert client.post("/reminders/switch", data={"on": "0"}).status_code == 403, "CSRF token needed"
        done = client.post("/reminders/switch", data={"csrf": csrf_of(page.text), "on": "0"})
        assert done.status_code == 303
        assert "Reminders are off for everyone" in client.get("/reminders").text
        assert due_now(db) == 0, "nothing is due while reminders are off"
        page = client.get("/reminders")
        client.post("/reminders/switch", data={"csrf": csrf_of(page.text), "on": "1"})
        assert due_now(db) == 2
    actions = [action for operator, action, _ in audit_actions(db) if operator == "alice"]
    assert "reminders_off" in actions and "reminders_on" in actions
