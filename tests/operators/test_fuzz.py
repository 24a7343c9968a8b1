"""No crafted parameter, on any route, makes the console answer 500 (issue 16, item 6)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from bot.invites import PREFILL_FIELDS
from bot.operators.auth import hash_password
from bot.operators.web import ConsoleConfig, create_app
from bot.store import OperatorStore
from tests.operators.conftest import ASSESSED_ON, SettableClock

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery staple"
# Every parameter a route reads (query string or form), whatever its route.
PARAMETERS = (
    "search",
    "since",
    "until",
    "lang",
    "status",
    "route",
    "family",
    "region",
    "flag",
    "invite",
    "queue",
    "page",
    "erased",
    "sep",
    "operator",
    "action",
    "session",
    "text",
    "on",
    "confirm",
    "name",
    "role",
    "employer",
    "password",
    "next",
    "ui",
    *PREFILL_FIELDS,
    "expires_days",
    "done",
    "created",
)
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["\x00", "9" * 30, "-1", "0", "9999-12-31", "0001-01-01", "%", "'", '"', "\u202e", "é" * 300]
    ),
    st.from_regex(r"[0-9]{1,40}", fullmatch=True),
)
path_value = st.one_of(st.from_regex(r"[0-9]{1,40}", fullmatch=True), st.text(min_size=1, max_size=30))


def _routes() -> list[tuple[str, str]]:
    app = create_app(ConsoleConfig(db_path=Path("/nonexistent/never-opened.sqlite3"), secret_key="k"))
    found: list[tuple[str, str]] = []
    for route in app.routes:
        if isinstance(route, Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append((method, route.path))
    return found


ROUTES = _routes()


@pytest.fixture
def clients(db_path: Path, clock: SettableClock, seeded: dict[str, int]) -> Iterator[dict[str, TestClient]]:
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("alice", hash_password(PASSWORD), role="admin")
    ops.create_operator("hank", hash_password(PASSWORD), role="hr", employer="Globex NV")
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(
        db_path=db_path, secret_key="k", clock=clock, today=lambda: ASSESSED_ON, bot_username="guichet_bot"
    )
    app = create_app(config)
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as admin:
        hr = TestClient(app, follow_redirects=False, raise_server_exceptions=False)
        for client, name in ((admin, "alice"), (hr, "hank")):
            form = client.get("/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf
            client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf[1]})
        yield {"admin": admin, "hr": hr}


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/account").text)
    assert match
    return match[1]


def test_every_route_is_fuzzed() -> None:
    assert len(ROUTES) >= 20 and ("POST", "/sessions/{session_id:int}/erase") in ROUTES


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["admin", "hr"]),
    path_values=st.lists(path_value, min_size=3, max_size=3),
    params=st.dictionaries(st.sampled_from(PARAMETERS), nasty_text, max_size=6),
    keep_csrf=st.booleans(),
)
def test_no_crafted_parameter_gives_a_server_error(
    clients: dict[str, TestClient],
    route: tuple[str, str],
    who: str,
    path_values: list[str],
    params: dict[str, str],
    keep_csrf: bool,
) -> None:
    method, template = route
    if template == "/logout" or template.startswith("/logout/") or template == "/account/lang":
        return  # these end or change the log-in the other examples rely on
    client = clients[who]
    values = iter(path_values)
    path = re.sub(r"\{[a-z_]+(?::[a-z]+)?\}", lambda _m: quote(next(values), safe=""), template)
    if method == "GET":
        response = client.get(path, params=params)
    else:
        data = dict(params)
        if keep_csrf:
            data["csrf"] = _csrf(client)
        if template == "/login":
            data.pop("password", None)  # never a real log-in: it would replace the session cookie
        response = client.post(path, data=data)
    event(f"{method} {response.status_code}")
    assert response.status_code < 500, (method, path, params, response.status_code, response.text[:300])
