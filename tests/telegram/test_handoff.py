"""Hand-off: a person asks for an adviser from the result; the operators' chat gets a link to the
session (no other personal data); an operator's reply reaches the person; both are in the transcript."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import text
from bot.store import SessionStore
from tests.telegram.bot_harness import Chat, Script, play, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeChat, FakeUser

OPERATORS = FakeChat(-9001, title="Mobility advisers")
ADVISER = FakeUser(777, first_name="Ada")
STRANGER = FakeUser(778, first_name="Eve")
EU_WORKER: Script = {
    "nationalities": "France",
    "current_location": "abroad",
    "purposes": ["employee"],
    "dob": "01/05/1990",
    "work_postcode": "1000",
}


def operator_reply(emu: BotApiEmulator, sender: FakeUser, to_message: dict[str, object], body: str) -> None:
    """An operator replies, in the operators' chat, to the bot's hand-off message."""
    message = {
        "message_id": 10_000 + int(str(to_message["message_id"])),
        "from": sender.as_dict(),
        "chat": OPERATORS.as_dict(),
        "date": 1_800_000_000,
        "text": body,
        "reply_to_message": to_message,
    }
    emu.inject_update({"message": message})


async def test_request_reaches_operators_and_their_reply_reaches_the_person(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    emu.add_chat(OPERATORS)
    overrides = {
        "operator_chat_id": OPERATORS.id,
        "operator_ids": (ADVISER.id,),
        "review_base_url": "http://127.0.0.1:8080",
    }
    async with running_bot(emu, tmp_path, **overrides) as settings:
        chat = Chat(emu, FakeUser(5001, language_code="fr"))
        await chat.send("/start")
        await play(chat, settings.db_path, EU_WORKER)
        replies = await chat.press(text("fr", "telegram.button.adviser"))
        assert replies[-1].text == text("fr", "telegram.handoff.requested")

        requests = emu.sent_messages(OPERATORS.id)
        assert len(requests) == 1
        store = SessionStore(settings.db_path)
        stored = store.load_state("telegram", "5001")
        store.close()
        assert stored is not None
        assert f"http://127.0.0.1:8080/sessions/{stored.id}" in requests[0].text
        assert "France" not in requests[0].text and "5001" not in requests[0].text  # no personal data

        operator_reply(emu, STRANGER, requests[0].as_dict(), "I am not an operator")
        await emu.wait_until_idle(timeout=10)
        assert emu.sent_messages(OPERATORS.id)[-1].text == text("en", "telegram.handoff.not_operator")
        assert not any("I am not an operator" in m.text for m in chat.messages)

        before = len(chat.messages)
        operator_reply(emu, ADVISER, requests[0].as_dict(), "Bonjour, je vous appelle demain à 10 h.")
        await emu.wait_until_idle(timeout=10)
        received = chat.messages[before:]
        assert [m.text for m in received] == [
            text("fr", "telegram.handoff.from_adviser", message="Bonjour, je vous appelle demain à 10 h.")
        ]
        assert emu.sent_messages(OPERATORS.id)[-1].text == text("en", "telegram.handoff.delivered")

        store = SessionStore(settings.db_path)
        lines = [line.text for line in store.get_transcript(stored.id)]
        store.close()
        assert any("[adviser] Bonjour" in line for line in lines)
        assert text("fr", "telegram.handoff.requested") in lines


async def test_without_an_operators_chat_no_adviser_button_is_offered(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(5002, language_code="en"))
        await chat.send("/start")
        await play(chat, settings.db_path, EU_WORKER)
        labels = [label for m in chat.messages for label, _ in m.buttons]
        assert text("en", "telegram.button.adviser") not in labels
