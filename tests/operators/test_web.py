"""The review console over HTTP (Starlette's TestClient): refusals, CSRF, pages, exports, audit."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.operators.auth import hash_password
from bot.operators.web import SESSION_COOKIE, ConsoleConfig, create_app, guarded_paths
from bot.store import OperatorStore
from tests.operators.conftest import ASSESSED_ON, SettableClock

with warnings.catch_warnings():  # Starlette prefers httpx2; httpx (already installed) works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery staple"
SECRET_DATA = ("Mumbai", "Eupen", "BLUE_CARD", "Acme")  # seeded facts that must not leak


@pytest.fixture
def client(db_path: Path, clock: SettableClock, seeded: dict[str, int]) -> Iterator[TestClient]:
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), role="admin")
    ops.create_operator("bob", hash_password(PASSWORD + "-bob"))
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(db_path=db_path, secret_key="test-secret", clock=clock, today=lambda: ASSESSED_ON)
    with TestClient(create_app(config), follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match[1]


def login(client: TestClient, name: str = "alice", password: str = PASSWORD, next_path: str = "") -> object:
    form = client.get("/login")
    return client.post(
        "/login", data={"name": name, "password": password, "csrf": csrf_of(form.text), "next": next_path}
    )


def page_csrf(client: TestClient, session_id: int) -> str:
    return csrf_of(client.get(f"/sessions/{session_id}").text)


def audit_actions(db_path: Path) -> list[tuple[str, str, int | None]]:
    ops = OperatorStore(db_path)
    try:
        return [(e.operator, e.action, e.session_id) for e in reversed(ops.audit_entries())]
    finally:
        ops.close()


def assert_refused(client: TestClient, session_id: int) -> None:
    for path, method in guarded_paths(session_id).items():
        response = (
            client.get(path)
            if method == "GET"
            else client.post(path, data={"text": "x", "flag": "contacted"})
        )
        if method == "GET" and "export" not in path and not path.endswith(".png"):
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next="), path
        else:
            assert response.status_code == 401, path
        assert not any(word in response.text for word in SECRET_DATA), path


def test_every_page_and_export_refuses_an_unauthenticated_request(
    client: TestClient, seeded: dict[str, int], db_path: Path
) -> None:
    assert_refused(client, seeded["brussels"])
    assert audit_actions(db_path) == []


def test_a_wrong_password_lets_nothing_through(
    client: TestClient, seeded: dict[str, int], db_path: Path
) -> None:
    for name, password in (("alice", PASSWORD + "!"), ("alice", ""), ("bob", PASSWORD), ("nobody", PASSWORD)):
        response = login(client, name, password)
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert "Wrong name or password" in response.text  # type: ignore[attr-defined]
        assert SESSION_COOKIE not in client.cookies
    assert_refused(client, seeded["brussels"])
    assert [a for _, a, _ in audit_actions(db_path)] == ["login_failed"] * 4


def test_a_forged_or_expired_cookie_is_refused(
    client: TestClient, seeded: dict[str, int], clock: SettableClock
) -> None:
    login(client)
    good = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert_refused(client, seeded["brussels"])
    client.cookies.set(SESSION_COOKIE, good)
    assert client.get("/sessions").status_code == 200
    clock.now += timedelta(hours=8, seconds=2)
    assert_refused(client, seeded["brussels"])


def test_a_disabled_operator_is_logged_out_at_once(
    client: TestClient, seeded: dict[str, int], db_path: Path, clock: SettableClock
) -> None:
    login(client)
    assert client.get("/sessions").status_code == 200
    ops = OperatorStore(db_path, clock=clock)
    ops.disable_operator("alice")
    ops.close()
    assert_refused(client, seeded["brussels"])
    assert login(client).status_code == 401  # type: ignore[attr-defined]


def test_login_sets_a_strict_http_only_expiring_cookie_and_follows_next(client: TestClient) -> None:
    response = login(client, next_path="/queue")
    assert response.status_code == 303 and response.headers["location"] == "/queue"  # type: ignore[attr-defined]
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))  # type: ignore[attr-defined]
    assert (
        "HttpOnly" in cookie
        and "SameSite=strict" in cookie
        and "Max-Age=28800" in cookie
        and "Path=/" in cookie
    )


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil", "queue"])
def test_login_never_redirects_off_site(client: TestClient, target: str) -> None:
    assert login(client, next_path=target).headers["location"] == "/sessions"  # type: ignore[attr-defined]


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 403 and SESSION_COOKIE not in client.cookies


def test_too_many_failed_logins_lock_the_name(client: TestClient) -> None:
    for _ in range(10):
        login(client, password="wrong password")
    response = login(client)  # even the right password, for now
    assert response.status_code == 429 and SESSION_COOKIE not in client.cookies  # type: ignore[attr-defined]


def test_posts_need_the_session_csrf_token(client: TestClient, seeded: dict[str, int], db_path: Path) -> None:
    login(client)
    sid = seeded["brussels"]
    for data in ({"text": "no token"}, {"text": "bad token", "csrf": "nope"}):
        assert client.post(f"/sessions/{sid}/notes", data=data).status_code == 403
    assert client.post(f"/sessions/{sid}/erase", data={"confirm": "erase"}).status_code == 403
    assert client.post("/logout").status_code == 403
    assert ("alice", "note", sid) not in audit_actions(db_path)
    assert client.get(f"/sessions/{sid}").status_code == 200  # still there


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY" and response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("", ["BLUE_CARD", "DG_REVIEW"], []),
        ("?route=DG_REVIEW", ["DG_REVIEW"], ["BLUE_CARD"]),
        ("?lang=nl&status=completed", ["FL"], ["DG_REVIEW", "BXL"]),
        ("?search=liege", ["Globex NV"], ["Acme Belgium SA", "DG_REVIEW"]),
        ("?invite=acme&region=FL", ["Acme Belgium SA"], ["Globex NV", "BXL"]),
        ("?status=bogus", ["is not one of"], []),
    ],
)
def test_sessions_list_filters(client: TestClient, query: str, shown: list[str], hidden: list[str]) -> None:
    login(client)
    html = client.get("/sessions" + query).text
    table = html.split('id="sessions"')[1]
    for word in shown:
        assert word in html
    for word in hidden:
        assert word not in table


def test_session_page_shows_everything_an_adviser_needs(client: TestClient, seeded: dict[str, int]) -> None:
    login(client)
    html = client.get(f"/sessions/{seeded['eupen']}").text
    for expected in (
        "Je travaillerai à Eupen",  # transcript
        "Place of work (postcode)",  # answers summary
        "4700",
        "DG_REVIEW",  # route and rule
        "RV-01",
        "German-speaking Community",  # the review code's title
        "2026.06-v1",  # rules version
        "Today’s rules give the same answer",  # re-assess today
        "Erase session",
    ):
        assert expected in html, expected
    assert client.get(f"/sessions/{seeded['eupen']}?lang=fr").status_code == 200
    assert client.get("/sessions/9999").status_code == 404


def test_notes_flags_queue_export_erase_and_their_audit(
    client: TestClient, seeded: dict[str, int], db_path: Path
) -> None:
    login(client)
    sid = seeded["brussels"]
    token = page_csrf(client, sid)
    assert (
        client.post(
            f"/sessions/{sid}/notes", data={"csrf": token, "text": "advised to wait until 15 Sep"}
        ).status_code
        == 303
    )
    assert client.post(f"/sessions/{sid}/notes", data={"csrf": token, "text": "  "}).status_code == 400
    assert (
        client.post(
            f"/sessions/{sid}/flags", data={"csrf": token, "flag": "needs_review", "on": "1"}
        ).status_code
        == 303
    )
    assert (
        client.post(f"/sessions/{sid}/flags", data={"csrf": token, "flag": "bogus", "on": "1"}).status_code
        == 400
    )
    assert "advised to wait until 15 Sep" in client.get(f"/sessions/{sid}").text
    queue = client.get("/queue").text
    assert f'href="/sessions/{sid}"' in queue and f'href="/sessions/{seeded["eupen"]}"' in queue
    assert f'href="/sessions/{seeded["ghent"]}"' not in queue

    exported = client.get("/sessions/export.csv?route=BLUE_CARD&region=BXL")
    assert exported.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(exported.text.removeprefix("\ufeff"))))
    assert {int(r["id"]) for r in rows} == {sid, seeded["family"]}
    records = json.loads(client.get("/sessions/export.json?queue=1").text)
    assert {r["id"] for r in records} == {sid, seeded["eupen"]}
    assert client.get("/sessions/export.xml").status_code == 404
    assert "Globex NV" in client.get("/invites").text

    assert client.post(f"/sessions/{sid}/erase", data={"csrf": token}).status_code == 400  # not confirmed
    erased = client.post(f"/sessions/{sid}/erase", data={"csrf": token, "confirm": "erase"})
    assert erased.status_code == 303
    assert client.get(f"/sessions/{sid}").status_code == 404
    assert f'href="/sessions/{sid}"' not in client.get("/sessions").text

    actions = [(a, s) for who, a, s in audit_actions(db_path) if who == "alice"]
    for expected in (
        ("login", None),
        ("view", sid),
        ("note", sid),
        ("flag", sid),
        ("queue", None),
        ("export", None),
        ("counts", None),
        ("erase", sid),
    ):
        assert expected in actions, expected
    audit_page = client.get("/audit").text
    assert "erase" in audit_page and "15 Sep" not in audit_page


def test_logout_ends_the_session(client: TestClient, seeded: dict[str, int]) -> None:
    login(client)
    token = page_csrf(client, seeded["eupen"])
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    assert_refused(client, seeded["eupen"])


def test_every_route_but_the_login_form_is_guarded(db_path: Path) -> None:
    from starlette.routing import Route

    app = create_app(ConsoleConfig(db_path=db_path, secret_key="k"))
    routes = {
        route.path.replace("{session_id:int}", "1")
        .replace("{fmt:str}", "csv")
        .replace("{name:str}", "alice")
        .replace("{token:str}", "tok")
        for route in app.routes
        if isinstance(route, Route)
    }
    assert routes - {"/login", "/healthz"} == set(guarded_paths(1)) - {"/sessions/export.json"}


def test_an_async_handler_is_guarded_and_reaches_the_store_through_db(
    db_path: Path, clock: SettableClock, seeded: dict[str, int]
) -> None:
    """A page added later (e.g. a Rules page) may be ``async``: it is guarded the same way and calls
    the stores on their thread with ``console.db``."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), role="admin")
    ops.close()
    clock.now += timedelta(seconds=1)
    app = create_app(ConsoleConfig(db_path=db_path, secret_key="k", clock=clock, today=lambda: ASSESSED_ON))
    console = app.state.console

    async def rules(request, session):  # type: ignore[no-untyped-def]
        names = await console.db(lambda: [a.name for a in console.store.list_operators()])
        return PlainTextResponse(f"{session.operator} sees {names}")

    app.router.routes.insert(0, Route("/rules", console.guarded(rules), methods=["GET"]))
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/rules").status_code == 303
        login(client)
        assert client.get("/rules").text == "alice sees ['alice']"
