"""The bot's own webhook endpoint: secret checked, bad bodies refused, 200 only after handling; and
the emulator's delivery keeps one update per chat in flight, as Telegram's Bot API server does."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable

import pytest
from telegram import Bot, Update

from bot.telegram.webhook import SECRET_HEADER, WebhookServer, webhook_app
from tests.telegram.conftest import fresh_token
from tests.telegram.emulator import BotApiEmulator, FakeUser, free_port

SECRET = "webhook-test-secret"


async def serve(
    emu: BotApiEmulator, handle: Callable[[Update], Awaitable[None]], max_connections: int
) -> tuple[WebhookServer, Bot, str]:
    port = free_port()
    bot = Bot(emu.token, base_url=emu.base_url)
    await bot.initialize()
    server = WebhookServer(webhook_app("hook", SECRET, bot, handle), "127.0.0.1", port)
    await server.start()
    url = f"http://127.0.0.1:{port}/hook"
    await bot.set_webhook(url, secret_token=SECRET, max_connections=max_connections)
    return server, bot, url


async def test_one_update_per_chat_in_flight_chats_side_by_side() -> None:
    events: list[tuple[str, int, int]] = []  # (start|end, chat, update id)

    async def handle(update: Update) -> None:
        assert update.effective_chat is not None
        events.append(("start", update.effective_chat.id, update.update_id))
        await asyncio.sleep(0.02)
        events.append(("end", update.effective_chat.id, update.update_id))

    users = [FakeUser(7000 + n) for n in range(3)]
    async with BotApiEmulator(token=fresh_token(), webhook_concurrency=8) as emu:
        server, bot, _ = await serve(emu, handle, max_connections=8)
        try:
            sent = [int(emu.user_sends_text(u, f"m{r}")["update_id"]) for r in range(4) for u in users]
            await emu.wait_for(lambda: sum(e[0] == "end" for e in events) == len(sent), 10, "all handled")
        finally:
            await server.stop()
            await bot.shutdown()
    running: dict[int, int] = {}
    peak = 0
    for kind, chat, update_id in events:
        if kind == "start":
            assert chat not in running, f"chat {chat}: {update_id} sent while {running.get(chat)} ran"
            running[chat] = update_id
            peak = max(peak, len(running))
        else:
            del running[chat]
    for user in users:
        order = [u for kind, chat, u in events if kind == "start" and chat == user.id]
        assert order == sorted(order) and len(order) == 4
    assert peak > 1, "different chats were never served side by side"
    assert {a.status for a in emu.webhook_attempts} == {200}


async def test_wrong_secret_and_bad_bodies_are_refused_without_handling() -> None:
    handled: list[int] = []

    async def handle(update: Update) -> None:
        handled.append(update.update_id)

    async with BotApiEmulator(token=fresh_token(), webhook_retry_delays=(0.05,)) as emu:
        server, bot, url = await serve(emu, handle, max_connections=1)
        try:
            emu.webhook_secret_override = "not-the-secret"
            update = emu.user_sends_text(FakeUser(7100), "bonjour")
            await emu.wait_until_idle()
            assert emu.dropped_updates == [update["update_id"]]
            assert {a.status for a in emu.webhook_attempts} == {403}
            for body in (b"not json", json.dumps({"no": "update"}).encode(), b"[1, 2]"):
                request = urllib.request.Request(
                    url, data=body, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
                )
                with pytest.raises(urllib.error.HTTPError) as refused:
                    await asyncio.to_thread(urllib.request.urlopen, request, timeout=5)
                assert refused.value.code == 400
        finally:
            await server.stop()
            await bot.shutdown()
    assert handled == []
