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
from bot.engine import active_table, threshold_table, use_table
from bot.i18n import Lang, money, text
from bot.operators.auth import hash_password
from bot.operators.rules_page import RegisterInForce, rules_view
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
def console(db_path: Path, clock: SettableClock, lang: str = "en") -> Iterator[TestClient]:
    """The console on ``db_path`` with operator alice (her console in ``lang``), "today" being TODAY."""
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), lang=lang)
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
    fl_hq = next(row for row in rows if '<td title="FL_HQ">' in row)
    assert (
        '<time datetime="2025-01-01">1 January 2025</time>' in fl_hq and "stale since 1 January 2026" in fl_hq
    )
    assert "<code" not in fl_hq and "high" in fl_hq, fl_hq  # codes only in tooltips
    assert "Flanders: highly qualified worker (30 or over)" in fl_hq and "gross per year" in fl_hq
    assert '<span title="FL">Flanders</span>' in fl_hq and '<span title="active">Active</span>' in fl_hq
    # a public source is a titled link to its page (its ID in the tooltip); a seed is named, never shown
    # by its internal path
    assert '<a href="https://www.brusselstimes.com/belgium/1929259/' in fl_hq
    assert 'title="P01">The Brussels Times — Minimum salaries' in fl_hq  # the register's title in English
    assert '<span title="S003"><span>Blog guide' in fl_hq and "(document kept by the team)" in fl_hq
    assert "shared/seeds/" not in html
    bxl = next(
        row
        for row in rows
        if '<td title="BXL_HQ">' in row and '<td class="num"><time datetime="2025-01-01">' in row
    )
    assert "update pending from 1 January 2027" in bxl  # due within 60 days, not yet stale
    rejected = next(row for row in rows if '<td title="FL_MED_S000">' in row)
    assert '<span title="rejected">Rejected (not used)</span>' in rejected
    assert "No pack applied yet" in html


def test_front_page_counts_the_amounts_due_and_the_rules_page_lists_them(client: TestClient) -> None:
    login(client)
    front = client.get("/", follow_redirects=True).text
    view = rules_view(client.app.state.console.config.db_path, TODAY)  # type: ignore[attr-defined]
    due, overdue = len(view.due) + len(view.due_lists), sum(d.overdue for d in [*view.due, *view.due_lists])
    assert due > 1 and overdue > 1
    summary = re.search(r'<p class="stale-summary" id="stale-summary">(.*?)</p>', front, re.S)
    assert summary is not None
    assert f"{due} amounts or occupation lists to update ({overdue} overdue)" in " ".join(summary[1].split())
    assert '<a href="/rules#stale-amounts">See the Rules page</a>' in summary[1]
    assert 'id="stale-amounts"' not in front and "FL_HQ" not in front  # the list itself is on the Rules page
    assert front.index('id="stale-summary"') < front.index('id="sessions"')
    box = re.search(
        r'<section class="stale-amounts" id="stale-amounts">(.*?)</section>', client.get("/rules").text, re.S
    )
    assert box is not None
    assert '<li title="FL_HQ">' in box[1] and "update pending since 1 January 2026" in box[1]
    assert '<li title="BXL_HQ">' in box[1] and "update pending from 1 January 2027" in box[1]
    assert "Actiris shortage list — validity ended: nothing loaded since 1 July 2026" in box[1]
    assert "<code>ACTIRIS</code>" not in box[1]
    assert "stale-summary" not in client.get("/queue").text


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
    assert "prepared by Test Adviser on 3 December 2026" in html
    history = re.search(r'<table class="grid" id="history">(.*?)</table>', html, re.S)
    assert history is not None
    assert (
        '<td><span title="apply">applied</span></td><td><code class="cmd">2026.12-v1</code></td>'
        "<td><bdi>bob</bdi></td>" in history[1]
    )
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
        # stored under the packaged tables: Blue Card; today: highly qualified worker
        assert "<tr><th>Route</th><td>EU Blue Card</td><td>Highly qualified worker</td></tr>" in page
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


ENGLISH_WORDING = (
    "Rules",
    "In force:",
    "Amounts and fees",
    "Shortage lists",
    "Packs",
    "History",
    "To update",
    "stale since",
    "update pending",
    "validity ended",
    "document kept by the team",
    "Prepare a pack",
    "No pack applied yet",
    "Valid from",
    "Confidence",
)
TRANSLATED = {
    "fr": {
        "nav": ">Règles</a>",
        "headings": [
            "Règles",
            "Montants et redevances",
            "Listes de métiers en pénurie",
            "Paquets",
            "Historique",
        ],
        "in_force": "En vigueur : <strong>",
        "fl_hq": [
            "Flandre : travailleur hautement qualifié (30 ans ou plus)",
            '<time datetime="2025-01-01">1er janvier 2025</time>',
            "à actualiser depuis le 1er janvier 2026",
            '<span title="FL">Flandre</span>',
            '<span title="active">Actif</span>',
        ],
        "box": ["À mettre à jour", "mise à jour attendue à partir du 1er janvier 2027", "échu"],
        "list": "validité terminée : rien de chargé depuis le 1er juillet 2026",
        "empty": "Aucun paquet appliqué",
        "summary": "montants ou listes de métiers à mettre à jour",
    },
    "nl": {
        "nav": ">Regels</a>",
        "headings": [
            "Regels",
            "Bedragen en retributies",
            "Knelpuntberoepenlijsten",
            "Pakketten",
            "Geschiedenis",
        ],
        "in_force": "Van kracht: <strong>",
        "fl_hq": [
            '<time datetime="2025-01-01">1 januari 2025</time>',
            "bij te werken sinds 1 januari 2026",
            '<span title="FL">Vlaanderen</span>',
            '<span title="active">Actief</span>',
        ],
        "box": ["Bij te werken", "bijwerking verwacht vanaf 1 januari 2027", "vervallen"],
        "list": "geldigheid verlopen: niets geladen sinds 1 juli 2026",
        "empty": "Nog geen pakket toegepast",
        "summary": "bedragen of beroepenlijsten bij te werken",
    },
}


def _visible_text(html: str) -> str:
    """The page's text as read on screen: no tags, attributes or code (IDs and commands stay English)."""
    html = re.sub(r"<(script|style|code|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_rules_page_speaks_the_operators_language(
    db_path: Path, clock: SettableClock, seeded: dict[str, int], lang: Lang
) -> None:
    words = TRANSLATED[lang]
    with console(db_path, clock, lang=lang) as client:
        login(client)
        html = client.get("/rules").text
        front = client.get("/", follow_redirects=True).text
    assert f'<html lang="{lang}">' in html and words["nav"] in html and words["in_force"] in html
    headings = [
        re.sub(r"<small>.*?</small>|<[^>]+>", "", found).strip()
        for found in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)
    ]
    assert set(words["headings"]) <= set(headings)
    assert text(lang, "console.rules.col.valid_from") in re.findall(r"<th>(.*?)</th>", html)
    rows = re.findall(r'<tr id="row-\d+">(.*?)</tr>', html, re.S)
    fl_hq = next(row for row in rows if '<td title="FL_HQ">' in row)
    assert all(phrase in fl_hq for phrase in words["fl_hq"]), fl_hq
    assert f"({text(lang, 'console.session.source_document')})" in fl_hq
    assert RegisterInForce()["P01"].title(lang) in fl_hq  # the register's title in the operator's language
    blue_card = next(row for row in default_pack().table.rows if row.id == "BXL_BC" and row.amount)
    assert any(money(blue_card.amount or 0, lang) in row for row in rows if '<td title="BXL_BC">' in row)
    lists = re.search(r'<table class="grid" id="lists">(.*?)</table>', html, re.S)
    assert lists is not None and words["list"] in lists[1]
    assert words["empty"] in html
    box = re.search(r'<section class="stale-amounts" id="stale-amounts">(.*?)</section>', html, re.S)
    assert box is not None and all(phrase in box[1] for phrase in words["box"]), box[1] if box else html
    summary = re.search(r'<p class="stale-summary" id="stale-summary">(.*?)</p>', front, re.S)
    assert summary is not None and words["summary"] in summary[1], front
    for page in (html, summary[1]):
        shown = _visible_text(page)
        leaks = [phrase for phrase in ENGLISH_WORDING if re.search(rf"\b{re.escape(phrase)}\b", shown)]
        assert leaks == [], leaks


def test_an_applied_pack_in_french(db_path: Path, clock: SettableClock, tmp_path: Path) -> None:
    files = dict(default_pack().files, **{"thresholds.csv": raised_blue_card()})
    files[MANIFEST] = Manifest("2026.12-v1", TODAY, "Test Adviser", "Blue Card raised").to_toml()
    folder = write_pack_files(files, tmp_path / "pack")
    assert main(["rules", "apply", str(folder), "--db", str(db_path), "--by", "bob"]) == 0
    with console(db_path, clock, lang="fr") as client:
        login(client)
        html = client.get("/rules").text
    assert "En vigueur : <strong>2026.12-v1</strong>" in html
    assert "préparé par Test Adviser le 3 décembre 2026" in html and "appliqué par bob le " in html
    packs = re.search(r'<table class="grid" id="packs">(.*?)</table>', html, re.S)
    assert packs is not None and '<span class="tag">en vigueur</span>' in packs[1], packs
    assert '<time datetime="2026-12-03">3 décembre 2026</time>' in packs[1]
    history = re.search(r'<table class="grid" id="history">(.*?)</table>', html, re.S)
    assert history is not None and '<span title="apply">appliqué</span>' in history[1]
    assert "applied" not in _visible_text(html) and "Aucun paquet appliqué" not in html
