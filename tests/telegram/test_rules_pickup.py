"""The running bot takes up a rules pack applied while it runs (no restart): a conversation that
finishes after `guichet rules apply` gets the answer of the new amount, and its stored assessment
names the pack version it used."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import active_table
from bot.i18n import text
from bot.rules import live
from bot.rules.pack import MANIFEST, Manifest, default_pack, write_pack_files
from bot.store import SessionStore
from tests.rules.conftest import raised_blue_card
from tests.telegram.bot_harness import Chat, play, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY, result_text

VERSION = "2026.12-bxl-bc-6000"


def stored_assessment(db_path: Path, user: str) -> tuple[str, str, set[float | None]]:
    """The stored result's route, rules version and the Brussels Blue Card amounts it compared with."""
    store = SessionStore(db_path)
    try:
        session = store.load_state("telegram", user)
        assert session is not None
        assessment = store.latest_assessment(session.id)
        assert assessment is not None
        blue_card = {
            use.amount for route in assessment.routes for use in route.thresholds if use.id == "BXL_BC"
        }
        return assessment.route_code, assessment.rules_version, blue_card
    finally:
        store.close()


async def test_the_running_bot_takes_up_an_applied_pack(
    emu: BotApiEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "CHECK_EVERY_S", 0.1)
    files = dict(default_pack().files, **{"thresholds.csv": raised_blue_card("6000")})
    files[MANIFEST] = Manifest(VERSION, None, "Test Adviser", "Brussels Blue Card at 6 000 €").to_toml()
    folder = write_pack_files(files, tmp_path / "pack")
    async with running_bot(emu, tmp_path / "data") as settings:
        before = Chat(emu, FakeUser(2301, language_code="fr"), settings)
        await before.send("/start")
        await play(before, settings.db_path, BRUSSELS_FAMILY)  # 5 200 € a month: a Blue Card today
        assert text("fr", "outcome.route.BLUE_CARD") in result_text(before, "fr")
        route, version, blue_card = stored_assessment(settings.db_path, "2301")
        assert (route, version) == ("BLUE_CARD", default_pack().version) and 6000 not in blue_card

        assert main(["rules", "apply", str(folder), "--db", str(settings.db_path), "--by", "adviser"]) == 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while active_table().version != VERSION and loop.time() < deadline:
            await asyncio.sleep(0.05)

        after = Chat(emu, FakeUser(2302, language_code="fr"), settings)
        await after.send("/start")
        await play(after, settings.db_path, BRUSSELS_FAMILY)  # same answers, new amount: not a Blue Card
        result = result_text(after, "fr")
        assert text("fr", "outcome.route.HQ") in result
        # the Blue Card compared with the new amount
        assert stored_assessment(settings.db_path, "2302") == ("HQ", VERSION, {6000.0})
    assert active_table().version == default_pack().version  # the stopped bot leaves the packaged table
