"""Reminders end to end against the Bot API emulator: the opt-in at the result, the dates the bot asks
for (refused with an example when impossible), /reminders with one-tap cancelling, opting out,
/delete; and each kind of reminder sent in French, Dutch and English by the scheduler through a real
python-telegram-bot Bot and its rate limiter, on a fake clock (nothing sleeps), with a 403 cancelling
the person's reminders."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from telegram.ext import AIORateLimiter, ExtBot

from bot.i18n import LANGS, Lang, catalog, long_date, text
from bot.reminders.plan import DATE_STEPS, DateKind, PlannedReminder, answer_date, plan_from_result
from bot.reminders.scheduler import ReminderScheduler
from bot.store import AsyncSessionStore, SessionStore
from bot.telegram.links import ResultLinks, signing_key
from bot.telegram.reminders import telegram_sender
from bot.telegram.views import messages_for
from flows.turns import Reply
from tests.reminders.test_scheduler import FakeClock
from tests.result.personas import assessment
from tests.result.test_result_views import codes_in
from tests.telegram.bot_harness import TODAY, TODAY_START, Chat, live_question_copies, play, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY

WORKER = "single worker with a job offer"
CODES = re.compile(r"\b[A-Z]{2,}_[A-Z_]+\b|RV-\d+|\b[PS]\d{2,3}\b|\b(step|reminders)\.[a-z]")
GIVEN: tuple[tuple[DateKind, date], ...] = (
    ("arrival", TODAY),
    ("expiry", date(2027, 9, 30)),
    ("refusal", date(2026, 11, 20)),
)
COMMUNE = {"fr": "commune", "nl": "gemeente", "en": "commune"}


def reminder_rows(db: Path, user: str) -> dict[str, str]:
    store = SessionStore(db)
    try:
        rows = store._db.execute("SELECT ref, status FROM reminders WHERE user_key = ?", [user])
        return {str(ref): str(status) for ref, status in rows}
    finally:
        store.close()


def every_kind(db: Path, user: str, lang: Lang) -> int:
    """A session with a result whose person agreed to reminders, gave the three dates, and whose
    result a rules change altered: one reminder of each kind."""
    store = SessionStore(db, clock=FakeClock(TODAY_START))
    try:
        sid = store.new_session("telegram", user, lang=lang)
        store.save_assessment(sid, assessment(WORKER))
        store.agree_to_reminders(sid, plan_from_result(assessment(WORKER), TODAY))
        for kind, given in (
            ("arrival", TODAY),
            ("expiry", date(2027, 9, 30)),
            ("refusal", date(2026, 11, 20)),
        ):
            planned = answer_date(kind, given, TODAY).reminder  # type: ignore[arg-type]
            assert planned is not None
            store.schedule_reminders(sid, [planned], replaces=sorted(DATE_STEPS[kind]))  # type: ignore[index]
        notice = PlannedReminder("rules", "2027.01-test", TODAY, TODAY, {"changed": ["route"]})
        assert store.notice_rules_change(sid, notice, assessment("student"))
        return sid
    finally:
        store.close()


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    """A python-telegram-bot Bot on the emulator, with the rate limiter the bot uses."""
    async with ExtBot(
        emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, rate_limiter=AIORateLimiter()
    ) as made:
        yield made


def telegram_scheduler(
    emu: BotApiEmulator, bot: ExtBot[None], store: AsyncSessionStore, clock: FakeClock
) -> ReminderScheduler:
    """The scheduler as the bot runs it (the Telegram sender), on the test's clock."""
    return ReminderScheduler(
        store, telegram_sender(bot, store, signing_key(emu.token)), channel="telegram", clock=clock
    )


async def run_until(
    scheduler: ReminderScheduler, clock: FakeClock, store: AsyncSessionStore, user: str
) -> None:
    """Move the clock to each reminder's time in turn and tick there."""
    while pending := await store.user_reminders("telegram", user):
        clock.now = pending[0].due_at
        await scheduler.tick()


@pytest.mark.parametrize("lang", LANGS)
async def test_each_kind_of_reminder_in_the_persons_language(
    emu: BotApiEmulator, bot: ExtBot[None], tmp_path: Path, lang: Lang
) -> None:
    person = FakeUser(4101, language_code=lang)
    emu.add_chat(person)
    db = tmp_path / "db.sqlite3"
    every_kind(db, str(person.id), lang)
    clock = FakeClock(TODAY_START)
    async with AsyncSessionStore(db, clock=clock) as store:
        scheduler = telegram_scheduler(emu, bot, store, clock)
        await run_until(scheduler, clock, store, str(person.id))
    sent = [m.text for m in emu.sent_messages(person.id)]
    rules, result, arrival, refusal, expiry, yearly = sent
    assert text(lang, "reminders.changed.route") in rules
    assert text(lang, "outcome.route.STUDENT") in result, "the new result comes with the notice"
    assert COMMUNE[lang] in arrival and long_date(date(2026, 12, 3), lang) in arrival
    assert long_date(date(2026, 12, 20), lang) in refusal and long_date(date(2026, 11, 20), lang) in refusal
    assert long_date(date(2027, 8, 1), lang) in expiry and long_date(date(2027, 8, 31), lang) in expiry
    assert long_date(date(2028, 1, 1), lang) in yearly
    for message in (rules, arrival, refusal, expiry, yearly):
        assert not CODES.search(message), message
    assert "/reminders" in arrival
    assert set(reminder_rows(db, str(person.id)).values()) <= {"sent", "cancelled"}
    assert reminder_rows(db, str(person.id))["COMMUNE_REGISTRATION"] == "cancelled", "the arrival replaced it"


async def test_a_blocked_bot_cancels_the_persons_reminders(
    emu: BotApiEmulator, bot: ExtBot[None], tmp_path: Path
) -> None:
    person = FakeUser(4102, language_code="en")
    emu.add_chat(person)
    db = tmp_path / "db.sqlite3"
    every_kind(db, str(person.id), "en")
    emu.user_blocks_bot(person)
    clock = FakeClock(TODAY_START)
    async with AsyncSessionStore(db, clock=clock) as store:
        scheduler = telegram_scheduler(emu, bot, store, clock)
        await run_until(scheduler, clock, store, str(person.id))
    rows = reminder_rows(db, str(person.id))
    assert rows["2027.01-test"] == "failed"
    assert {rows[ref] for ref in ("arrival", "expiry", "refusal", "ANNUAL_THRESHOLD_CHECK")} == {"cancelled"}
    assert emu.sent_messages(person.id) == []


async def result_chat(emu: BotApiEmulator, settings_db: Path, uid: int, lang: Lang) -> Chat:
    chat = Chat(emu, FakeUser(uid, language_code=lang))
    await chat.send("/start")
    await play(chat, settings_db, BRUSSELS_FAMILY)
    return chat


async def test_opt_in_dates_list_cancel_and_opt_out(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path / "data") as settings:
        chat = await result_chat(emu, settings.db_path, 4201, "fr")
        result = chat.last_with_buttons()
        [agreed] = await chat.press(text("fr", "reminders.button.opt_in"), result)
        assert "jusqu'à votre dernier rappel" in agreed.text and "/reminders" in agreed.text
        labels = [label for label, _ in agreed.buttons]
        assert text("fr", "reminders.button.arrival") in labels

        [asked] = await chat.press(text("fr", "reminders.button.arrival"), agreed)
        assert asked.text == text("fr", "reminders.ask.arrival")
        [future] = await chat.send("01/01/2027")  # after today: refused, with an example
        assert "trop tardive" in future.text and "par exemple" in future.text
        [before] = await chat.send("01/06/2026")  # before the interview: refused too
        assert "trop ancienne" in before.text
        [answered] = await chat.send("23/11/2026")
        assert long_date(date(2026, 12, 3), "fr") in answered.text
        assert text("fr", "reminders.scheduled", remind_date="2026-11-30") in answered.text

        [listing] = await chat.send("/reminders")
        assert text("fr", "reminders.what.arrival", event_date="2026-12-03") in listing.text
        cancel = [label for label, _ in listing.buttons if label.startswith("Annuler")]
        assert len(cancel) == len(reminder_rows(settings.db_path, "4201")) - list(
            reminder_rows(settings.db_path, "4201").values()
        ).count("cancelled")
        [forged] = await chat.press_data(listing, "m1|x|999999")  # not theirs (or not any more)
        assert text("fr", "reminders.not_found") in forged.text
        assert listing.buttons == [], "the list it replaces lost its buttons"
        for stale in ("m1|on|999999", "m1|format|1"):  # another session's result; malformed
            old, again = await chat.press_data(listing, stale)
            assert old.text == text("fr", "telegram.stale_button")
            assert again.text.startswith(text("fr", "result.title")), "then the current result, once"
            assert live_question_copies(chat) == [again]
        assert forged.buttons, "the current list stays usable"
        [after] = await chat.press(cancel[0], forged)
        assert text("fr", "reminders.cancelled") in after.text
        assert len([b for b, _ in after.buttons if b.startswith("Annuler")]) == len(cancel) - 1

        [stopped] = await chat.press(text("fr", "reminders.button.off"), after)
        assert stopped.text.startswith("C'est fait")
        assert "scheduled" not in reminder_rows(settings.db_path, "4201").values()
        [empty] = await chat.send("/reminders")
        assert empty.text == text("fr", "reminders.list.empty")


async def test_a_date_given_with_the_command_and_delete(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path / "data") as settings:
        chat = await result_chat(emu, settings.db_path, 4202, "nl")
        [offer] = await chat.send("/cardexpiry 30/09/2027")  # no consent yet: the deadline, and an offer
        assert long_date(date(2027, 8, 31), "nl") in offer.text
        assert text("nl", "reminders.offer") in offer.text
        await chat.press(text("nl", "reminders.button.opt_in"), offer)
        [scheduled] = await chat.send("/cardexpiry 30/09/2027")
        assert text("nl", "reminders.scheduled", remind_date="2027-08-01") in scheduled.text
        assert reminder_rows(settings.db_path, "4202")["expiry"] == "scheduled"
        [asked] = await chat.send("/arrived")  # a date is awaited…
        assert asked.text == text("nl", "reminders.ask.arrival")
        [confirm] = await chat.send("/delete")
        await chat.press(text("nl", "telegram.button.confirm_delete"), confirm)
        assert reminder_rows(settings.db_path, "4202") == {}
        await chat.send("/start")
        replies = await chat.send("Inde")  # … but not any more: the new interview gets the answer
        assert all(text("nl", "reminders.no_result") not in m.text for m in replies)
        assert all(
            text("nl", "reminders.bounds.arrival", earliest_date=TODAY.isoformat()) not in m.text
            for m in replies
        )


def test_the_opt_in_button_only_when_a_date_can_be_reminded() -> None:
    key = signing_key("123:test")
    for name, offered in ((WORKER, True), ("single-permit holder in Belgium bringing a partner", False)):
        reply = Reply(kind="result", messages=[], assessment=assessment(name))
        [first] = messages_for([reply], "en", 1, links=ResultLinks(key, "42", 7))
        assert first.keyboard is not None
        labels = [label for row in first.keyboard.rows for label, _ in row]
        assert (text("en", "reminders.button.opt_in") in labels) is offered, name


@pytest.mark.parametrize("lang", LANGS)
async def test_on_the_planned_start_the_person_is_asked_whether_they_arrived(
    emu: BotApiEmulator, bot: ExtBot[None], tmp_path: Path, lang: Lang
) -> None:
    person = FakeUser(4103, language_code=lang)
    emu.add_chat(person)
    db = tmp_path / "db.sqlite3"
    store_clock = FakeClock(TODAY_START)
    store = SessionStore(db, clock=store_clock)
    try:
        sid = store.new_session("telegram", str(person.id), lang=lang)
        store.save_assessment(sid, assessment(WORKER))
        store.agree_to_reminders(sid, plan_from_result(assessment(WORKER), TODAY))
    finally:
        store.close()
    clock = FakeClock(TODAY_START)
    async with AsyncSessionStore(db, clock=clock) as opened:
        scheduler = telegram_scheduler(emu, bot, opened, clock)
        clock.at(date(2027, 3, 1), hour=8)  # 9:00 in Brussels on the planned start
        assert (await scheduler.tick())["sent"] == 1
    [asked] = emu.sent_messages(person.id)
    assert "/arrived" in asked.text and not CODES.search(asked.text)
    assert asked.buttons == [(text(lang, "reminders.button.arrival"), "m1|ask|arrival")]


@pytest.mark.parametrize("lang", LANGS)
def test_no_internal_code_in_any_reminder_sentence(lang: Lang) -> None:
    sentences = {
        key: value
        for key, value in catalog(lang).items()
        if key.startswith(("reminders.", "console.reminders.", "telegram.command.reminders"))
    }
    assert len(sentences) > 40
    leaks = {key: codes_in(re.sub(r"\{[a-z_]+\}", "", value)) for key, value in sentences.items()}
    assert {key: found for key, found in leaks.items() if found} == {}
