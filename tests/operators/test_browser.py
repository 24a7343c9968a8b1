"""The review console in headless Chromium (Debian's, driven by Playwright): log in, filter, search,
open a session, add a note, export, erase — and the refusals, as a browser sees them.

Set GUICHET_SCREENSHOTS=1 to refresh docs/review-console.png and docs/review-session.png.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from bot.operators.auth import hash_password
from bot.operators.web import ConsoleConfig, create_app
from bot.store import OperatorStore
from tests.operators.conftest import ASSESSED_ON, SettableClock

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parents[2] / "docs"
PASSWORD = "correct horse battery staple"

playwright_sync = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium not found at /usr/bin/chromium: run tests/operators/ensure_chromium.sh",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def console_url(db_path: Path, clock: SettableClock, seeded: dict[str, int]) -> Iterator[str]:
    """The console served by uvicorn on a free loopback port, in a background thread."""
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), role="admin")
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(
        db_path=db_path, secret_key="browser-secret", clock=clock, today=lambda: ASSESSED_ON
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the review console did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(console_url: str) -> Iterator[object]:
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        yield tab
        context.close()
        browser.close()


def log_in(page, url: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/sessions")
    assert "/login" in page.url  # sent to the login form first
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def session_ids(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.locator("#sessions tbody td:first-child a").all_inner_texts())


def test_review_console_in_chromium(page, console_url: str, seeded: dict[str, int], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = console_url
    ids = {name: str(sid) for name, sid in seeded.items()}

    # a wrong password shows the form again and nothing else
    log_in(page, url, password="not the password")
    assert page.locator(".error").inner_text() == "Wrong name or password."
    page.goto(f"{url}/sessions/{ids['brussels']}")
    assert "/login" in page.url and "Mumbai" not in page.content()

    log_in(page, url)
    page.wait_for_url(f"{url}/sessions")
    assert session_ids(page) == set(ids.values())
    shots = DOCS if os.environ.get("GUICHET_SCREENSHOTS") else tmp_path
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "review-console.png"), full_page=True)

    # filter
    page.select_option("select[name=route]", "BLUE_CARD")
    page.select_option("select[name=region]", "BXL")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**route=BLUE_CARD**")
    assert session_ids(page) == {ids["brussels"], ids["family"]}

    # search (accents folded, beginning of a word)
    page.click("text=Clear")
    page.fill("input[name=search]", "lieg")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**search=lieg**")
    assert session_ids(page) == {ids["family"]}

    # export what is shown
    with page.expect_download() as download_info:
        page.click("#export-csv")
    exported = Path(download_info.value.path())
    rows = list(csv.DictReader(exported.open(encoding="utf-8-sig")))
    assert [r["id"] for r in rows] == [ids["family"]] and rows[0]["employer"] == "Globex NV"

    # open a session
    page.click(f"#sessions a[href='/sessions/{ids['family']}']")
    page.wait_for_url(f"{url}/sessions/{ids['family']}")
    assert "My wife is in Liège for a visit" in page.locator("#transcript").inner_text()
    assert "BLUE_CARD" in page.locator("#assessment").inner_text()
    assert "same answer" in page.locator("#reassess").inner_text()

    # add a note and a flag
    page.fill("textarea[name=text]", "Contacted; advised to wait until 15 Sep")
    page.click("#notes button[type=submit]")
    page.wait_for_url("**#notes")
    assert "advised to wait until 15 Sep" in page.locator("#notes").inner_text()
    page.click("#flags button:has-text('contacted')")
    page.wait_for_url("**#flags")
    assert "✓ Contacted" in page.locator("#flags").inner_text()
    page.set_viewport_size({"width": 1360, "height": 1400})
    page.goto(f"{url}/sessions/{ids['family']}")
    page.screenshot(path=str(shots / "review-session.png"))

    # erase
    page.goto(f"{url}/sessions/{ids['family']}")
    page.check("input[name=confirm]")
    page.click("button.danger")
    page.wait_for_url(f"**/sessions?erased={ids['family']}")
    assert f"Session {ids['family']} was erased." in page.locator(".notice").inner_text()
    assert ids["family"] not in session_ids(page)
    page.goto(f"{url}/sessions/{ids['family']}")
    assert "not found" in page.locator("h1").inner_text()

    # the audit log names alice for each action
    page.goto(f"{url}/audit")
    audit_text = page.locator("table").inner_text()
    for action in ("login", "login_failed", "list", "export", "view", "note", "flag", "erase"):
        assert f"alice\t{action}" in audit_text, action

    # after logging out, pages and exports are refused again
    page.click("header button:has-text('Log out')")
    page.wait_for_url(f"{url}/login")
    page.goto(f"{url}/sessions")
    assert "/login" in page.url
    response = page.request.get(f"{url}/sessions/export.json")
    assert response.status == 401 and "Globex" not in response.text()
