"""The attacks of issue 16 replayed against the console over HTTP: each must fail."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.operators.auth import hash_password
from bot.operators.web import SESSION_COOKIE, ConsoleConfig, create_app
from bot.store import OperatorStore, SessionStore
from bot.store.console import FREE_LOGIN_FAILURES, login_delay
from tests.operators.conftest import ASSESSED_ON, SettableClock

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery staple"
ATTACKER = ("203.0.113.66", 4444)
OFFICE = ("198.51.100.7", 5555)


@pytest.fixture
def app(db_path: Path, clock: SettableClock, seeded: dict[str, int]):  # type: ignore[no-untyped-def]
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), role="admin")
    ops.create_operator("vera", hash_password(PASSWORD), role="viewer", lang="fr")
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(db_path=db_path, secret_key="test-secret", clock=clock, today=lambda: ASSESSED_ON)
    return create_app(config)


@pytest.fixture
def office(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The real operator's browser (runs the app's lifespan)."""
    with TestClient(app, follow_redirects=False, client=OFFICE) as client:
        yield client


def other(app, address: tuple[str, int] = ATTACKER) -> TestClient:  # type: ignore[no-untyped-def]
    """Another browser on the same running app (``office`` must be open)."""
    return TestClient(app, follow_redirects=False, client=address)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match[1]


def login(client: TestClient, name: str = "alice", password: str = PASSWORD) -> object:
    form = client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(form.text)})


def audit_rows(db_path: Path) -> list[tuple[str, str, str | None]]:
    ops = OperatorStore(db_path)
    try:
        return [(e.operator, e.action, e.client) for e in reversed(ops.audit_entries(limit=1000))]
    finally:
        ops.close()


# -- 1. lock-out ------------------------------------------------------------------------------------


def test_an_attacker_cannot_lock_the_operator_out(
    app, office: TestClient, clock: SettableClock, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert login(office).status_code == 303  # type: ignore[attr-defined]  # alice works from here
    attacker = other(app)
    for failure in range(1, 8):
        assert login(attacker, password="guess").status_code == 401  # type: ignore[attr-defined]
        if failure >= FREE_LOGIN_FAILURES:  # from then on, each further try must wait
            assert login(attacker, password="guess").status_code == 429  # type: ignore[attr-defined]
        clock.now += login_delay(failure) + timedelta(milliseconds=1)
    login(attacker, password="guess")
    assert login(attacker).status_code == 429  # type: ignore[attr-defined]  # slowed down even with the password
    response = login(office)  # …but alice, from her own address, logs in at once
    assert response.status_code == 303 and SESSION_COOKIE in office.cookies  # type: ignore[attr-defined]
    failures = [row for row in audit_rows(db_path) if row[1] == "login_failed"]
    assert failures and {client for _, _, client in failures} == {ATTACKER[0]}


def test_delays_grow_and_the_wait_ends(app, office: TestClient, clock: SettableClock) -> None:  # type: ignore[no-untyped-def]
    assert [login_delay(n).total_seconds() for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    assert login_delay(100) == timedelta(minutes=15)
    attacker = other(app)
    for failure in range(1, FREE_LOGIN_FAILURES + 3):
        login(attacker, password="guess")
        clock.now += login_delay(failure) + timedelta(milliseconds=1)
    login(attacker, password="guess")  # failure 6: wait 8 s
    clock.now += timedelta(seconds=7)
    blocked = login(attacker)
    assert blocked.status_code == 429 and "wait 1 seconds" in blocked.text  # type: ignore[attr-defined]
    clock.now += timedelta(seconds=1, milliseconds=1)
    assert login(attacker).status_code == 303  # type: ignore[attr-defined]


def test_operators_unlock_clears_every_address(app, office: TestClient, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.operators.test_cli import run

    attacker = other(app)
    for _ in range(FREE_LOGIN_FAILURES + 3):
        login(attacker, password="guess")
    assert login(attacker).status_code == 429  # type: ignore[attr-defined]
    code, out, _ = run(["operators", "unlock", "alice", "--db", str(db_path)])
    assert code == 0 and "unlocked alice" in out
    assert login(attacker).status_code == 303  # type: ignore[attr-defined]
    assert run(["operators", "unlock", "nobody", "--db", str(db_path)])[0] == 2


# -- 2. what the audit log keeps ----------------------------------------------------------------------


def test_a_huge_name_or_a_password_typed_as_name_is_not_logged(
    app, office: TestClient, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before = db_path.stat().st_size
    huge = "x" * 1_000_000
    assert login(office, name=huge, password="whatever").status_code == 413  # type: ignore[attr-defined]  # never read
    assert login(office, name="x" * 1000, password="whatever").status_code == 401  # type: ignore[attr-defined]
    assert login(office, name="Tr0ub4dor&3", password="x").status_code == 401  # type: ignore[attr-defined]
    assert login(office, name="correcthorsebattery", password="x").status_code == 401  # type: ignore[attr-defined]
    names = [name for name, action, _ in audit_rows(db_path) if action == "login_failed"]
    assert names == ["(invalid name)", "(invalid name)", "(unknown name)"]
    login(office)
    page = office.get("/audit")
    assert "Tr0ub4dor" not in page.text and "correcthorsebattery" not in page.text
    assert len(page.text) < 100_000
    size = db_path.stat().st_size + Path(f"{db_path}-wal").stat().st_size
    assert size - before < 200_000


def test_audit_is_paged_filtered_and_kept_for_its_retention(
    app, office: TestClient, db_path: Path, clock: SettableClock, seeded: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    login(office)
    for _ in range(60):
        office.get(f"/sessions/{seeded['eupen']}")
    first = office.get("/audit")
    assert first.status_code == 200 and first.text.count("<tr><td>") == 50 and 'rel="next"' in first.text
    assert office.get("/audit?page=2").text.count("<tr><td>") >= 10
    only_login = office.get("/audit?action=login&operator=alice").text
    assert only_login.count("<tr><td>") == 1
    assert office.get(f"/audit?session={seeded['eupen']}").text.count("<tr><td>") == 50
    assert office.get("/audit?action=bogus").status_code == 400
    ops = OperatorStore(db_path, clock=clock)
    try:
        total = ops.audit_page().total
        assert ops.purge_audit_older_than(730) == 0
        clock.now += timedelta(days=731)
        assert ops.purge_audit_older_than(730) >= total
        assert ops.audit_page().total == 0
    finally:
        ops.close()


# -- 3. sessions on the server --------------------------------------------------------------------------


def test_logging_out_ends_the_session_on_the_server(app, office: TestClient) -> None:  # type: ignore[no-untyped-def]
    login(office)
    stolen = office.cookies[SESSION_COOKIE]
    token = csrf_of(office.get("/account").text)
    assert office.post("/logout", data={"csrf": token}).status_code == 303
    thief = other(app)
    thief.cookies.set(SESSION_COOKIE, stolen)
    assert thief.get("/sessions").status_code == 303  # the old cookie no longer works
    assert thief.get("/sessions/export.csv").status_code == 401


def test_idle_timeout(app, office: TestClient, clock: SettableClock) -> None:  # type: ignore[no-untyped-def]
    login(office)
    for _ in range(3):  # active use keeps the session alive past 30 minutes in total
        clock.now += timedelta(minutes=25)
        assert office.get("/sessions").status_code == 200
    clock.now += timedelta(minutes=31)
    assert office.get("/sessions").status_code == 303


def test_log_out_everywhere(app, office: TestClient) -> None:  # type: ignore[no-untyped-def]
    laptop = other(app, ("198.51.100.8", 1))
    login(office)
    login(laptop)
    assert laptop.get("/sessions").status_code == 200
    token = csrf_of(office.get("/account").text)
    assert "2" in office.get("/account").text
    assert office.post("/logout/everywhere", data={"csrf": token}).status_code == 303
    assert laptop.get("/sessions").status_code == 303
    assert office.get("/sessions").status_code == 303


# -- 4. erasure that completes, off the event loop --------------------------------------------------------


def test_erasure_blocked_by_a_reader_is_reported_then_completed(
    app, office: TestClient, db_path: Path, seeded: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    login(office)
    sid = seeded["ghent"]
    token = csrf_of(office.get(f"/sessions/{sid}").text)
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM transcript").fetchone()  # holds a snapshot with the text
    started = time.monotonic()
    erased = office.post(f"/sessions/{sid}/erase", data={"csrf": token, "confirm": "erase"})
    assert erased.status_code == 303 and time.monotonic() - started < 4  # no 5-second freeze
    page = office.get("/sessions")
    assert (
        'id="pending-erasures"' in page.text and str(sid) in page.text.split('id="pending-erasures"')[1][:400]
    )
    reader.rollback()
    reader.close()
    deadline = time.monotonic() + 20
    while 'id="pending-erasures"' in office.get("/sessions").text:
        assert time.monotonic() < deadline, "the erasure was never completed"
        time.sleep(0.2)
    raw = b"".join(Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{db_path}{s}").exists())
    assert b"Ik ga werken in Gent" not in raw


def test_store_calls_run_off_the_event_loop(app, office: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    threads: set[str] = set()
    original = OperatorStore.get_operator

    def spy(self: OperatorStore, name: str):  # type: ignore[no-untyped-def]
        threads.add(threading.current_thread().name)
        return original(self, name)

    monkeypatch.setattr(OperatorStore, "get_operator", spy)
    login(office)
    office.get("/sessions")
    assert threads and all(name.startswith("guichet-console-db") for name in threads)


# -- 5. CSV ------------------------------------------------------------------------------------------------


def test_csv_export_is_safe_in_belgian_excel(
    app, office: TestClient, db_path: Path, clock: SettableClock
) -> None:  # type: ignore[no-untyped-def]
    store = SessionStore(db_path, clock=clock)
    token = store.create_invite("Acme;=1+2", {})
    store.save_turn("telegram", "999", {}, lang="fr", invite_token=token, incoming="é")
    store.close()
    login(office)
    comma = office.get("/sessions/export.csv?invite=Acme").content.decode("utf-8")
    semi = office.get("/sessions/export.csv?invite=Acme&sep=%3B").content.decode("utf-8")
    for content, separator in ((comma, ","), (semi, ";")):
        assert content.startswith("\ufeff")
        header, line = content.removeprefix("\ufeff").splitlines()[:2]
        quoted = r'"(?:[^"]|"")*"'
        for raw in (header, line):  # every field quoted
            assert re.fullmatch(rf"{quoted}(?:{re.escape(separator)}{quoted})*", raw), raw
        assert "=1+2" not in line.replace("'=1+2", "")  # every formula start is defused
        row = next(csv.DictReader(io.StringIO(content.removeprefix("\ufeff")), delimiter=separator))
        assert row["employer"] == "Acme;'=1+2"
        for part in re.split(r"[;,]", line):  # what Excel sees after splitting on either separator
            assert not part.strip('"').startswith(("=", "+", "@"))
    assert office.get("/sessions/export.csv?sep=|").status_code == 400


# -- 6. crafted parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/sessions?search=%00",
        "/sessions?page=" + "9" * 30,
        "/sessions?until=9999-12-31",
        "/sessions?since=0001-01-01",
        "/sessions/" + "9" * 30,
        "/sessions?erased=" + "9" * 30,
        "/audit?page=-1",
        "/audit?session=" + "9" * 25,
        "/sessions/export.csv?until=9999-12-31",
        "/sessions?invite=%1b%5b31m",
    ],
)
def test_crafted_parameters_get_400_with_a_message(app, office: TestClient, url: str) -> None:  # type: ignore[no-untyped-def]
    login(office)
    response = office.get(url)
    assert response.status_code == 400 and len(response.text) > 10, (url, response.status_code)


# -- 7. HSTS ---------------------------------------------------------------------------------------------


def test_hsts_only_behind_https(db_path: Path, clock: SettableClock) -> None:
    for secure in (False, True):
        config = ConsoleConfig(db_path=db_path, secret_key="k", secure_cookie=secure, clock=clock)
        with TestClient(create_app(config)) as client:
            headers = client.get("/login").headers
        assert ("strict-transport-security" in headers) is secure
        if secure:
            assert "max-age=31536000" in headers["strict-transport-security"]


def test_review_refuses_plain_http_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from tests.operators.test_cli import run

    served: list[str] = []
    options: list[dict[str, object]] = []

    def fake_run(app: object, host: str, **kw: object) -> None:
        served.append(host)
        options.append(kw)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    code, _, err = run(["review", "--host", "0.0.0.0"])
    assert code == 2 and "--secure-cookie" in err and served == []
    assert run(["review", "--host", "0.0.0.0", "--secure-cookie"])[0] == 0 and served == ["0.0.0.0"]
    assert run(["review"])[0] == 0 and served[-1] == "127.0.0.1"
    assert options[-1]["proxy_headers"] is False  # no forwarded header is trusted by default
    assert run(["review", "--host", "0.0.0.0", "--secure-cookie", "--trusted-proxy", "10.0.0.2"])[0] == 0
    assert options[-1]["proxy_headers"] is True and options[-1]["forwarded_allow_ips"] == "10.0.0.2"
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    assert run(["review", "--allowed-host", "review.example.org"])[0] == 0
    assert apps[-1].state.console.config.allowed_hosts == ("review.example.org",)
    monkeypatch.setenv("GUICHET_CONSOLE_HOSTS", "a.example.org, b.example.org")
    assert run(["review"])[0] == 0
    assert apps[-1].state.console.config.allowed_hosts == ("a.example.org", "b.example.org")


# -- 8. control characters and bidi -----------------------------------------------------------------------


def test_sessions_show_escapes_terminal_controls(db_path: Path, clock: SettableClock) -> None:
    from tests.operators.test_cli import run

    store = SessionStore(db_path, clock=clock)
    sid = store.save_turn(
        "telegram", "\x1b]0;pwned\x07", {}, lang="en", incoming="hi \x1b[2J\x1b[31mRED \u202eevil"
    )
    store.close()
    code, out, _ = run(["sessions", "show", str(sid), "--db", str(db_path)])
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\x1b[2J" in out and "\\u202e" in out


def test_user_text_is_isolated_in_the_web_page(
    app, office: TestClient, seeded: dict[str, int], clock: SettableClock, db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    login(office)
    sid = seeded["brussels"]
    token = csrf_of(office.get(f"/sessions/{sid}").text)
    office.post(f"/sessions/{sid}/notes", data={"csrf": token, "text": "paid \u202e000,01\u202c EUR"})
    html = office.get(f"/sessions/{sid}").text
    assert '<bdi class="user-text" dir="auto">paid \u202e000,01\u202c EUR</bdi>' in html
    assert '<bdi class="user-text" dir="auto">I live in Mumbai now</bdi>' in html


# -- 9. roles --------------------------------------------------------------------------------------------


def test_a_viewer_reads_and_writes_notes_but_nothing_more(
    app, office: TestClient, seeded: dict[str, int], db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    login(office, "vera")
    sid = seeded["brussels"]
    page = office.get(f"/sessions/{sid}")
    assert page.status_code == 200 and "Mumbai" in page.text
    assert (
        'id="user-key"' not in page.text and 'id="history"' not in page.text
    )  # no audit trail either and "101" not in page.text.split('id="assessment"')[0]
    token = csrf_of(page.text)
    assert office.post(f"/sessions/{sid}/notes", data={"csrf": token, "text": "vu"}).status_code == 303
    for method, path in (
        ("POST", f"/sessions/{sid}/erase"),
        ("GET", "/sessions/export.csv"),
        ("GET", "/sessions/export.json"),
        ("GET", "/audit"),
        ("GET", "/operators"),
        ("POST", "/operators"),
        ("GET", "/hr"),
    ):
        data = {"csrf": token, "confirm": "erase", "name": "mallory", "role": "admin", "password": "x" * 20}
        response = office.post(path, data=data) if method == "POST" else office.get(path)
        assert response.status_code == 403, path
    assert (
        "Erase session" not in page.text
        and "export.csv" not in page.text
        and 'href="/audit"' not in page.text
    )
    ops = OperatorStore(db_path)
    try:
        assert ops.get_operator("mallory") is None
    finally:
        ops.close()


def test_an_admin_sees_the_user_id_and_manages_accounts(
    app, office: TestClient, seeded: dict[str, int], db_path: Path
) -> None:  # type: ignore[no-untyped-def]
    login(office)
    page = office.get(f"/sessions/{seeded['brussels']}")
    assert '<code id="user-key">101</code>' in page.text
    token = csrf_of(page.text)
    created = office.post(
        "/operators",
        data={
            "csrf": token,
            "name": "hank",
            "role": "hr",
            "lang": "nl",
            "employer": "Globex NV",
            "password": "p" * 14,
        },
    )
    assert created.status_code == 303
    assert "hank" in office.get("/operators").text
    assert office.post("/operators/hank", data={"csrf": token, "action": "disable"}).status_code == 303
    ops = OperatorStore(db_path)
    try:
        hank = ops.get_operator("hank")
        assert hank is not None and hank.role == "hr" and hank.employer == "Globex NV" and not hank.active
    finally:
        ops.close()


# -- 10. the operator's language -------------------------------------------------------------------------


def test_the_console_speaks_the_account_language_with_human_labels(
    app, office: TestClient, seeded: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    login(office, "vera")
    listing = office.get("/sessions").text
    assert '<html lang="fr">' in listing and "Se déconnecter" in listing
    assert "Carte bleue européenne" in listing and ">BLUE_CARD<" not in listing
    assert "Pas de famille à faire venir" in listing and ">FAM_NONE<" not in listing
    assert 'title="RV-01">Communauté germanophone' in listing  # the code in the tooltip only
    page = office.get(f"/sessions/{seeded['eupen']}").text
    assert "Un diplôme de l&#39;enseignement supérieur d&#39;au moins 3 ans" in page
    assert "higher_ed_3y_plus" not in page.split('id="answers"')[1].split("<details>")[0]
    assert "shared/seeds/" not in page  # sources are titles and links, never file paths
    token = csrf_of(listing)
    assert office.post("/account/lang", data={"csrf": token, "lang": "nl"}).status_code == 303
    assert "Afmelden" in office.get("/sessions").text
    assert office.post("/account/lang", data={"csrf": token, "lang": "de"}).status_code == 400


def test_review_codes_come_with_their_meaning(app, office: TestClient, seeded: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    login(office)
    listing = office.get("/queue").text
    assert 'title="RV-01">German-speaking Community' in listing


# -- issue 24: what an attacker tried ------------------------------------------------------------------


def test_a_foreign_host_header_is_refused(
    db_path: Path, clock: SettableClock, seeded: dict[str, int]
) -> None:
    """DNS rebinding: a hostile page whose name resolves to 127.0.0.1 gets no log-in form."""
    config = ConsoleConfig(
        db_path=db_path, secret_key="k", clock=clock, allowed_hosts=("review.example.org",)
    )
    app = create_app(config)
    for base, status in (
        ("http://rebind.evil.example:8080", 400),
        ("http://127.0.0.1:8080", 200),
        ("http://localhost", 200),
        ("http://[::1]:8080", 200),
        ("https://review.example.org", 200),
        ("http://review.example.org.evil.example", 400),
    ):
        with TestClient(app, base_url=base) as client:
            assert client.get("/login").status_code == status, base
            if status == 400:
                assert client.post("/login", data={"name": "alice", "password": "x"}).status_code == 400
    with TestClient(create_app(ConsoleConfig(db_path=db_path, secret_key="k", clock=clock))) as client:
        assert client.get("/login", headers={"host": "rebind.evil.example"}).status_code == 400


def _statuses(app: Any, name: str, address: tuple[str, int], tries: int = 6) -> list[int]:
    client = other(app, address)
    return [login(client, name=name, password="guess").status_code for _ in range(tries)]  # type: ignore[attr-defined]


def test_the_throttle_answers_alike_for_known_and_unknown_names(app, office: TestClient) -> None:  # type: ignore[no-untyped-def]
    attacker = other(app)
    for ghost in ("ghost1", "ghost2", "ghost3"):
        assert login(attacker, name=ghost, password="guess").status_code == 401  # type: ignore[attr-defined]
    unknown = login(attacker, name="ghost4", password="guess").status_code  # type: ignore[attr-defined]
    known = login(attacker, name="vera", password="guess").status_code  # type: ignore[attr-defined]
    assert unknown == known == 401
    assert _statuses(app, "nobody", ("203.0.113.1", 1)) == _statuses(app, "alice", ("203.0.113.2", 1))


def test_ipv6_addresses_of_one_subscriber_share_their_count(app, office: TestClient) -> None:  # type: ignore[no-untyped-def]
    for host in range(1, FREE_LOGIN_FAILURES + 1):
        response = login(other(app, (f"2001:db8:1:2::{host:x}", 1)), password="guess")
        assert response.status_code == 401  # type: ignore[attr-defined]
    assert login(other(app, ("2001:db8:1:2:ffff::9", 1)), password="guess").status_code == 429  # type: ignore[attr-defined]
    assert login(other(app, ("2001:db8:1:3::1", 1)), password="guess").status_code == 401  # type: ignore[attr-defined]


def test_guesses_spread_over_addresses_are_slowed_but_not_the_operators_own(
    app, office: TestClient, clock: SettableClock
) -> None:  # type: ignore[no-untyped-def]
    assert login(office).status_code == 303  # type: ignore[attr-defined]  # alice's own desk
    statuses = [
        login(other(app, (f"198.18.0.{n}", 1)), password="guess").status_code  # type: ignore[attr-defined]
        for n in range(1, 5)
        for _ in range(3)
    ]
    assert 429 in statuses, "12 guesses from 4 addresses met no delay"
    assert login(other(app, ("192.0.2.200", 1))).status_code == 429  # type: ignore[attr-defined]  # a new address waits
    assert login(office).status_code == 303  # type: ignore[attr-defined]  # alice does not
    clock.now += timedelta(minutes=16)
    assert login(other(app, ("192.0.2.200", 1))).status_code == 303  # type: ignore[attr-defined]


def test_a_forwarded_for_header_is_not_believed_without_a_trusted_proxy(app, office: TestClient) -> None:  # type: ignore[no-untyped-def]
    attacker = other(app)
    statuses = []
    for n in range(FREE_LOGIN_FAILURES + 1):
        form = attacker.get("/login")
        statuses.append(
            attacker.post(
                "/login",
                data={"name": "alice", "password": "guess", "csrf": csrf_of(form.text)},
                headers={"x-forwarded-for": f"10.9.8.{n}", "forwarded": f"for=10.9.8.{n}"},
            ).status_code
        )
    assert statuses[-1] == 429


def test_an_old_scrypt_hash_is_upgraded_to_argon2_at_log_in(
    app, office: TestClient, db_path: Path, clock: SettableClock
) -> None:  # type: ignore[no-untyped-def]
    from bot.operators.auth import scrypt_hash

    ops = OperatorStore(db_path, clock=clock)
    ops.set_password("vera", scrypt_hash(PASSWORD))
    changed = ops.get_operator("vera").password_changed_at  # type: ignore[union-attr]
    ops.close()
    clock.now += timedelta(seconds=1)
    browser = other(app, ("198.51.100.8", 1))
    assert login(browser, name="vera").status_code == 303  # type: ignore[attr-defined]
    assert login(other(app, ("198.51.100.9", 1)), name="vera").status_code == 303  # type: ignore[attr-defined]
    assert browser.get("/sessions").status_code == 200  # the first log-in still stands
    ops = OperatorStore(db_path)
    account = ops.get_operator("vera")
    ops.close()
    assert account is not None and account.password_hash.startswith("$argon2id$")
    assert account.password_changed_at == changed


async def _post_anonymously(app: Any, path: str, total: int, chunk: int = 65_536) -> tuple[int, int]:
    """POST ``total`` bytes as a chunked body (no Content-Length); the status and the bytes the
    app pulled from the client."""
    pulled = 0
    sent = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled, sent
        size = min(chunk, total - sent)
        sent += size
        pulled += size
        return {"type": "http.request", "body": b"a" * size, "more_body": sent < total}

    status: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/x-www-form-urlencoded")],
        "client": ATTACKER,
        "server": ("127.0.0.1", 8080),
    }
    await app(scope, receive, send)
    return status[0], pulled


def test_an_anonymous_body_is_refused_before_it_is_read(
    app, office: TestClient, seeded: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    note = f"/sessions/{seeded['brussels']}/notes"
    status, pulled = asyncio.run(_post_anonymously(app, note, 24 * 2**20))
    assert status == 401 and pulled == 0
    status, pulled = asyncio.run(_post_anonymously(app, "/login", 24 * 2**20))  # no log-in form handed out
    assert status == 403 and pulled == 0


def test_bodies_above_the_limit_get_413_with_or_without_a_length(
    app, office: TestClient, seeded: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    login(office)
    csrf = csrf_of(office.get(f"/sessions/{seeded['brussels']}").text)
    note = f"/sessions/{seeded['brussels']}/notes"

    def chunks() -> Iterator[bytes]:
        yield f"csrf={csrf}&text=".encode()
        for _ in range(40):
            yield b"a" * 65_536

    form = {"content-type": "application/x-www-form-urlencoded"}
    assert office.post(note, content=chunks(), headers=form).status_code == 413  # chunked: no Content-Length
    big = office.post(note, content=b"a" * 10, headers={**form, "content-length": str(10**9)})
    assert big.status_code == 413
    assert office.post(note, data={"csrf": csrf, "text": "still fine"}).status_code == 303
