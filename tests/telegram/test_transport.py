"""The aiohttp transport: what each kind of failure becomes, and whether a reply may be sent again."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram import transport as transport_module
from bot.telegram.delivery import UNKNOWN_HTTP_ERROR, surely_not_sent
from bot.telegram.transport import AiohttpRequest, NotConnected, TransportError
from tests.telegram.emulator import BotApiEmulator, FakeUser

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def raw_server(serve: Serve) -> AsyncIterator[str]:
    """A bare TCP server on 127.0.0.1 running ``serve`` for each connection; yields its base URL."""

    async def serve_and_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await serve(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(serve_and_close, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> tuple[str, bytes]:
    """One HTTP request's head and body."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    length = next(
        int(line.split(":", 1)[1]) for line in head.split("\r\n") if line.lower().startswith("content-length")
    )
    return head, await reader.readexactly(length)


def answer(writer: asyncio.StreamWriter, payload: dict[str, object], status: str = "200 OK") -> None:
    """A JSON answer, after which the server closes the connection (and says so)."""
    body = json.dumps(payload).encode()
    writer.write(
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n".encode()
        + body
    )


def params(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(key, value) for key, value in values.items()])


@contextlib.asynccontextmanager
async def transport(**timeouts: float) -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(4, **timeouts)
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


async def test_parameters_go_as_one_json_body_and_the_answer_comes_back() -> None:
    seen: list[tuple[str, bytes]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        answer(writer, {"ok": True, "result": {"message_id": 5}})
        await writer.drain()

    async with raw_server(serve) as base, transport() as request:
        result = await request.post(
            f"{base}/botTOKEN/sendMessage",
            params(chat_id=42, text="Écrivez « oui »", reply_markup={"inline_keyboard": []}),
        )
    assert result == {"message_id": 5}
    head, body = seen[0]
    assert head.startswith("POST /botTOKEN/sendMessage HTTP/1.1")
    assert "content-type: application/json" in head.lower()
    assert json.loads(body) == {
        "chat_id": 42,
        "text": "Écrivez « oui »",
        "reply_markup": {"inline_keyboard": []},
    }


async def test_files_go_as_multipart_form_data() -> None:
    bodies: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, body = await read_request(reader)
        assert "multipart/form-data" in head.lower()
        bodies.append(body)
        answer(writer, {"ok": True, "result": True})
        await writer.drain()

    async with raw_server(serve) as base, transport() as request:
        upload = InputFile(b"%PDF-1.4 checklist", filename="checklist.pdf")
        assert await request.post(f"{base}/botTOKEN/sendDocument", params(chat_id=7, document=upload)) is True
    assert b"%PDF-1.4 checklist" in bodies[0]
    assert b'filename="checklist.pdf"' in bodies[0]
    assert b'name="chat_id"' in bodies[0]


async def test_telegrams_own_errors_keep_their_meaning() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _head, body = await read_request(reader)
        if json.loads(body)["chat_id"] == 1:
            answer(
                writer,
                {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                "400 Bad Request",
            )
        else:
            payload = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3"}
            answer(writer, {**payload, "parameters": {"retry_after": 3}}, "429 Too Many Requests")
        await writer.drain()

    async with raw_server(serve) as base, transport() as request:
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await request.post(f"{base}/botTOKEN/sendMessage", params(chat_id=1, text="x"))
        with pytest.raises(RetryAfter):
            await request.post(f"{base}/botTOKEN/sendMessage", params(chat_id=2, text="x"))


async def test_a_connection_that_cannot_be_opened_surely_sent_nothing() -> None:
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with transport() as request:
        with pytest.raises(NotConnected) as caught:
            await request.post(f"http://127.0.0.1:{port}/botTOKEN/sendMessage", params(chat_id=1, text="x"))
    assert surely_not_sent(caught.value)


async def test_a_connection_closed_after_the_request_left_may_have_delivered_it() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)  # the request arrived; the connection is closed with no answer

    async with raw_server(serve) as base, transport() as request:
        with pytest.raises(TransportError) as caught:
            await request.post(f"{base}/botTOKEN/sendMessage", params(chat_id=1, text="x"))
    assert not isinstance(caught.value, NotConnected)
    assert not surely_not_sent(caught.value)


async def test_no_answer_in_time_is_a_timeout() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await reader.read()  # no answer: wait until the client gives up and closes

    async with raw_server(serve) as base, transport(read_timeout=0.2, write_timeout=0.1) as request:
        with pytest.raises(TimedOut) as caught:
            await request.post(f"{base}/botTOKEN/sendMessage", params(chat_id=1, text="x"))
    assert not surely_not_sent(caught.value)


async def test_an_uninitialised_transport_refuses_to_send() -> None:
    with pytest.raises(RuntimeError):
        await AiohttpRequest().do_request("http://127.0.0.1:9/x", "POST")


@pytest.mark.parametrize(
    ("error", "may_resend"),
    [
        (NetworkError("Bad Gateway"), True),  # Telegram answered 5xx: it did not send the message
        (NotConnected("aiohttp.ClientConnectorError: refused"), True),
        (TransportError("aiohttp.ServerDisconnectedError: closed"), False),
        (NetworkError(f"{UNKNOWN_HTTP_ERROR}: ValueError()"), False),
        (TimedOut(), False),
        (BadRequest("chat not found"), False),
    ],
)
def test_only_failures_that_surely_sent_nothing_are_retried(error: NetworkError, may_resend: bool) -> None:
    assert surely_not_sent(error) is may_resend


# -- a send reset or timed out: confirmed, or sent once more (issue 24) ------------------------------


async def _chat_with_a_first_reply(emu: BotApiEmulator, request: AiohttpRequest) -> tuple[FakeUser, str]:
    """A user who wrote, the bot's first reply answered (its id is the chat's last known one), and
    the user's next message; returns the user and the sendMessage URL."""
    user = FakeUser(8101, language_code="en")
    emu.user_sends_text(user, "/start")
    url = f"{emu.base_url}{emu.token}/sendMessage"
    await request.post(url, params(chat_id=user.id, text="Your nationality?"))
    emu.user_sends_text(user, "India")
    return user, url


KEYBOARD = {
    "inline_keyboard": [[{"text": "Yes", "callback_data": "y"}, {"text": "No", "callback_data": "n"}]]
}


@pytest.mark.parametrize("kind", ["reset", "timeout"])
@pytest.mark.parametrize("arrived", [False, True], ids=["lost", "arrived"])
async def test_a_send_reset_or_timed_out_reaches_the_person_exactly_once(
    emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch, kind: str, arrived: bool
) -> None:
    monkeypatch.setattr(transport_module, "CONFIRM_AFTER_TIMEOUT_S", 0.05)
    async with transport(read_timeout=0.3, write_timeout=0.2) as request:
        user, url = await _chat_with_a_first_reply(emu, request)
        # "timeout": held longer than the client waits, so the client gives up (a real TimedOut)
        emu.inject_fault("sendMessage", kind, seconds=2.0, after=arrived)  # type: ignore[arg-type]
        result = await request.post(
            url, params(chat_id=user.id, text="Your <b>job</b>?", parse_mode="HTML", reply_markup=KEYBOARD)
        )
    sent = emu.sent_messages(user.id)
    assert [m.text for m in sent] == ["Your nationality?", "Your job?"], "lost, or sent twice"
    assert isinstance(result, dict) and result["message_id"] == sent[-1].message_id
    assert sent[-1].buttons == [("Yes", "y"), ("No", "n")] and not sent[-1].history  # never edited


async def test_a_send_is_not_repeated_when_the_check_itself_fails(emu: BotApiEmulator) -> None:
    async with transport() as request:
        user, url = await _chat_with_a_first_reply(emu, request)
        emu.inject_fault("sendMessage", "reset")
        emu.inject_fault("editMessageText", "server_error", status=502)
        with pytest.raises(TransportError):
            await request.post(url, params(chat_id=user.id, text="Your job?"))
        assert [m.text for m in emu.sent_messages(user.id)] == ["Your nationality?"]
        emu.inject_fault("sendMessage", "reset")  # the chat's last id is unknown now: no probe, no resend
        with pytest.raises(TransportError):
            await request.post(url, params(chat_id=user.id, text="Your job?"))
    assert len(emu.calls("editMessageText")) == 1


async def test_https_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append((await reader.readuntil(b"\r\n")).decode("latin-1").strip())
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    async with raw_server(proxy) as base:
        monkeypatch.setenv("HTTPS_PROXY", base)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with transport() as request:
            with pytest.raises(NetworkError):
                await request.post("https://api.telegram.example/botTOKEN/getMe", params())
    assert seen == ["CONNECT api.telegram.example:443 HTTP/1.1"]
