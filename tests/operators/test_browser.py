"""The review console in headless Chromium (Debian's, driven by Playwright): log in, filter, search,
open a session, add a note, export, erase — and the refusals, as a browser sees them; every page in
French, Dutch and English at desktop and phone width.

Set GUICHET_SCREENSHOTS=1 to refresh docs/review-console.png, review-mobile.png, review-session.png and
review-hr.png (the French console); GUICHET_SCREENSHOTS_ALL=<folder> to keep every page's screenshot.
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
from bot.store import OperatorStore, SessionStore
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
        db_path=db_path,
        secret_key="browser-secret",
        clock=clock,
        today=lambda: ASSESSED_ON,
        bot_username="guichet_be_bot",
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


def log_in(page, url: str, password: str = PASSWORD, name: str = "alice", start: str = "/sessions") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}{start}")
    assert "/login" in page.url  # sent to the login form first
    page.fill("input[name=name]", name)
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
    assessment = page.locator("#assessment")
    assert "EU Blue Card" in assessment.inner_text() and "BLUE_CARD" not in assessment.inner_text()
    assert assessment.locator("strong[title='BLUE_CARD']").count() == 1  # the code in the tooltip
    assert "same answer" in page.locator("#reassess").inner_text()

    # add a note and a flag
    page.fill("textarea[name=text]", "Contacted; advised to wait until 15 Sep")
    page.click("#notes button[type=submit]")
    page.wait_for_url("**#notes")
    assert "advised to wait until 15 Sep" in page.locator("#notes").inner_text()
    page.click("#flags button:has-text('contacted')")
    page.wait_for_url("**#flags")
    assert "✓ Contacted" in page.locator("#flags").inner_text()

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
    for action in (
        "Logged in",
        "Log-in refused",
        "Sessions listed",
        "Export",
        "Session opened",
        "Note added",
    ):
        assert f"alice\t{action}" in audit_text, action
    for action in ("Flag set", "Session erased"):
        assert f"alice\t{action}" in audit_text, action

    # after logging out, pages and exports are refused again
    page.click("header button.link")
    page.wait_for_url(f"{url}/login")
    page.goto(f"{url}/sessions")
    assert "/login" in page.url
    response = page.request.get(f"{url}/sessions/export.json")
    assert response.status == 401 and "Globex" not in response.text()


def add_account(db_path: Path, clock: SettableClock, name: str, **options: str) -> None:
    ops = OperatorStore(db_path, clock=clock)
    try:
        ops.create_operator(name, hash_password(PASSWORD), **options)
    finally:
        ops.close()


def box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_layout_bugs_are_fixed_in_chromium(  # type: ignore[no-untyped-def]
    page, console_url: str, seeded: dict[str, int], db_path: Path, clock: SettableClock, tmp_path: Path
) -> None:
    url = console_url
    store = SessionStore(db_path, clock=clock)
    long_word = "Bonjour" + "x" * 3000
    store.append_transcript(seeded["eupen"], "in", long_word)
    store.close()
    ops = OperatorStore(db_path, clock=clock)
    ops.set_flag(seeded["eupen"], "needs_review", "alice")
    ops.close()

    # the redirect after log-in keeps the filters
    log_in(page, url, start="/sessions?route=BLUE_CARD&region=BXL")
    page.wait_for_url("**/sessions?route=BLUE_CARD&region=BXL")
    assert session_ids(page) == {str(seeded["brussels"]), str(seeded["family"])}

    # the Route and Family filters never overlap, whatever the width
    page.goto(f"{url}/sessions")
    for width in (1360, 1024, 800, 600):
        page.set_viewport_size({"width": width, "height": 900})
        route, family = (
            box(page, "label:has(select[name=route])"),
            box(page, "label:has(select[name=family])"),
        )
        assert not overlaps(route, family), width
        for name, label in (("route", route), ("family", family)):
            select = box(page, f"select[name={name}]")
            assert select["x"] + select["width"] <= label["x"] + label["width"] + 1, (width, name)

    # "Flagged for review" reads differently from the status "Needs review"
    page.set_viewport_size({"width": 1360, "height": 900})
    row = page.locator(f"#sessions tr:has(a[href='/sessions/{seeded['eupen']}'])")
    status, flag = row.locator(".status"), row.locator(".tag.flag")
    assert status.inner_text().strip() == "Needs review" and "Flagged for review" in flag.inner_text()
    status_border = status.evaluate("e => getComputedStyle(e).borderStyle")
    flag_border = flag.evaluate("e => getComputedStyle(e).borderStyle")
    assert status_border != flag_border

    # a long message stays inside the transcript
    page.goto(f"{url}/sessions/{seeded['eupen']}")
    message = page.locator("#transcript li", has_text="Bonjourxxx")
    inside = message.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    section, bubble = box(page, "#transcript"), dict(message.bounding_box())
    assert inside and bubble["x"] + bubble["width"] <= section["x"] + section["width"] + 1

    # at 390 px, every header link and "Log out" are on screen, and the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 844})
    for target in ("/sessions", f"/sessions/{seeded['eupen']}", "/audit"):
        page.goto(f"{url}{target}")
        for selector in ("header a[href='/audit']", "header a[href='/operators']", "header button.link"):
            found = box(page, selector)
            assert found["x"] >= 0 and found["x"] + found["width"] <= 390, (target, selector, found)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, target


def test_languages_labels_and_isolated_user_text_in_chromium(  # type: ignore[no-untyped-def]
    page, console_url: str, seeded: dict[str, int], db_path: Path, clock: SettableClock
) -> None:
    url = console_url
    add_account(db_path, clock, "vera", role="viewer", lang="fr")
    store = SessionStore(db_path, clock=clock)
    store.append_transcript(seeded["brussels"], "in", "salaire \u202e0005\u202c EUR par mois")
    store.close()
    log_in(page, url, name="vera")
    page.wait_for_url(f"{url}/sessions")
    assert page.locator("header button.link").inner_text() == "Se déconnecter"
    options = page.locator("select[name=route] option").all_inner_texts()
    assert "Carte bleue européenne" in options and "BLUE_CARD" not in options
    assert "Travailleur hautement qualifié" in options
    assert page.locator("header a[href='/audit']").count() == 0  # a viewer has no audit log
    page.goto(f"{url}/sessions/{seeded['brussels']}")
    assert "Erase" not in page.content() and page.locator("#user-key").count() == 0
    text = page.locator("#transcript bdi.user-text", has_text="salaire")
    assert text.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    time_line = page.locator("#transcript li", has_text="salaire").locator("small")
    assert box(page, "#transcript li:has-text('salaire') small")["y"] < dict(text.bounding_box())["y"]
    assert time_line.inner_text().startswith("personne")
    sources = page.locator("#assessment ul.sources").inner_text()
    assert "shared/seeds" not in sources and ".txt" not in sources
    assert page.locator("#assessment ul.sources a[href^='https://']").count() >= 1
    page.goto(f"{url}/account")
    page.select_option("#language select[name=lang]", "nl")
    page.click("#language button")
    page.wait_for_url(f"{url}/account")
    assert page.locator("header button.link").inner_text() == "Afmelden"


def test_hr_invite_links_in_chromium(  # type: ignore[no-untyped-def]
    page, console_url: str, db_path: Path, clock: SettableClock, tmp_path: Path
) -> None:
    url = console_url
    add_account(db_path, clock, "hank", role="hr", employer="Globex NV")
    log_in(page, url, name="hank", start="/")
    page.wait_for_url(f"{url}/hr")
    page.fill("input[name=work_postcode]", "1050")
    page.fill("input[name=salary_month_base]", "5200")
    page.click("#new-invite button[type=submit]")
    page.wait_for_url("**/hr?created=*")
    image = page.locator("#links img").first
    image.wait_for()
    assert image.evaluate("e => e.complete && e.naturalWidth > 100")
    message = page.locator("#links textarea.message").first.input_value()
    assert "Globex NV" in message and "https://t.me/guichet_be_bot?start=" in message
    assert page.locator("header a[href='/sessions']").count() == 0
    page.goto(f"{url}/sessions")
    assert "role" in page.content() or page.locator("body").inner_text().strip() != ""


# Every word of the page's own wording that Chromium lays out on two lines (a word broken inside, as
# "oct obre"); people's words (.user-text) and the chat's quoted reply may break anywhere.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.user-text, pre, textarea, option, head')) continue;
    for (const match of node.data.matchAll(/[^\\s\\-–—\\/]{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


def console_pages(seeded: dict[str, int]) -> dict[str, str]:
    """Every page of the console an admin sees, by a short name."""
    pages = {name: f"/{name}" for name in ("sessions", "queue", "invites", "rules", "reminders", "audit")}
    pages |= {"account": "/account", "accounts": "/operators", "missing": "/sessions/999999"}
    return pages | {f"session-{seed}": f"/sessions/{sid}" for seed, sid in seeded.items()}


def check_layout(tab, where: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """No broken word, and the page itself never scrolls sideways (on a phone wide tables scroll in their
    box; on a desktop they fit)."""
    assert tab.evaluate(BROKEN_WORDS_JS) == [], where
    too_wide = """w => [...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll'))
        .filter(e => e.getBoundingClientRect().right > w + 0.5).map(e => e.tagName + '.' + e.className + ' '
        + e.textContent.trim().slice(0, 40))"""
    assert tab.evaluate("document.documentElement.scrollWidth") <= width, (
        where,
        tab.evaluate(too_wide, width),
    )
    if width >= 1280:  # on a desktop even the widest table fits: nothing to scroll sideways
        scrolled = "[...document.querySelectorAll('.scroll')].filter(e => e.scrollWidth > e.clientWidth + 1)"
        assert tab.evaluate(scrolled + ".map(e => e.firstElementChild.id)") == [], where


def test_every_page_reads_well_in_each_language_and_width(  # type: ignore[no-untyped-def]
    console_url: str, seeded: dict[str, int], db_path: Path, clock: SettableClock, tmp_path: Path
) -> None:
    url = console_url
    store = SessionStore(db_path, clock=clock)
    store.share_result(seeded["family"])
    store.close()
    for lang in ("fr", "nl", "en"):
        add_account(db_path, clock, f"ana-{lang}", role="admin", lang=lang)
        add_account(db_path, clock, f"hr-{lang}", role="hr", lang=lang, employer="Globex NV")
    shots = DOCS if os.environ.get("GUICHET_SCREENSHOTS") else tmp_path
    every = tmp_path / "every-page"
    every.mkdir()
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            for lang, locale in (("fr", "fr-BE"), ("nl", "nl-BE"), ("en", "en-GB")):
                for form, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
                    tab = context.new_page()
                    tab.set_default_timeout(10_000)
                    # before log-in, the form speaks the browser's language
                    tab.goto(f"{url}/login")
                    assert tab.locator("html").get_attribute("lang") == lang
                    check_layout(tab, f"{lang} {form} login", width)
                    tab.screenshot(path=str(every / f"login-{lang}-{form}.png"), full_page=True)
                    log_in(tab, url, name=f"ana-{lang}")
                    tab.wait_for_url(f"{url}/sessions")
                    # the sessions come first: the first row is on the first screen
                    first_row = box(tab, "#sessions tbody tr")
                    assert first_row["y"] + 20 < height, (lang, form, first_row)
                    for name, path in console_pages(seeded).items():
                        tab.goto(f"{url}{path}")
                        check_layout(tab, f"{lang} {form} {name}", width)
                        tab.screenshot(path=str(every / f"{name}-{lang}-{form}.png"), full_page=True)
                    tab.goto(f"{url}/sessions")
                    if lang == "fr":
                        name = "review-console.png" if form == "desktop" else "review-mobile.png"
                        tab.screenshot(path=str(shots / name), full_page=form == "desktop")
                        if form == "desktop":
                            tab.set_viewport_size({"width": width, "height": 1500})
                            tab.goto(f"{url}/sessions/{seeded['family']}")
                            tab.screenshot(path=str(shots / "review-session.png"))
                            tab.set_viewport_size({"width": width, "height": height})
                    tab.click("header button.link")
                    tab.wait_for_url(f"{url}/login")
                    log_in(tab, url, name=f"hr-{lang}", start="/hr")
                    tab.wait_for_url(f"{url}/hr")
                    tab.fill("input[name=work_postcode]", "1050")
                    tab.fill("input[name=salary_month_base]", "5200")
                    tab.click("#new-invite button[type=submit]")
                    tab.wait_for_url("**/hr?created=*")
                    for name, path in (("hr", "/hr"), ("hr-result", f"/hr/results/{seeded['family']}")):
                        tab.goto(f"{url}{path}")
                        check_layout(tab, f"{lang} {form} {name}", width)
                        tab.screenshot(path=str(every / f"{name}-{lang}-{form}.png"), full_page=True)
                    if lang == "fr" and form == "desktop":
                        tab.goto(f"{url}/hr")
                        tab.screenshot(path=str(shots / "review-hr.png"), full_page=True)
                    context.close()
        finally:
            browser.close()
    if os.environ.get("GUICHET_SCREENSHOTS_ALL"):  # every screenshot, to look at them
        shutil.copytree(every, os.environ["GUICHET_SCREENSHOTS_ALL"], dirs_exist_ok=True)
