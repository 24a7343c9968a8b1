"""The console's Rules page and the amounts due on its front page (Starlette's TestClient)."""

from __future__ import annotations

import contextlib
import re
import time
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine.thresholds import active_table, threshold_table, use_table
from bot.i18n import money
from bot.operators.auth import hash_password
from bot.operators.rules_page import RegisterInForce
from bot.operators.web import ConsoleConfig, create_app
from bot.rules import live
from bot.rules.pack import MANIFEST, Manifest, default_pack, parse_pack, write_pack_files
from bot.store import OperatorStore
from tests.operators.conftest import SettableClock
from tests.operators.test_web import PASSWORD, login
from tests.rules.conftest import raised_blue_card

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TODAY = date(2026, 12, 3)


@contextlib.contextmanager
def console(db_path: Path, clock: SettableClock) -> Iterator[TestClient]:
    """The console on ``db_path`` with operator alice, "today" being TODAY."""
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD))
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(db_path=db_path, secret_key="test-secret", clock=clock, today=lambda: TODAY)
    with TestClient(create_app(config), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def client(db_path: Path, clock: SettableClock, seeded: dict[str, int]) -> Iterator[TestClient]:
    with console(db_path, clock) as test_client:
        yield test_client


def test_the_rules_page_needs_a_login(client: TestClient) -> None:
    response = client.get("/rules")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_amount_with_its_window_source_link_and_stale_flag(client: TestClient) -> None:
    login(client)
    page = client.get("/rules")
    assert page.status_code == 200
    html = page.text
    assert f"In force: <strong>{default_pack().version}</strong>" in html
    rows = re.findall(r'<tr id="row-\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == len(default_pack().rows)
    fl_hq = next(row for row in rows if "<code>FL_HQ</code>" in row)
    assert "2025-01-01" in fl_hq and "stale since 2026-01-01" in fl_hq
    # a public source is a titled link to its page; a seed is named, never shown by its internal path
    assert (
        '<a href="https://www.brusselstimes.com/belgium/1929259/' in fl_hq and "P01 · 2026: Wallonia" in fl_hq
    )
    assert "S003 · Blog guide by" in fl_hq and "(seed document)" in fl_hq
    assert "shared/seeds/" not in html
    bxl = next(row for row in rows if "<code>BXL_HQ</code>" in row and "<td>2025-01-01</td>" in row)
    assert "update pending from 2027-01-01" in bxl  # due within 60 days, not yet stale
    assert "No pack applied yet" in html


def test_front_page_lists_the_amounts_due(client: TestClient) -> None:
    login(client)
    front = client.get("/", follow_redirects=True)
    box = re.search(r'<section class="stale-amounts" id="stale-amounts">(.*?)</section>', front.text, re.S)
    assert box is not None
    assert "<code>FL_HQ</code>" in box[1] and "update pending since 2026-01-01" in box[1]
    assert "<code>BXL_HQ</code>" in box[1] and "update pending from 2027-01-01" in box[1]
    assert "stale-amounts" not in client.get("/queue").text


def test_an_applied_pack_and_its_history_show_at_once(
    client: TestClient, db_path: Path, tmp_path: Path
) -> None:
    files = dict(default_pack().files, **{"thresholds.csv": raised_blue_card()})
    files[MANIFEST] = Manifest("2026.12-v1", TODAY, "Test Adviser", "Blue Card raised").to_toml()
    folder = write_pack_files(files, tmp_path / "pack")
    assert main(["rules", "apply", str(folder), "--db", str(db_path), "--by", "bob"]) == 0
    login(client)
    html = client.get("/rules").text
    assert "In force: <strong>2026.12-v1</strong>" in html and "applied by bob" in html
    history = re.search(r'<table class="grid" id="history">(.*?)</table>', html, re.S)
    assert history is not None and "<td>apply</td><td><code>2026.12-v1</code></td><td>bob</td>" in history[1]
    bc = next(
        row for row in re.findall(r"<tr id=.*?</tr>", html, re.S) if "BXL_BC" in row and "2025-01-01" in row
    )
    assert money(5500, "en") in bc


def test_re_assess_today_uses_the_pack_in_force(
    db_path: Path,
    clock: SettableClock,
    seeded: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live, "CHECK_EVERY_S", 0.05)
    files = dict(default_pack().files, **{"thresholds.csv": raised_blue_card()})
    files[MANIFEST] = Manifest("2026.12-v1", TODAY, "Test Adviser", "Blue Card raised").to_toml()
    pack = write_pack_files(files, tmp_path / "pack")
    assert main(["rules", "apply", str(pack), "--db", str(db_path)]) == 0
    with console(db_path, clock) as client:
        login(client)
        deadline = time.monotonic() + 10
        while "2026.12-v1" not in (page := client.get(f"/sessions/{seeded['brussels']}").text):
            assert time.monotonic() < deadline, "the console did not take up the pack in force"
            time.sleep(0.05)
        assert re.search(r"BLUE_CARD.{0,200}HQ", page, re.S)  # stored under the packaged tables; today: HQ
    assert active_table() is threshold_table()


def test_session_pages_name_the_sources_of_the_pack_in_force() -> None:
    register = RegisterInForce()
    sources = (
        default_pack().files["sources.csv"] + 'P90,public,https://example.org/2027,"Brussels 2027 grid",H\n'
    )
    pack = parse_pack(dict(default_pack().files, **{"sources.csv": sources}))
    assert "P90" not in register and register["P01"].kind == "public"
    use_table(pack.table)
    try:
        assert register["P90"].reference == "https://example.org/2027" and len(register) == len(pack.sources)
    finally:
        use_table(None)
    assert "P90" not in register
