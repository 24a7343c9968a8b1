"""Every console page, rendered in French, Dutch and English, is in that language: no message key left
untranslated, no English word on a French or Dutch page, and no internal code (route, outcome, review,
threshold, rule, source or region codes, field names) outside a tooltip."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import get_args

import pytest

from bot.engine import Answers, FamilyOutcome, Region, RouteCode, assess, source_register, threshold_table
from bot.i18n import LANGS, Lang, catalog
from bot.operators.auth import hash_password
from bot.operators.web import ConsoleConfig, create_app
from bot.store import OperatorStore, SessionStore
from tests.operators.conftest import ASSESSED_ON, SEEDS, SettableClock
from tests.operators.page_text import shown_text
from tests.operators.test_web import PASSWORD, csrf_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BROWSER = {"fr": "fr-BE,fr;q=0.9,en;q=0.5", "nl": "nl-BE,nl;q=0.8,en-GB;q=0.6", "en": "en-GB,en;q=0.9"}
KEY = re.compile(r"\b(?:console|question|outcome|review|threshold|dialogue|family|route|result)\.[\w.]+")
# FAM_REVIEW, BXL_ATHLETE, salary_year (one case throughout: a random invite token is not a code)
SNAKE = re.compile(r"\b(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")
REVIEW_CODE = re.compile(r"\bRV-\d+\b")
# Words the issue found in the French console, and any word of the English console wording that the
# language's own messages never use.
KNOWN_ENGLISH = {"housing", "unsure", "flags", "lang", "view", "list", "rows", "filter", "found", "records"}
WORD = re.compile(r"[^\W\d_]+")


def _words(texts: list[str]) -> set[str]:
    return {word.lower() for value in texts for word in WORD.findall(re.sub(r"\{\w+\}", " ", value))}


def english_words(lang: Lang) -> set[str]:
    """English words of the console's wording that ``lang``'s messages never use (e.g. 'unsure')."""
    english = _words([v for k, v in catalog("en").items() if k.startswith("console.")])
    # the language's words: its messages and the source register's titles in it (publishers' names too)
    own = _words([*catalog(lang).values(), *(source.title(lang) for source in source_register().values())])
    return {w for w in english | KNOWN_ENGLISH if len(w) > 2} - own


def internal_codes(lang: Lang) -> set[str]:
    """Codes an operator must never read outside a tooltip: the engine's and the rules pack's IDs and the
    rule IDs the seeded assessments cite (less the abbreviations the wording itself uses, e.g. RMMMG)."""
    table = threshold_table()
    codes = {*get_args(RouteCode), *get_args(FamilyOutcome), *get_args(Region), *source_register()}
    codes |= {row.id for row in table.rows}
    for seed in SEEDS:
        found = assess(Answers.model_validate({**seed.answers, "lang": seed.lang}), on=ASSESSED_ON)
        codes |= {route.rule for route in found.routes} | set(found.missing)
        codes |= {rule for member in found.family.members for rule in member.rules}
    return codes - {word for value in catalog(lang).values() for word in re.findall(r"[\w-]+", value)}


@pytest.fixture
def rendered(
    db_path: Path, clock: SettableClock, seeded: dict[str, int]
) -> Iterator[dict[Lang, dict[str, str]]]:
    """Every page of the console as an admin, an HR account and a visitor see it, in each language."""
    sessions = SessionStore(db_path, clock=clock)
    sessions.share_result(seeded["family"])
    sessions.close()
    ops = OperatorStore(db_path, clock=clock)
    for lang in LANGS:
        ops.create_operator(f"alice-{lang}", hash_password(PASSWORD), role="admin", lang=lang)
        ops.create_operator(
            f"hank-{lang}", hash_password(PASSWORD), role="hr", lang=lang, employer="Globex NV"
        )
    ops.close()
    clock.now += timedelta(seconds=1)
    config = ConsoleConfig(
        db_path=db_path, secret_key="k", clock=clock, today=lambda: ASSESSED_ON, bot_username="guichet_be_bot"
    )
    pages: dict[Lang, dict[str, str]] = {}
    with TestClient(create_app(config), follow_redirects=True) as client:
        for lang in LANGS:
            shown = pages[lang] = {}
            headers = {"accept-language": BROWSER[lang]}
            shown["login"] = client.get("/login", headers=headers).text
            form = client.post(
                "/login",
                headers=headers,
                data={
                    "name": f"alice-{lang}",
                    "password": "wrong",
                    "csrf": csrf_of(shown["login"]),
                    "next": "",
                },
            )
            shown["login-wrong"] = form.text
            client.post(
                "/login",
                data={"name": f"alice-{lang}", "password": PASSWORD, "csrf": csrf_of(form.text), "next": ""},
            )
            csrf = csrf_of(client.get("/sessions").text)
            client.get("/sessions/export.csv?route=BLUE_CARD&region=BXL")
            client.post(f"/sessions/{seeded['family']}/notes", data={"csrf": csrf, "text": "note"})
            client.post(
                f"/sessions/{seeded['family']}/flags", data={"csrf": csrf, "flag": "contacted", "on": "1"}
            )
            client.get("/sessions?search=lieg&lang=fr&page=1")
            for name in (
                "sessions",
                "queue",
                "invites",
                "rules",
                "reminders",
                "account",
                "operators",
                "audit",
            ):
                shown[name] = client.get(f"/{name}").text
            shown["missing"] = client.get("/sessions/999999").text
            shown["bad-filter"] = client.get("/sessions?since=2026-13-01&route=NOPE").text
            shown["bad-days"] = client.get("/queue?since=2026-03-02&until=2026-03-01").text
            for seed, session_id in seeded.items():
                shown[f"session-{seed}"] = client.get(f"/sessions/{session_id}").text
            client.post("/logout", data={"csrf": csrf})
            form = client.get("/login")
            client.post(
                "/login",
                data={"name": f"hank-{lang}", "password": PASSWORD, "csrf": csrf_of(form.text), "next": ""},
            )
            csrf = csrf_of(client.get("/hr").text)
            client.post(
                "/hr/invites",
                data={"csrf": csrf, "work_postcode": "1050", "salary_month_base": "5200", "region": "BXL"},
            )
            shown["hr"] = client.get("/hr").text
            shown["hr-result"] = client.get(f"/hr/results/{seeded['family']}").text
            client.post("/logout", data={"csrf": csrf})
    yield pages


def test_every_page_is_rendered_in_its_language(
    rendered: dict[Lang, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    for lang, pages in rendered.items():
        assert len(pages) == 21, sorted(pages)
        for name, html in pages.items():
            assert f'<html lang="{lang}">' in html, (lang, name)
    assert [r.getMessage() for r in caplog.records if "missing message" in r.getMessage()] == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_untranslated_key_and_no_code_outside_tooltips(
    rendered: dict[Lang, dict[str, str]], lang: Lang
) -> None:
    codes = internal_codes(lang)
    for name, html in rendered[lang].items():
        shown = shown_text(html)
        assert KEY.findall(shown) == [], (lang, name)
        leaks = set(SNAKE.findall(shown)) | set(REVIEW_CODE.findall(shown))
        leaks |= {word for word in re.findall(r"[\w-]+", shown) if word in codes}
        assert leaks == set(), (lang, name, sorted(leaks))


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_no_english_word_on_french_or_dutch_pages(rendered: dict[Lang, dict[str, str]], lang: Lang) -> None:
    english = english_words(lang)
    assert {"unsure", "housing", "log"} <= english  # the list can catch what the issue found
    for name, html in rendered[lang].items():
        found = _words([shown_text(html)]) & english
        assert found == set(), (lang, name, sorted(found))


def test_the_scan_catches_what_it_looks_for(rendered: dict[Lang, dict[str, str]]) -> None:
    """The checks above can fail: a code, a key and an English word put back are found."""
    html = rendered["fr"]["sessions"].replace(
        "</main>", "<p>FAM_REVIEW Housing ok: unsure console.found</p></main>"
    )
    shown = shown_text(html)
    assert KEY.findall(shown) == ["console.found"] and "FAM_REVIEW" in SNAKE.findall(shown)
    assert {"housing", "unsure"} <= _words([shown]) & english_words("fr")
    assert "FAM_REVIEW" not in shown_text('<html lang="fr"><p title="FAM_REVIEW">Famille</p></html>')
    assert "Blog" not in shown_text('<html lang="fr"><p><span lang="en">Blog guide</span></p></html>')
