"""The operators' review console: a small Starlette app with server-rendered Jinja2 pages.

Every page but the login form needs a signed cookie naming a live server-side session of an active
account (ended by "log out", "log out everywhere", 30 idle minutes or the session's lifetime); every
POST needs that session's CSRF token; each route names the roles allowed on it; every view, export,
note, flag and erasure is audited. The SQLite connections are opened on one dedicated thread and
every store call runs there, never on the event loop (a slow checkpoint cannot freeze the console).

A handler is a plain function ``(request, session) -> Response`` run on that thread; an ``async``
handler runs on the event loop and must reach the stores through :meth:`Console.db`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.datastructures import FormData, Headers, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.engine import Assessment, today_in_brussels
from bot.engine import Message as EngineMessage
from bot.health import health_route
from bot.i18n import DEFAULT_LANG, LANGS, Lang, money, normalise_lang, plural, render, text
from bot.invites import PREFILL_FIELDS, deep_link, validate_prefill
from bot.operators import audit, labels
from bot.operators.auth import (
    DEFAULT_SESSION_HOURS,
    ConsoleSession,
    CookieCodec,
    authenticate,
    check_password_strength,
    hash_password,
    needs_rehash,
    new_token,
    same_token,
)
from bot.operators.export import EXPORT_FORMATS, SEPARATORS, export
from bot.operators.filters import (
    CHOICES,
    MAX_SESSION_ID,
    FilterError,
    has_control_characters,
    parse_count,
    parse_day,
    parse_filters,
)
from bot.operators.labels import (
    family_label,
    field_label,
    flag_label,
    review_title,
    route_label,
    source_link,
    status_label,
    value_label,
)
from bot.operators.review import answer_lines, reassess, rebuild_answers
from bot.operators.rules_page import RegisterInForce, due_for_update, rules_view
from bot.render import render_assessment_text, threshold_line
from bot.rules.live import follow_rules
from bot.store import SessionStore
from bot.store.accounts import ADMIN, HR, OPERATOR_NAME_PATTERN, ROLES, VIEWER, OperatorExistsError
from bot.store.erasure import complete_in_background
from bot.store.operators import SESSION_FLAGS, InviteCounts, OperatorStore, SessionFilters
from bot.store.records import BRUSSELS, Clock, UnknownSessionError, utc_now

HERE: Final = Path(__file__).parent
SESSION_COOKIE: Final = "guichet_console"
LOGIN_COOKIE: Final = "guichet_login"
PAGE_SIZE: Final = 25
AUDIT_PAGE_SIZE: Final = 50
LOGIN_FORM_MAX_AGE: Final = 3600.0
DEFAULT_IDLE_MINUTES: Final = 30.0
DEFAULT_AUDIT_RETENTION_DAYS: Final = 730
INVALID_NAME: Final = "(invalid name)"
UNKNOWN_NAME: Final = "(unknown name)"
MAX_INVITE_DAYS: Final = 365

STAFF: Final = frozenset({VIEWER, ADMIN})
ADMINS: Final = frozenset({ADMIN})
HR_ONLY: Final = frozenset({HR})
EVERYONE: Final = frozenset(ROLES)

SECURITY_HEADERS: Final = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
HSTS: Final = ("strict-transport-security", "max-age=31536000; includeSubDomains")
# The Host names the console answers to (DNS rebinding: a hostile page whose name resolves to the
# console's address gets 400); the deployed name is added with ``guichet review --allowed-host``.
LOOPBACK_HOSTS: Final = ("127.0.0.1", "localhost", "[::1]")
# Every form of the console fits in a few kilobytes (a note has at most 2 000 characters).
MAX_BODY_BYTES: Final = 64 * 1024
# HR sees figures only across all its links, and only once this many people started: never one
# person's progress (a per-person status needs the person's consent: "share with my employer").
MIN_HR_GROUP: Final = 5

T = TypeVar("T")


@dataclass(frozen=True)
class ConsoleConfig:
    """How the console runs: the cookie's secret and lifetimes, the bot's username (HR links), and the
    clocks (tests set them). ``secure_cookie`` means the console is served over HTTPS."""

    db_path: Path
    secret_key: str
    session_hours: float = DEFAULT_SESSION_HOURS
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    secure_cookie: bool = False
    bot_username: str | None = None
    audit_retention_days: int = DEFAULT_AUDIT_RETENTION_DAYS
    allowed_hosts: tuple[str, ...] = ()  # besides LOOPBACK_HOSTS: the deployed host name(s)
    clock: Clock = utc_now
    today: Callable[[], date] = today_in_brussels


class BadRequest(Exception):
    """A request the console cannot read: answered 400 with a message in the operator's language."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @classmethod
    def from_filter(cls, error: FilterError) -> BadRequest:
        """The same message as a filter error."""
        return cls(error.key, **error.params)


class SecurityHeaders:
    """ASGI middleware adding strict security headers (and HSTS behind HTTPS) to every response."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = {**SECURITY_HEADERS, **(dict([HSTS]) if hsts else {})}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    """The request body grew past the limit while it was being read."""


class BodyLimit:
    """ASGI middleware: 413 for a request body above ``limit`` bytes, refused from its
    Content-Length or, without one (a chunked body), as soon as the bytes received pass it — so no
    handler ever buffers more than ``limit`` bytes."""

    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        lang = normalise_lang(Request(scope).query_params.get("ui"))
        response = PlainTextResponse(text(lang, "console.error.too_large"), status_code=413)
        response.headers["connection"] = "close"  # the rest of the body is not read
        await response(scope, receive, send)


# -- template helpers -------------------------------------------------------------------------------


def local_time(moment: datetime | None) -> str:
    """A stored UTC time as Brussels local time, to the minute."""
    return "—" if moment is None else moment.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M")


def when(moment: datetime | None) -> Markup:
    """A stored time for a table or a list: Brussels local time in a ``<time>`` element (never broken
    across lines)."""
    if moment is None:
        return Markup("—")
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), local_time(moment))


def browser_lang(request: Request) -> Lang:
    """The language of a page shown before log-in: ``?ui=``, else the first supported language of the
    browser's Accept-Language (by quality), else English."""
    chosen = request.query_params.get("ui")
    if chosen:
        return normalise_lang(chosen)
    ranked = []
    for index, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, quality = item.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((-weight, index, tag.split("-")[0].strip().lower()))
    return next(
        (_lang(short) for weight, _, short in sorted(ranked) if weight < 0 and short in LANGS),
        DEFAULT_LANG,
    )


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        local_time=local_time,
        when=when,
        labels=labels,
        review_title=review_title,
        route_label=route_label,
        family_label=family_label,
        status_label=status_label,
        flag_label=flag_label,
        value_label=value_label,
        field_label=field_label,
        source_link=source_link,
        say=lambda message, lang="en": render(message, lang) if isinstance(message, EngineMessage) else "",
        money=lambda amount, lang="en": "—" if amount is None else money(float(amount), lang),
        threshold_line=threshold_line,
        sources=RegisterInForce(),
        flags=SESSION_FLAGS,
        choices=CHOICES,
        langs=LANGS,
        roles=ROLES,
        separators=SEPARATORS,
        prefill_fields=PREFILL_FIELDS,
    )
    return env


def _client(request: Request) -> str:
    """The address the request came from: the direct peer, or the client a ``--trusted-proxy`` names."""
    return request.client.host if request.client else "unknown"


# -- the app ----------------------------------------------------------------------------------------


class Console:
    """The console's handlers, sharing the stores (on their own thread), the cookie codec and the
    templates."""

    def __init__(self, config: ConsoleConfig) -> None:
        self.config = config
        self.cookies = CookieCodec(config.secret_key, max_age_seconds=config.session_hours * 3600)
        self.login_forms = CookieCodec(config.secret_key, max_age_seconds=LOGIN_FORM_MAX_AGE, salt="login")
        self.templates = _environment()
        self._executor: ThreadPoolExecutor | None = None
        self._store: OperatorStore | None = None
        self._sessions: SessionStore | None = None
        self._eraser: asyncio.Task[None] | None = None

    @property
    def store(self) -> OperatorStore:
        assert self._store is not None, "the console's lifespan has not started"
        return self._store

    @property
    def sessions(self) -> SessionStore:
        assert self._sessions is not None, "the console's lifespan has not started"
        return self._sessions

    async def db(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` on the stores' thread."""
        assert self._executor is not None, "the console's lifespan has not started"
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def _open(self) -> None:
        self._sessions = SessionStore(self.config.db_path, clock=self.config.clock)
        self._store = OperatorStore(self.config.db_path, clock=self.config.clock)

    def _close(self) -> None:
        try:
            if self._store is not None:
                self._store.close()
        finally:
            if self._sessions is not None:
                self._sessions.close()
            self._store = self._sessions = None

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        """Open both stores on their thread, drop audit entries past their retention, finish any
        erasure left pending; close the stores on shutdown."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guichet-console-db")
        try:
            await self.db(self._open)
            await self.db(self.store.purge_audit_older_than, self.config.audit_retention_days)
            if await self.db(self.store.pending_erasures):
                self._complete_erasures_later()
            # "re-assess today" uses the rules pack in force, as the bot does
            stop_rules = asyncio.Event()
            rules = asyncio.create_task(follow_rules(self.config.db_path, stop_rules))
            try:
                yield
            finally:
                stop_rules.set()
                await rules
        finally:
            if self._eraser is not None:
                self._eraser.cancel()
            await self.db(self._close)
            self._executor.shutdown(wait=True)
            self._executor = None

    def _complete_erasures_later(self) -> None:
        if self._eraser is None or self._eraser.done():
            self._eraser = asyncio.get_running_loop().create_task(
                complete_in_background(self.config.db_path, self.config.clock), name="console-erasure"
            )

    # -- plumbing (run on the stores' thread) -----------------------------------------------------------

    def page(self, template: str, request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
        session: ConsoleSession | None = request.scope.get("console_session")
        lang = normalise_lang(session.lang) if session else browser_lang(request)
        html = self.templates.get_template(template).render(
            operator=session.operator if session else None,
            role=session.role if session else None,
            is_admin=session is not None and session.is_admin,
            csrf=session.csrf if session else "",
            path=request.url.path,
            ui=lang,
            t=lambda key, **params: text(lang, key, **params),
            n=lambda key, count, **params: plural(lang, key, count, **params),
            pending_erasures=self.store.pending_erasures() if session and session.role != HR else [],
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def message(self, session: ConsoleSession, key: str, status_code: int, **params: str) -> Response:
        """A short plain-text answer in the operator's language (refusals, errors)."""
        return PlainTextResponse(text(normalise_lang(session.lang), key, **params), status_code=status_code)

    def bad_request(self, request: Request, error: BadRequest) -> Response:
        session: ConsoleSession | None = request.scope.get("console_session")
        message = labels.worded_error(
            normalise_lang(session.lang if session else None), error.key, error.params
        )
        return PlainTextResponse(message, status_code=400)

    def current(self, request: Request) -> ConsoleSession | None:
        """The logged-in operator's console session (checked against the server's record), or None."""
        cookie = self.cookies.load(request.cookies.get(SESSION_COOKIE), self.config.clock())
        if cookie is None or not cookie.sid:
            return None
        live = self.store.console_session(
            cookie.sid,
            idle=timedelta(minutes=self.config.idle_minutes),
            lifetime=timedelta(hours=self.config.session_hours),
        )
        if live is None or live.operator != cookie.operator or not same_token(cookie.csrf, live.csrf):
            return None
        account = self.store.get_operator(cookie.operator)
        if account is None or not cookie.still_valid_for(account):
            return None
        return ConsoleSession(
            operator=account.name,
            csrf=live.csrf,
            issued_at=cookie.issued_at,
            sid=cookie.sid,
            role=account.role,
            lang=account.lang,
            employer=account.employer,
        )

    def _admitted(self, request: Request, html: bool, roles: frozenset[str]) -> Response | ConsoleSession:
        """On the stores' thread: the refusal (no live session, or a role not in ``roles``), or the
        session. Nothing of the request's body has been read yet."""
        session = self.current(request)
        if session is None:
            if html and request.method == "GET":
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?{urlencode({'next': here})}", status_code=303)
            return PlainTextResponse("Log in first.", status_code=401)
        request.scope["console_session"] = session
        if session.role not in roles:
            return self.message(session, "console.forbidden", 403)
        return session

    def _checked(
        self,
        request: Request,
        admitted: Response | ConsoleSession | None,
        form: FormData | None,
        html: bool,
        roles: frozenset[str],
        handler: Callable[[Request, ConsoleSession], Response] | None,
    ) -> Response | ConsoleSession:
        """On the stores' thread: the refusal, or the session (and the handler's response when
        given); ``admitted``: what :meth:`_admitted` already decided, if it was called."""
        session = self._admitted(request, html, roles) if admitted is None else admitted
        if isinstance(session, Response):
            return session
        if form is not None:
            token = form.get("csrf")
            if not same_token(token if isinstance(token, str) else None, session.csrf):
                return self.message(session, "console.error.csrf", 403)
        if handler is None:
            return session
        try:
            return handler(request, session)
        except BadRequest as error:
            return self.bad_request(request, error)
        except FilterError as error:
            return self.bad_request(request, BadRequest.from_filter(error))

    def guarded(
        self,
        handler: Callable[[Request, ConsoleSession], Response | Awaitable[Response]],
        *,
        html: bool = True,
        roles: frozenset[str] = STAFF,
    ) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler: refuse without a valid session (login redirect for pages, 401 otherwise),
        with a role not in ``roles`` (403) and, for POST, without the session's CSRF token (403)."""
        is_async = inspect.iscoroutinefunction(handler)

        async def endpoint(request: Request) -> Response:
            admitted: Response | ConsoleSession | None = None
            form: FormData | None = None
            if request.method == "POST":  # who is asking is checked before a byte of the form is read
                admitted = await self.db(self._admitted, request, html, roles)
                if isinstance(admitted, Response):
                    return admitted
                form = await request.form()
            request.scope["form"] = form
            sync_handler: Any = None if is_async else handler
            result = await self.db(self._checked, request, admitted, form, html, roles, sync_handler)
            if isinstance(result, ConsoleSession):
                response = await handler(request, result)  # type: ignore[misc]
                assert isinstance(response, Response)
                return response
            if request.scope.get("erasure_pending"):
                self._complete_erasures_later()
            return result

        return endpoint

    # -- login --------------------------------------------------------------------------------------

    def _login_page(self, request: Request, error: str | None, status_code: int, next_path: str) -> Response:
        token = new_token()
        response = self.page(
            "login.html", request, status_code=status_code, error=error, login_csrf=token, next=next_path
        )
        stamp = ConsoleSession(operator="", csrf=token, issued_at=self.config.clock().timestamp())
        self._set_cookie(response, LOGIN_COOKIE, self.login_forms.dump(stamp), LOGIN_FORM_MAX_AGE)
        return response

    async def login_form(self, request: Request) -> Response:
        next_path = _local_path(request.query_params.get("next"))
        return await self.db(self._login_page, request, None, 200, next_path)

    async def login(self, request: Request) -> Response:
        lang = normalise_lang(request.query_params.get("ui"))
        if self.login_forms.load(request.cookies.get(LOGIN_COOKIE), self.config.clock()) is None:
            # no log-in form was handed out to this browser: refused before the body is read
            return await self.db(
                self._login_page, request, text(lang, "console.login.expired"), 403, "/sessions"
            )
        form = await request.form()
        return await self.db(self._login, request, form)

    def _name_key(self, name: str) -> str:
        """What the throttle counts a well-formed name that is no account by: a keyed hash (under
        this run's secret), so what was typed is never stored, and every such name has its own
        count exactly as an account has — the answers cannot tell which names exist."""
        digest = hmac.new(self.config.secret_key.encode(), name.encode(), hashlib.sha256).hexdigest()
        return f"?{digest[:32]}"

    def _login(self, request: Request, form: FormData) -> Response:
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
        next_path = _local_path(str(form.get("next", "")))
        lang = browser_lang(request)
        stamp = self.login_forms.load(request.cookies.get(LOGIN_COOKIE), self.config.clock())
        submitted = form.get("csrf")
        if stamp is None or not same_token(submitted if isinstance(submitted, str) else None, stamp.csrf):
            return self._login_page(request, text(lang, "console.login.expired"), 403, next_path)
        client = _client(request)
        valid = OPERATOR_NAME_PATTERN.fullmatch(name) is not None
        account = self.store.get_operator(name) if valid else None
        # The log and the throttle never hold what was typed unless it names an account: a password
        # typed into the name field, or a megabyte of text, is recorded as a placeholder (and
        # throttled under a keyed hash).
        logged_name = name if account is not None else UNKNOWN_NAME if valid else INVALID_NAME
        throttled_as = (
            account.name if account is not None else self._name_key(name) if valid else INVALID_NAME
        )
        blocked = self.store.login_blocked_until(client, throttled_as)
        if blocked is not None:
            seconds = str(max(1, math.ceil((blocked - self.config.clock()).total_seconds())))
            return self._login_page(
                request, text(lang, "console.login.wait", seconds=seconds), 429, next_path
            )
        if not authenticate(account, password):
            failures = self.store.record_login_failure(client, throttled_as)
            self.store.audit(logged_name, audit.LOGIN_FAILED, detail=f"failure {failures}", client=client)
            return self._login_page(request, text(lang, "console.login.wrong"), 401, next_path)
        assert account is not None
        self.store.record_login_success(client, account.name)
        if needs_rehash(account.password_hash):  # e.g. a scrypt hash from before argon2
            self.store.upgrade_password_hash(account.name, account.password_hash, hash_password(password))
        sid, csrf = new_token(), new_token()
        self.store.start_console_session(account.name, sid, csrf, client)
        self.store.audit(account.name, audit.LOGIN, client=client)
        session = ConsoleSession(
            operator=account.name, csrf=csrf, issued_at=self.config.clock().timestamp(), sid=sid
        )
        target = "/hr" if account.role == HR and not next_path.startswith("/hr") else next_path
        response = RedirectResponse(target, status_code=303)
        self._set_cookie(response, SESSION_COOKIE, self.cookies.dump(session), self.cookies.max_age_seconds)
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    def logout(self, request: Request, session: ConsoleSession) -> Response:
        self.store.end_console_session(session.sid)
        self.store.audit(session.operator, audit.LOGOUT, client=_client(request))
        return self._logged_out()

    def logout_everywhere(self, request: Request, session: ConsoleSession) -> Response:
        ended = self.store.end_all_console_sessions(session.operator)
        self.store.audit(
            session.operator, audit.LOGOUT_ALL, detail=f"{ended} sessions", client=_client(request)
        )
        return self._logged_out()

    def _logged_out(self) -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    def _set_cookie(self, response: Response, name: str, value: str, max_age: float) -> None:
        response.set_cookie(
            name,
            value,
            max_age=math.ceil(max_age),
            path="/",
            httponly=True,
            samesite="strict",
            secure=self.config.secure_cookie,
        )

    # -- the operator's own account ------------------------------------------------------------------

    def account_page(self, request: Request, session: ConsoleSession) -> Response:
        live = self.store.live_console_sessions(session.operator)
        return self.page("account.html", request, live=live)

    def set_language(self, request: Request, session: ConsoleSession) -> Response:
        lang = _form_text(request, "lang")
        if lang not in LANGS:
            raise BadRequest("console.error.choice", name="lang", value=lang[:40], choices=", ".join(LANGS))
        self.store.set_operator_lang(session.operator, lang)
        return RedirectResponse("/account", status_code=303)

    # -- lists ----------------------------------------------------------------------------------------

    def _filters(self, request: Request, *, queue: bool = False) -> SessionFilters:
        params = {name: request.query_params.get(name) for name in (*CHOICES, "since", "until", "queue")}
        if queue:
            params["queue"] = "1"
        try:
            return parse_filters(params)
        except FilterError as error:
            raise BadRequest.from_filter(error) from error

    def sessions_list(self, request: Request, session: ConsoleSession) -> Response:
        return self._list(request, session, queue=False)

    def queue(self, request: Request, session: ConsoleSession) -> Response:
        return self._list(request, session, queue=True)

    def _list(self, request: Request, session: ConsoleSession, *, queue: bool) -> Response:
        try:
            filters, error, status = self._filters(request, queue=queue), None, 200
            page_number = _count(request, "page")
        except BadRequest as bad:
            filters, error, status, page_number = SessionFilters(queue=queue), bad, 400, 1
        result = self.store.list_sessions(filters, page=page_number, page_size=PAGE_SIZE)
        action = audit.QUEUE if queue else audit.LIST
        self.store.audit(session.operator, action, detail=audit.describe_filters(filters, page=result.page))
        query = {k: v for k, v in filters.as_params().items() if k != "queue"}
        erased = _count(request, "erased", default=0, limit=MAX_SESSION_ID) if status == 200 else 0
        return self.page(
            "sessions.html",
            request,
            status_code=status,
            due=due_for_update(self.config.db_path, self.config.today()),
            result=result,
            filters=filters,
            error=None
            if error is None
            else labels.worded_error(normalise_lang(session.lang), error.key, error.params),
            queue=queue,
            erased=erased or None,
            query=urlencode(query),
            page_link=lambda n: "?" + urlencode({**query, "page": n}),
        )

    def export(self, request: Request, session: ConsoleSession) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in EXPORT_FORMATS:
            return self.message(session, "console.error.format", 404)
        separator = request.query_params.get("sep", ",")
        if separator not in SEPARATORS:
            raise BadRequest("console.error.separator")
        filters = self._filters(request)
        rows = list(self.store.iter_sessions(filters))
        self.store.audit(
            session.operator,
            audit.EXPORT,
            detail=f"{fmt}, {len(rows)} rows, " + audit.describe_filters(filters),
            client=_client(request),
        )
        stamp = self.config.clock().strftime("%Y%m%d-%H%M%S")
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return Response(
            export(rows, fmt, separator=separator),
            media_type=media,
            headers={"content-disposition": f'attachment; filename="guichet-sessions-{stamp}.{fmt}"'},
        )

    def invites(self, request: Request, session: ConsoleSession) -> Response:
        filters = self._filters(request)
        counts = self.store.invite_counts(filters.since, filters.until)
        self.store.audit(session.operator, audit.COUNTS, detail=audit.describe_filters(filters))
        return self.page("invites.html", request, counts=counts, filters=filters, error=None)

    def audit_log(self, request: Request, session: ConsoleSession) -> Response:
        params = request.query_params
        operator = params.get("operator") or None
        if operator is not None and not (
            OPERATOR_NAME_PATTERN.fullmatch(operator) or operator in {INVALID_NAME, UNKNOWN_NAME}
        ):
            raise BadRequest("console.error.operator")
        actions = self.store.audit_actions()
        action = params.get("action") or None
        if action is not None and action not in actions:
            raise BadRequest(
                "console.error.choice", name="action", value=action[:40], choices=", ".join(actions)
            )
        try:
            since = parse_day("since", params["since"]) if params.get("since") else None
            until = parse_day("until", params["until"]) if params.get("until") else None
        except FilterError as error:
            raise BadRequest.from_filter(error) from error
        session_id = _count(request, "session", default=0, limit=MAX_SESSION_ID) or None
        result = self.store.audit_page(
            operator=operator,
            action=action,
            session_id=session_id,
            since=since,
            until=until,
            page=_count(request, "page"),
            page_size=AUDIT_PAGE_SIZE,
        )
        self.store.audit(session.operator, audit.AUDIT_VIEW)
        query = {
            k: v
            for k, v in {
                "operator": operator,
                "action": action,
                "session": session_id,
                "since": since,
                "until": until,
            }.items()
            if v
        }
        return self.page(
            "audit.html",
            request,
            result=result,
            actions=actions,
            chosen=query,
            page_link=lambda n: "?" + urlencode({**query, "page": n}),
        )

    # -- one session ------------------------------------------------------------------------------------

    def session_page(self, request: Request, session: ConsoleSession) -> Response:
        session_id = _session_id(request)
        stored = self.store.get_session(session_id)
        summary = self.store.summary(session_id)
        if stored is None or summary is None:
            return self.page("missing.html", request, status_code=404, session_id=session_id)
        self.store.audit(session.operator, audit.VIEW, session_id=session_id)
        ui = normalise_lang(session.lang)
        shown: Lang = _lang(request.query_params.get("lang"), default=ui)
        log_entries = self.sessions.get_answers(session_id)
        assessment = self.sessions.latest_assessment(session_id)
        try:
            rebuilt = rebuild_answers(stored.state, log_entries)
            lines, answers_error = answer_lines(rebuilt.answers, ui), None
        except ValueError as exc:
            lines, answers_error = [], str(exc)
        return self.page(
            "session.html",
            request,
            stored=stored,
            summary=summary,
            lang=shown,
            answer_lines=lines,
            answers_error=answers_error,
            answer_log=log_entries,
            transcript=self.sessions.get_transcript(session_id),
            assessment=assessment,
            rendered=render_assessment_text(assessment, shown) if assessment else None,
            source_ids=_source_ids(assessment) if assessment else [],
            reassessment=reassess(stored.state, log_entries, assessment, self.config.today(), ui),
            notes=self.store.notes(session_id),
            session_flags={flag.flag: flag for flag in self.store.flags(session_id)},
            history=self.store.audit_entries(session_id=session_id, limit=50) if session.is_admin else [],
            share=self.sessions.result_share(session_id),
        )

    def add_note(self, request: Request, session: ConsoleSession) -> Response:
        session_id = _session_id(request)
        note = _form_text(request, "text")
        if has_control_characters(note):
            raise BadRequest("console.error.control", name="text")
        try:
            self.store.add_note(session_id, session.operator, note)
        except UnknownSessionError:
            return self.message(session, "console.error.no_session", 404)
        except ValueError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return RedirectResponse(f"/sessions/{session_id}#notes", status_code=303)

    def set_flag(self, request: Request, session: ConsoleSession) -> Response:
        session_id = _session_id(request)
        flag, on = _form_text(request, "flag"), _form_text(request, "on") == "1"
        try:
            self.store.set_flag(session_id, flag, session.operator, on=on)
        except UnknownSessionError:
            return self.message(session, "console.error.no_session", 404)
        except ValueError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return RedirectResponse(f"/sessions/{session_id}#flags", status_code=303)

    def erase(self, request: Request, session: ConsoleSession) -> Response:
        session_id = _session_id(request)
        if _form_text(request, "confirm") != "erase":
            return self.message(session, "console.erase.confirm", 400)
        deleted = self.store.erase_session(session_id)
        if deleted == 0:
            return self.message(session, "console.error.no_session", 404)
        self.store.audit(
            session.operator,
            audit.ERASE,
            session_id=session_id,
            detail=f"{deleted} rows",
            client=_client(request),
        )
        if session_id in self.store.pending_erasures():
            request.scope["erasure_pending"] = True
        return RedirectResponse(f"/sessions?erased={session_id}", status_code=303)

    def rules(self, request: Request, session: ConsoleSession) -> Response:
        view = rules_view(self.config.db_path, self.config.today())
        return self.page("rules.html", request, view=view, due=view)

    def reminders(self, request: Request, session: ConsoleSession) -> Response:
        """Reminder counts (people who agreed, reminders by status) and, for admins, the switch."""
        counts = self.store.reminder_counts()
        return self.page("reminders.html", request, counts=counts, done=request.query_params.get("done"))

    def switch_reminders(self, request: Request, session: ConsoleSession) -> Response:
        """Turn reminders on or off for everyone (admins; audited)."""
        on = _form_text(request, "on") == "1"
        self.store.set_reminders_enabled(on, session.operator)
        action = audit.REMINDERS_ON if on else audit.REMINDERS_OFF
        self.store.audit(session.operator, action, client=_client(request))
        return RedirectResponse(f"/reminders?done={'on' if on else 'off'}", status_code=303)

    def home(self, request: Request, session: ConsoleSession) -> Response:
        return RedirectResponse("/hr" if session.role == HR else "/sessions", status_code=303)

    # -- accounts (admins) ------------------------------------------------------------------------------

    def accounts(self, request: Request, session: ConsoleSession) -> Response:
        accounts = [
            (account, self.store.live_console_sessions(account.name))
            for account in self.store.list_operators()
        ]
        return self.page(
            "accounts.html", request, accounts=accounts, message=request.query_params.get("done")
        )

    def create_account(self, request: Request, session: ConsoleSession) -> Response:
        name, role, lang = (
            _form_text(request, "name"),
            _form_text(request, "role"),
            _form_text(request, "lang"),
        )
        employer, password = _form_text(request, "employer"), _form_text(request, "password")
        try:
            check_password_strength(password)
            self.store.create_operator(
                name, hash_password(password), role=role, lang=lang, employer=employer or None
            )
        except OperatorExistsError:
            raise BadRequest("console.accounts.exists") from None
        except ValueError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        self.store.audit(
            session.operator, audit.OPERATOR_CREATED, detail=f"{name} ({role})", client=_client(request)
        )
        return RedirectResponse("/operators?done=created", status_code=303)

    def manage_account(self, request: Request, session: ConsoleSession) -> Response:
        name, action = request.path_params["name"], _form_text(request, "action")
        if self.store.get_operator(name) is None:
            return self.message(session, "console.error.no_account", 404)
        if action == "disable":
            self.store.disable_operator(name)
            self.store.end_all_console_sessions(name)
            self.store.audit(session.operator, audit.OPERATOR_DISABLED, detail=name, client=_client(request))
        elif action == "logout":
            ended = self.store.end_all_console_sessions(name)
            self.store.audit(session.operator, audit.LOGOUT_ALL, detail=f"{name}: {ended} sessions")
        elif action == "unlock":
            cleared = self.store.clear_login_failures(name)
            self.store.audit(session.operator, audit.UNLOCK, detail=f"{name}: {cleared} addresses")
        else:
            raise BadRequest(
                "console.error.choice", name="action", value=action[:40], choices="disable, logout, unlock"
            )
        return RedirectResponse(f"/operators?done={action}", status_code=303)

    # -- HR self-service ------------------------------------------------------------------------------

    def hr_home(self, request: Request, session: ConsoleSession) -> Response:
        employer = _employer(session)
        invites = self.sessions.list_invites(employer)
        totals = hr_totals(self.store.invite_counts(employer=employer))
        lang = normalise_lang(session.lang)
        links = {
            invite.token: deep_link(self.config.bot_username, invite.token)
            if self.config.bot_username
            else None
            for invite in invites
        }
        messages = {
            token: text(lang, "console.hr.message_text", employer=employer, link=link)
            for token, link in links.items()
            if link
        }
        return self.page(
            "hr.html",
            request,
            employer=employer,
            invites=list(reversed(invites)),
            totals=totals,
            min_group=MIN_HR_GROUP,
            links=links,
            messages=messages,
            shared=self.store.shared_results(employer),
            now=self.config.clock(),
            created=request.query_params.get("created"),
        )

    def hr_create_invite(self, request: Request, session: ConsoleSession) -> Response:
        employer = _employer(session)
        raw: dict[str, Any] = {}
        for name in PREFILL_FIELDS:
            value = _form_text(request, name).strip()
            if value:
                raw[name] = value
        days = _form_text(request, "expires_days").strip()
        expiry_days = parse_count("expires_days", days, default=30, limit=MAX_INVITE_DAYS) if days else 30
        try:
            prefill = validate_prefill(raw)
        except ValidationError as exc:
            location = exc.errors()[0]["loc"]
            field = text(normalise_lang(session.lang), f"console.hr.fact.{location[0]}") if location else "?"
            raise BadRequest("console.hr.bad_fact", field=field) from None
        token = self.sessions.create_invite(
            employer,
            prefill,
            expires_at=self.config.clock() + timedelta(days=expiry_days),
            created_by=session.operator,
        )
        self.store.audit(session.operator, audit.INVITE_CREATED, detail=f"{token[:8]}… {len(prefill)} facts")
        return RedirectResponse(f"/hr?created={token[:8]}", status_code=303)

    def hr_revoke_invite(self, request: Request, session: ConsoleSession) -> Response:
        token = self._own_invite(request, session)
        self.sessions.revoke_invite(token)
        self.store.audit(session.operator, audit.INVITE_REVOKED, detail=f"{token[:8]}…")
        return RedirectResponse("/hr", status_code=303)

    def hr_qr(self, request: Request, session: ConsoleSession) -> Response:
        import io

        import segno

        token = self._own_invite(request, session)
        if not self.config.bot_username:
            return self.message(session, "console.hr.no_username", 404)
        out = io.BytesIO()
        segno.make(deep_link(self.config.bot_username, token), error="m").save(
            out, kind="png", scale=6, border=4
        )
        return Response(
            out.getvalue(),
            media_type="image/png",
            headers={"content-disposition": f'inline; filename="invite-{token[:8]}.png"'},
        )

    def hr_result(self, request: Request, session: ConsoleSession) -> Response:
        employer = _employer(session)
        session_id = _session_id(request)
        share = self.sessions.result_share(session_id)
        if share is None or share.employer != employer:
            return self.message(session, "console.hr.not_shared", 404)
        assessment = self.sessions.latest_assessment(session_id)
        self.store.audit(session.operator, audit.VIEW_SHARED, session_id=session_id)
        lang = normalise_lang(session.lang)
        return self.page(
            "hr_result.html",
            request,
            share=share,
            rendered=render_assessment_text(assessment, lang) if assessment else None,
        )

    def _own_invite(self, request: Request, session: ConsoleSession) -> str:
        token = request.path_params["token"]
        mine = {invite.token for invite in self.sessions.list_invites(_employer(session))}
        if token not in mine:
            raise BadRequest("console.hr.not_yours")
        return str(token)


def hr_totals(counts: list[InviteCounts]) -> InviteCounts | None:
    """The figures of all an employer's links together, or None while fewer than
    :data:`MIN_HR_GROUP` people started (one person's progress could be told apart)."""
    started = sum(c.started for c in counts)
    if started < MIN_HR_GROUP:
        return None
    return InviteCounts(
        token="",
        employer=counts[0].employer if counts else None,
        started=started,
        completed=sum(c.completed for c in counts),
        needs_review=sum(c.needs_review for c in counts),
        handed_over=sum(c.handed_over for c in counts),
    )


def _employer(session: ConsoleSession) -> str:
    if not session.employer:
        raise BadRequest("console.hr.no_employer")
    return session.employer


def _form_text(request: Request, name: str) -> str:
    form: FormData | None = request.scope.get("form")
    value = form.get(name) if form is not None else None
    return value if isinstance(value, str) else ""


def _count(request: Request, name: str, *, default: int = 1, limit: int = 1_000_000) -> int:
    try:
        return parse_count(name, request.query_params.get(name), default=default, limit=limit)
    except FilterError as error:
        raise BadRequest.from_filter(error) from error


def _session_id(request: Request) -> int:
    session_id = int(request.path_params["session_id"])
    if not 1 <= session_id <= MAX_SESSION_ID:
        raise BadRequest("console.error.number", name="session", value=str(session_id)[:40])
    return session_id


def _local_path(value: str | None) -> str:
    """A redirect target on this site only (no scheme, no host, no '//', no control character)."""
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and not has_control_characters(value)
        and len(value) <= 2000
    ):
        return value
    return "/sessions"


def _lang(value: str | None, *, default: Lang = "en") -> Lang:
    for lang in LANGS:
        if lang == value:
            return lang
    return default


def _source_ids(assessment: Assessment) -> list[str]:
    """Every source the assessment cites, in first-cited order."""
    ids: list[str] = []
    for route in assessment.routes:
        ids += route.sources + [s for use in route.thresholds for s in use.sources]
    ids += assessment.family.sources + [s for use in assessment.family.thresholds for s in use.sources]
    for member in assessment.family.members:
        ids += member.sources
    for step in assessment.next_steps:
        ids += step.sources
    return list(dict.fromkeys(ids))


def create_app(config: ConsoleConfig) -> Starlette:
    """The review console as an ASGI app."""
    console = Console(config)
    guarded = console.guarded

    async def store_answers() -> str | None:  # GET /healthz, no log-in: the store answers a read
        await console.db(console.sessions.load_state, "healthz", "-")
        return None

    routes = [
        health_route(store_answers),
        Route("/login", console.login_form, methods=["GET"]),
        Route("/login", console.login, methods=["POST"]),
        Route("/logout", guarded(console.logout, html=False, roles=EVERYONE), methods=["POST"]),
        Route(
            "/logout/everywhere",
            guarded(console.logout_everywhere, html=False, roles=EVERYONE),
            methods=["POST"],
        ),
        Route("/account", guarded(console.account_page, roles=EVERYONE), methods=["GET"]),
        Route("/account/lang", guarded(console.set_language, html=False, roles=EVERYONE), methods=["POST"]),
        Route("/", guarded(console.home, roles=EVERYONE), methods=["GET"]),
        Route("/sessions", guarded(console.sessions_list), methods=["GET"]),
        Route("/queue", guarded(console.queue), methods=["GET"]),
        Route(
            "/sessions/export.{fmt:str}", guarded(console.export, html=False, roles=ADMINS), methods=["GET"]
        ),
        Route("/sessions/{session_id:int}", guarded(console.session_page), methods=["GET"]),
        Route("/sessions/{session_id:int}/notes", guarded(console.add_note, html=False), methods=["POST"]),
        Route("/sessions/{session_id:int}/flags", guarded(console.set_flag, html=False), methods=["POST"]),
        Route(
            "/sessions/{session_id:int}/erase",
            guarded(console.erase, html=False, roles=ADMINS),
            methods=["POST"],
        ),
        Route("/invites", guarded(console.invites), methods=["GET"]),
        Route("/audit", guarded(console.audit_log, roles=ADMINS), methods=["GET"]),
        Route("/rules", guarded(console.rules), methods=["GET"]),
        Route("/reminders", guarded(console.reminders), methods=["GET"]),
        Route(
            "/reminders/switch", guarded(console.switch_reminders, html=False, roles=ADMINS), methods=["POST"]
        ),
        Route("/operators", guarded(console.accounts, roles=ADMINS), methods=["GET"]),
        Route("/operators", guarded(console.create_account, html=False, roles=ADMINS), methods=["POST"]),
        Route(
            "/operators/{name:str}",
            guarded(console.manage_account, html=False, roles=ADMINS),
            methods=["POST"],
        ),
        Route("/hr", guarded(console.hr_home, roles=HR_ONLY), methods=["GET"]),
        Route("/hr/invites", guarded(console.hr_create_invite, html=False, roles=HR_ONLY), methods=["POST"]),
        Route(
            "/hr/invites/{token:str}/revoke",
            guarded(console.hr_revoke_invite, html=False, roles=HR_ONLY),
            methods=["POST"],
        ),
        Route(
            "/hr/invites/{token:str}/qr.png",
            guarded(console.hr_qr, html=False, roles=HR_ONLY),
            methods=["GET"],
        ),
        Route("/hr/results/{session_id:int}", guarded(console.hr_result, roles=HR_ONLY), methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=console.lifespan)
    # outermost last: the security headers on every answer, then the Host check, then the body limit
    app.add_middleware(BodyLimit)
    hosts = [*LOOPBACK_HOSTS, *config.allowed_hosts]
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)
    app.add_middleware(SecurityHeaders, hsts=config.secure_cookie)
    app.state.console = console
    return app


def guarded_paths(session_id: int) -> Mapping[str, str]:
    """Every protected URL with its method (for tests and documentation)."""
    return {
        "/": "GET",
        "/sessions": "GET",
        "/queue": "GET",
        "/sessions/export.csv": "GET",
        "/sessions/export.json": "GET",
        f"/sessions/{session_id}": "GET",
        "/invites": "GET",
        "/audit": "GET",
        "/rules": "GET",
        "/reminders": "GET",
        "/account": "GET",
        "/operators": "GET",
        "/hr": "GET",
        "/hr/invites/tok/qr.png": "GET",
        f"/hr/results/{session_id}": "GET",
        f"/sessions/{session_id}/notes": "POST",
        f"/sessions/{session_id}/flags": "POST",
        f"/sessions/{session_id}/erase": "POST",
        "/logout": "POST",
        "/logout/everywhere": "POST",
        "/account/lang": "POST",
        "/operators/alice": "POST",
        "/hr/invites": "POST",
        "/hr/invites/tok/revoke": "POST",
        "/reminders/switch": "POST",
    }
