"""Sharing a result with the employer who invited the person: the button shows only at the result of
an invited session; asking shares nothing, "yes" records the consent, "stop sharing" withdraws it; a
forged or another person's press changes nothing; after /delete the result is gone."""

from __future__ import annotations

from pathlib import Path

from bot.engine import msg
from bot.i18n import LANGS, text
from bot.store import ResultShare, SessionStore
from bot.telegram.links import SHARE_ACTIONS, ResultLinks, read_result_press, read_share_press, signing_key
from bot.telegram.views import MAX_LABEL, messages_for
from flows.dialogue import Reply
from tests.result.personas import assessment
from tests.telegram.bot_harness import Chat, Script, live_question_copies, play, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY
from tests.telegram.test_result_and_layout import EU_WORKER, result_message

EMPLOYER = "Acme Brussels"
HIRE: Script = {**BRUSSELS_FAMILY, "nationalities": "Brazil", "purposes": ["employee"]}
SHARE = text("en", "result.button.share")
KEY = signing_key("123:abc")


def labels(message: SentMessage) -> list[str]:
    return [label for label, _ in message.buttons]


def session_id_of(db_path: Path, user_id: int) -> int:
    store = SessionStore(db_path)
    try:
        stored = store.load_state("telegram", str(user_id))
    finally:
        store.close()
    assert stored is not None
    return stored.id


def share_of(db_path: Path, session_id: int) -> ResultShare | None:
    store = SessionStore(db_path)
    try:
        return store.result_share(session_id)
    finally:
        store.close()


def test_share_buttons_are_short_signed_and_bound_to_their_user_and_session() -> None:
    links = ResultLinks(KEY, "9" * 12, 2**40, invited=True)
    for action in SHARE_ACTIONS:
        data = links.share_data(action)
        assert len(data.encode()) <= 64
        press = read_share_press(data, KEY, "9" * 12)
        assert press is not None and (press.session_id, press.action) == (2**40, action)
        assert read_share_press(data, KEY, "42") is None, "another user cannot press it"
        assert read_share_press(data.replace(f"|{2**40}|", "|8|"), KEY, "9" * 12) is None
        assert read_result_press(data, KEY, "9" * 12) is None, "not a result view"
    assert read_share_press(links.data("why"), KEY, "9" * 12) is None
    assert read_share_press(None, KEY, "42") is None
    for lang in LANGS:
        for name in ("share", "share_yes", "share_no", "share_stop"):
            assert len(text(lang, f"result.button.{name}")) <= MAX_LABEL


def test_only_an_invited_result_offers_sharing() -> None:
    reply = Reply(
        kind="result",
        messages=[msg("dialogue.result.intro")],
        assessment=assessment("single worker with a job offer"),
    )
    for invited in (True, False):
        [saved] = messages_for([reply], "fr", 3, links=ResultLinks(KEY, "42", 7, invited=invited))
        assert saved.keyboard is not None
        labels = [label for row in saved.keyboard.rows for label, _ in row]
        assert (text("fr", "result.button.share") in labels) is invited


async def invited_result(db_path: Path, chat: Chat) -> SentMessage:
    store = SessionStore(db_path)
    token = store.create_invite(EMPLOYER, {"work_postcode": "1000", "salary_month_base": 5200.0})
    store.close()
    await chat.send(f"/start {token}")
    await play(chat, db_path, HIRE)
    return result_message(chat, "en")


async def test_an_invited_person_shares_their_result_then_stops(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        db = settings.db_path
        chat = Chat(emu, FakeUser(9101, language_code="en"))
        result = await invited_result(db, chat)
        session_id = session_id_of(db, 9101)
        assert SHARE in labels(result)
        assert all(len(label) <= 30 for label in labels(result))
        assert len(result.callback_data_for(SHARE).encode()) <= 64

        [ask] = await chat.press(SHARE, result)
        assert ask.text == text("en", "result.share.ask", employer=EMPLOYER)
        assert share_of(db, session_id) is None, "asking shares nothing"
        [no] = await chat.press(text("en", "result.button.share_no"), ask)
        assert no.text == text("en", "result.share.declined", employer=EMPLOYER)
        assert ask.buttons == [], "an answered confirmation loses its buttons"
        assert share_of(db, session_id) is None

        [ask] = await chat.press(SHARE, result)
        [done] = await chat.press(text("en", "result.button.share_yes"), ask)
        assert done.text == text("en", "result.share.done", employer=EMPLOYER)
        assert labels(done) == [text("en", "result.button.share_stop")]
        share = share_of(db, session_id)
        assert share is not None and share.employer == EMPLOYER
        assert SHARE in labels(result), "the result keeps its buttons"

        [again] = await chat.press(SHARE, result)
        assert again.text == text("en", "result.share.already", employer=EMPLOYER)
        assert share_of(db, session_id) == share, "pressing again keeps the first agreement"

        [stopped] = await chat.press(text("en", "result.button.share_stop"), done)
        assert stopped.text == text("en", "result.share.stopped", employer=EMPLOYER)
        assert labels(stopped) == [SHARE]
        assert share_of(db, session_id) is None


async def test_forged_or_foreign_presses_change_nothing_and_deleted_results_are_gone(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        db = settings.db_path
        chat = Chat(emu, FakeUser(9102, language_code="en"))
        result = await invited_result(db, chat)
        session_id = session_id_of(db, 9102)
        result_share = result.callback_data_for(SHARE)
        yes = result_share.replace("|ask|", "|yes|")

        forged = yes.rsplit("|", 1)[0] + "|0000000000"
        for data in (forged, yes.replace("|yes|", "|all|")):
            notice, again = await chat.press_data(chat.last_with_buttons(), data)
            assert notice.text == text("en", "telegram.stale_button"), "a short notice"
            assert again.text.startswith(text("en", "result.title")), "then the current result, once"
            assert live_question_copies(chat) == [again] and result.buttons == []

        other = Chat(emu, FakeUser(9103, language_code="en"))
        await other.send("/start")
        [reply] = await other.press_data(other.last_with_buttons(), yes)
        assert reply.text.startswith(text("en", "telegram.stale_button")) and reply.buttons
        assert live_question_copies(other) == [reply]
        assert share_of(db, session_id) is None, "only the person's own signed press shares"

        await chat.send("/delete")
        await chat.press(text("en", "telegram.button.confirm_delete"))
        replies = await chat.press_data(result, result_share)
        assert [m.text for m in replies] == [text("en", "result.gone")]


async def test_no_share_button_without_an_invite(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9104, language_code="en"))
        await chat.send("/start")
        await play(chat, settings.db_path, EU_WORKER)
        result = result_message(chat, "en")
        assert text("en", "result.button.why") in labels(result)
        assert SHARE not in labels(result)
        assert not any((data or "").startswith("s1|") for _, data in result.buttons)
