"""HR self-service (issue 16, item 12): an HR account tied to one employer manages its own invite
links, sees counts across all its links (from five people), and sees a result only when the person
agreed to share it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.engine import Answers, assess
from bot.operators.auth import hash_password
from bot.operators.web import ConsoleConfig, create_app
from bot.store import COMPLETED, OperatorStore, SessionStore
from tests.operators.conftest import ASSESSED_ON, EMPLOYEE, SettableClock

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery staple"


@pytest.fixture
def hr(db_path: Path, clock: SettableClock, seeded: dict[str, int]) -> Iterator[TestClient]:
    ops = OperatorStore(db_path, clock=clock)
    ops.create_operator("hank", hash_password(PASSWORD), role="hr", employer="Globex NV")
    ops.create_operator("ida", hash_password(PASSWORD), role="hr", employer="Initech BV", lang="nl")
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(
        db_path=db_path, secret_key="k", clock=clock, today=lambda: ASSESSED_ON, bot_username="guichet_be_bot"
    )
    with TestClient(create_app(config), follow_redirects=False) as client:
        log_in(client, "hank")
        yield client


def log_in(client: TestClient, name: str) -> None:
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf[1]})
    assert response.status_code == 303 and response.headers["location"] == "/hr"


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/hr").text)
    assert match
    return match[1]


def new_link(client: TestClient, **facts: str) -> str:
    response = client.post("/hr/invites", data={"csrf": csrf_of(client), **facts})
    assert response.status_code == 303, response.text
    page = client.get("/hr").text
    token = re.search(r"https://t\.me/guichet_be_bot\?start=([A-Za-z0-9_-]+)", page)
    assert token
    return token[1]


def test_hr_creates_a_link_with_facts_expiry_qr_and_message(
    hr: TestClient, db_path: Path, clock: SettableClock
) -> None:
    token = new_link(hr, work_postcode="1000", salary_month_base="5200", expires_days="14")
    page = hr.get("/hr").text
    assert "Welcome to Globex NV!" in page and f"https://t.me/guichet_be_bot?start={token}" in page
    assert "Workplace postcode: <bdi>1000</bdi>" in page
    qr = hr.get(f"/hr/invites/{token}/qr.png")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG\r\n\x1a\n") and len(qr.content) > 200
    store = SessionStore(db_path, clock=clock)
    try:
        invite = store.get_invite(token)
        assert invite is not None and invite.employer == "Globex NV" and invite.created_by == "hank"
        assert invite.prefill == {"work_postcode": "1000", "salary_month_base": 5200.0}
        assert invite.expires_at is not None
        assert timedelta(days=13) < invite.expires_at - invite.created_at <= timedelta(days=14)
    finally:
        store.close()
    assert hr.post("/hr/invites", data={"csrf": csrf_of(hr), "salary_year": "lots"}).status_code == 400
    assert hr.post("/hr/invites", data={"csrf": csrf_of(hr), "expires_days": "9999"}).status_code == 400


def test_hr_revokes_only_its_own_links(hr: TestClient, db_path: Path, clock: SettableClock) -> None:
    token = new_link(hr)
    store = SessionStore(db_path, clock=clock)
    foreign = store.create_invite("Initech BV", {})
    store.close()
    assert hr.post(f"/hr/invites/{foreign}/revoke", data={"csrf": csrf_of(hr)}).status_code == 400
    assert hr.get(f"/hr/invites/{foreign}/qr.png").status_code == 400
    assert hr.post(f"/hr/invites/{token}/revoke", data={"csrf": csrf_of(hr)}).status_code == 303
    store = SessionStore(db_path, clock=clock)
    try:
        assert store.get_invite(token) is None and store.get_invite(foreign) is not None
    finally:
        store.close()
    assert "revoked" in hr.get("/hr").text


def test_counts_only_across_all_links_from_five_people_and_no_answers_without_consent(
    hr: TestClient, db_path: Path, clock: SettableClock
) -> None:
    token = new_link(hr)  # one link per candidate would show one person's progress: it never does
    store = SessionStore(db_path, clock=clock)
    answers = {**EMPLOYEE, "work_postcode": "1000"}
    finished = store.save_turn(
        "telegram", "501", {"answers": answers}, lang="en", invite_token=token, incoming="SECRET-ANSWER-501"
    )
    store.save_assessment(finished, assess(Answers.model_validate(answers), on=ASSESSED_ON))
    store.save_turn("telegram", "502", {}, lang="en", invite_token=token, incoming="SECRET-ANSWER-502")
    store.create_handoff(finished, operator_chat_id=-100, operator_message_id=7)
    store.close()
    page = hr.get("/hr").text
    article = page.split(f'id="invite-{token[:8]}"')[1].split("</article>")[0]
    assert 'class="started"' not in article and 'class="handed"' not in article
    assert 'class="started"' not in page and "at least 5 people" in page  # 3 people so far (one seeded)
    other = new_link(hr)
    store = SessionStore(db_path, clock=clock)
    for user in ("503", "504"):
        store.save_turn("telegram", user, {}, lang="en", invite_token=other, incoming="hello")
    store.close()
    page = hr.get("/hr").text
    totals = page.split('id="totals"')[1].split("</p>")[0]
    assert re.search(r'class="started">5<', totals) and re.search(r'class="handed">1<', totals)
    assert page.count('class="started"') == 1  # the totals only, never a link's own figures
    assert "SECRET-ANSWER" not in page and "Nobody has shared a result yet." in page
    for path in (
        f"/sessions/{finished}",
        "/sessions",
        "/queue",
        "/invites",
        "/audit",
        "/sessions/export.csv",
    ):
        assert hr.get(path).status_code == 403, path
    assert hr.get(f"/hr/results/{finished}").status_code == 404

    store = SessionStore(db_path, clock=clock)
    share = store.share_result(finished)  # the person pressed "share my result" in the chat
    store.close()
    assert share.employer == "Globex NV"
    page = hr.get("/hr").text
    assert f'href="/hr/results/{finished}"' in page
    result = hr.get(f"/hr/results/{finished}")
    assert result.status_code == 200 and "Blue Card" in result.text and "SECRET-ANSWER" not in result.text


def test_another_employer_never_sees_the_shared_result(
    hr: TestClient, db_path: Path, clock: SettableClock
) -> None:
    token = new_link(hr)
    store = SessionStore(db_path, clock=clock)
    sid = store.save_turn("telegram", "601", {}, lang="en", invite_token=token, status=COMPLETED)
    store.share_result(sid)
    store.close()
    hr.cookies.clear()
    log_in(hr, "ida")
    assert hr.get(f"/hr/results/{sid}").status_code == 404
    page = hr.get("/hr").text
    assert "Uitnodigingslinks" in page and token not in page


def test_share_result_needs_an_invite_and_a_result(db_path: Path, clock: SettableClock) -> None:
    store = SessionStore(db_path, clock=clock)
    try:
        plain = store.save_turn("telegram", "701", {}, lang="en", status=COMPLETED)
        with pytest.raises(ValueError, match="invite"):
            store.share_result(plain)
        token = store.create_invite("Globex NV", {})
        started = store.save_turn("telegram", "702", {}, lang="en", invite_token=token)
        with pytest.raises(ValueError, match="result"):
            store.share_result(started)
        store.save_turn("telegram", "702", {}, lang="en", status=COMPLETED)
        first = store.share_result(started)
        assert store.share_result(started) == first  # pressing twice keeps the first agreement
        assert store.withdraw_result_share(started) and store.result_share(started) is None
    finally:
        store.close()


def test_deep_link_in_the_message_opens_the_bot_with_the_token(hr: TestClient) -> None:
    token = new_link(hr)
    link = re.search(r"https://t\.me/[^\s<]+", hr.get("/hr").text)
    assert link and parse_qs(urlsplit(link[0].replace("&amp;", "&")).query) == {"start": [token]}
