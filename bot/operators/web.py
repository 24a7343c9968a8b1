"""The operators' review console: a small Starlette app with server-rendered Jinja2 pages.

Every page but the login form needs a signed, expiring session cookie of an active operator; every
POST needs that session's CSRF token; every view, export, note, flag and erasure is audited. The
SQLite connections are opened in the app's lifespan and used only from its event-loop thread (all
handlers are ``async`` and the queries are short), as the store requires.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.engine.assess import today_in_brussels
from bot.engine.assessment import Assessment
from bot.engine.message import Message as EngineMessage
from bot.i18n import LANGS, Lang, money, render, text
from bot.operators import audit
from bot.operators.auth import (
    DEFAULT_SESSION_HOURS,
    ConsoleSession,
    CookieCodec,
    authenticate,
    new_token,
    same_token,
)
from bot.operators.export import EXPORT_FORMATS, export
from bot.operators.filters import CHOICES, FilterError, parse_filters
from bot.operators.review import answer_lines, reassess, rebuild_answers
from bot.operators.rules_page import RegisterInForce, due_for_update, rules_view
from bot.render import render_assessment_text, threshold_line
from bot.rules.live import follow_rules
from bot.store import SessionStore
from bot.store.operators import BRUSSELS, SESSION_FLAGS, OperatorStore, SessionFilters
from bot.store.records import Clock, UnknownSessionError, utc_now

HERE: Final = Path(__file__).parent
SESSION_COOKIE: Final = "guichet_console"
LOGIN_COOKIE: Final = "guichet_login"
PAGE_SIZE: Final = 25
MAX_FAILED_LOGINS: Final = 10
FAILED_LOGIN_WINDOW: Final = timedelta(minutes=15)
LOGIN_FORM_MAX_AGE: Final = 3600.0

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


@dataclass(frozen=True)
class ConsoleConfig:
    """How the console runs: the cookie's secret and lifetime, and the clocks (tests set them)."""

    db_path: Path
    secret_key: str
    session_hours: float = DEFAULT_SESSION_HOURS
    secure_cookie: bool = False
    clock: Clock = utc_now
    today: Callable[[], date] = today_in_brussels


class SecurityHeaders:
    """ASGI middleware adding strict security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- template helpers -------------------------------------------------------------------------------


def local_time(moment: datetime | None) -> str:
    """A stored UTC time as Brussels local time, to the minute."""
    return "—" if moment is None else moment.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M")


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
        review_title=lambda code, lang="en": text(lang, f"review.{code}.title"),
        say=lambda message, lang="en": render(message, lang) if isinstance(message, EngineMessage) else "",
        money=lambda amount, lang="en": "—" if amount is None else money(float(amount), lang),
        threshold_line=threshold_line,
        sources=RegisterInForce(),
        flags=SESSION_FLAGS,
        choices=CHOICES,
    )
    return env


# -- the app ----------------------------------------------------------------------------------------


class Console:
    """The console's handlers, sharing the stores, the cookie codec and the templates."""

    def __init__(self, config: ConsoleConfig) -> None:
        self.config = config
        self.cookies = CookieCodec(config.secret_key, max_age_seconds=config.session_hours * 3600)
        self.login_forms = CookieCodec(config.secret_key, max_age_seconds=LOGIN_FORM_MAX_AGE, salt="login")
        self.templates = _environment()
        self._store: OperatorStore | None = None
        self._sessions: SessionStore | None = None

    @property
    def store(self) -> OperatorStore:
        assert self._store is not None, "the console's lifespan has not started"
        return self._store

    @property
    def sessions(self) -> SessionStore:
        assert self._sessions is not None, "the console's lifespan has not started"
        return self._sessions

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        """Open both stores in the event loop's thread, close them on shutdown."""
        self._sessions = SessionStore(self.config.db_path, clock=self.config.clock)
        self._store = OperatorStore(self.config.db_path, clock=self.config.clock)
        stop_rules = asyncio.Event()  # "re-assess today" uses the rules pack in force, as the bot does
        rules = asyncio.create_task(follow_rules(self.config.db_path, stop_rules))
        try:
            yield
        finally:
            stop_rules.set()
            await rules
            self._store.close()
            self._sessions.close()
            self._store = self._sessions = None

    # -- plumbing ---------------------------------------------------------------------------------

    def page(self, template: str, request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
        session: ConsoleSession | None = request.scope.get("console_session")
        html = self.templates.get_template(template).render(
            operator=session.operator if session else None,
            csrf=session.csrf if session else "",
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def current(self, request: Request) -> ConsoleSession | None:
        """The logged-in operator's console session, or None."""
        session = self.cookies.load(request.cookies.get(SESSION_COOKIE), self.config.clock())
        if session is None or not session.still_valid_for(self.store.get_operator(session.operator)):
            return None
        return session

    def guarded(
        self, handler: Callable[[Request, ConsoleSession], Awaitable[Response]], *, html: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler: refuse without a valid session (login redirect for pages, 401 otherwise)
        and, for POST, without the session's CSRF token."""

        async def endpoint(request: Request) -> Response:
            session = self.current(request)
            if session is None:
                if html and request.method == "GET":
                    target = urlencode({"next": request.url.path})
                    return RedirectResponse(f"/login?{target}", status_code=303)
                return PlainTextResponse("Log in first.", status_code=401)
            if request.method == "POST":
                form = await request.form()
                token = form.get("csrf")
                if not same_token(token if isinstance(token, str) else None, session.csrf):
                    return PlainTextResponse("Missing or wrong CSRF token.", status_code=403)
            request.scope["console_session"] = session
            return await handler(request, session)

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
        return self._login_page(request, None, 200, _local_path(request.query_params.get("next")))

    async def login(self, request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
        next_path = _local_path(str(form.get("next", "")))
        stamp = self.login_forms.load(request.cookies.get(LOGIN_COOKIE), self.config.clock())
        submitted = form.get("csrf")
        if stamp is None or not same_token(submitted if isinstance(submitted, str) else None, stamp.csrf):
            return self._login_page(request, "The form expired; please try again.", 403, next_path)
        since = self.config.clock() - FAILED_LOGIN_WINDOW
        if self.store.count_audit_since(name, audit.LOGIN_FAILED, since) >= MAX_FAILED_LOGINS:
            return self._login_page(request, "Too many failed attempts; wait 15 minutes.", 429, next_path)
        if not authenticate(self.store.get_operator(name), password):
            self.store.audit(name or "(blank)", audit.LOGIN_FAILED)
            return self._login_page(request, "Wrong name or password.", 401, next_path)
        session = ConsoleSession(operator=name, csrf=new_token(), issued_at=self.config.clock().timestamp())
        self.store.audit(name, audit.LOGIN)
        response = RedirectResponse(next_path, status_code=303)
        self._set_cookie(response, SESSION_COOKIE, self.cookies.dump(session), self.cookies.max_age_seconds)
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    async def logout(self, request: Request, session: ConsoleSession) -> Response:
        self.store.audit(session.operator, audit.LOGOUT)
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

    # -- lists ----------------------------------------------------------------------------------------

    def _filters(self, request: Request, *, queue: bool = False) -> tuple[SessionFilters, str | None]:
        params = {name: request.query_params.get(name) for name in (*CHOICES, "since", "until", "queue")}
        if queue:
            params["queue"] = "1"
        try:
            return parse_filters(params), None
        except FilterError as exc:
            return SessionFilters(queue=queue), str(exc)

    async def sessions_list(self, request: Request, session: ConsoleSession) -> Response:
        return self._list(request, session, queue=False)

    async def queue(self, request: Request, session: ConsoleSession) -> Response:
        return self._list(request, session, queue=True)

    def _list(self, request: Request, session: ConsoleSession, *, queue: bool) -> Response:
        filters, error = self._filters(request, queue=queue)
        page_number = _page_number(request.query_params.get("page"))
        result = self.store.list_sessions(filters, page=page_number, page_size=PAGE_SIZE)
        action = audit.QUEUE if queue else audit.LIST
        self.store.audit(session.operator, action, detail=audit.describe_filters(filters, page=result.page))
        query = {k: v for k, v in filters.as_params().items() if k != "queue"}
        due = due_for_update(self.config.db_path, self.config.today())
        return self.page(
            "sessions.html",
            request,
            due=due,
            result=result,
            filters=filters,
            error=error,
            queue=queue,
            erased=_page_number(request.query_params.get("erased"))
            if "erased" in request.query_params
            else None,
            query=urlencode(query),
            page_link=lambda n: "?" + urlencode({**query, "page": n}),
        )

    async def export(self, request: Request, session: ConsoleSession) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in EXPORT_FORMATS:
            return PlainTextResponse("Export as .csv or .json.", status_code=404)
        filters, error = self._filters(request)
        if error:
            return PlainTextResponse(error, status_code=400)
        rows = list(self.store.iter_sessions(filters))
        self.store.audit(
            session.operator,
            audit.EXPORT,
            detail=f"{fmt}, {len(rows)} rows, " + audit.describe_filters(filters),
        )
        stamp = self.config.clock().strftime("%Y%m%d-%H%M%S")
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return Response(
            export(rows, fmt),
            media_type=media,
            headers={"content-disposition": f'attachment; filename="guichet-sessions-{stamp}.{fmt}"'},
        )

    async def invites(self, request: Request, session: ConsoleSession) -> Response:
        filters, error = self._filters(request)
        counts = self.store.invite_counts(filters.since, filters.until)
        self.store.audit(session.operator, audit.COUNTS, detail=audit.describe_filters(filters))
        return self.page("invites.html", request, counts=counts, filters=filters, error=error)

    async def audit_log(self, request: Request, session: ConsoleSession) -> Response:
        entries = self.store.audit_entries(limit=300)
        self.store.audit(session.operator, audit.AUDIT_VIEW)
        return self.page("audit.html", request, entries=entries)

    # -- one session ------------------------------------------------------------------------------------

    async def session_page(self, request: Request, session: ConsoleSession) -> Response:
        session_id = int(request.path_params["session_id"])
        stored = self.store.get_session(session_id)
        summary = self.store.summary(session_id)
        if stored is None or summary is None:
            return self.page("missing.html", request, status_code=404, session_id=session_id)
        self.store.audit(session.operator, audit.VIEW, session_id=session_id)
        lang: Lang = _lang(request.query_params.get("lang"))
        log_entries = self.sessions.get_answers(session_id)
        assessment = self.sessions.latest_assessment(session_id)
        try:
            rebuilt = rebuild_answers(stored.state, log_entries)
            lines, answers_error = answer_lines(rebuilt.answers), None
        except ValueError as exc:
            lines, answers_error = [], str(exc)
        return self.page(
            "session.html",
            request,
            stored=stored,
            summary=summary,
            lang=lang,
            langs=LANGS,
            answer_lines=lines,
            answers_error=answers_error,
            answer_log=log_entries,
            transcript=self.sessions.get_transcript(session_id),
            assessment=assessment,
            rendered=render_assessment_text(assessment, lang) if assessment else None,
            source_ids=_source_ids(assessment) if assessment else [],
            reassessment=reassess(stored.state, log_entries, assessment, self.config.today()),
            notes=self.store.notes(session_id),
            session_flags={flag.flag: flag for flag in self.store.flags(session_id)},
            history=self.store.audit_entries(session_id=session_id, limit=50),
        )

    async def add_note(self, request: Request, session: ConsoleSession) -> Response:
        session_id = int(request.path_params["session_id"])
        form = await request.form()
        try:
            self.store.add_note(session_id, session.operator, str(form.get("text", "")))
        except UnknownSessionError:
            return PlainTextResponse("No such session.", status_code=404)
        except ValueError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return RedirectResponse(f"/sessions/{session_id}#notes", status_code=303)

    async def set_flag(self, request: Request, session: ConsoleSession) -> Response:
        session_id = int(request.path_params["session_id"])
        form = await request.form()
        flag, on = str(form.get("flag", "")), form.get("on") == "1"
        try:
            self.store.set_flag(session_id, flag, session.operator, on=on)
        except UnknownSessionError:
            return PlainTextResponse("No such session.", status_code=404)
        except ValueError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return RedirectResponse(f"/sessions/{session_id}#flags", status_code=303)

    async def erase(self, request: Request, session: ConsoleSession) -> Response:
        session_id = int(request.path_params["session_id"])
        form = await request.form()
        if form.get("confirm") != "erase":
            return PlainTextResponse("Tick the box to confirm the erasure.", status_code=400)
        deleted = self.store.erase_session(session_id)
        if deleted == 0:
            return PlainTextResponse("No such session.", status_code=404)
        self.store.audit(session.operator, audit.ERASE, session_id=session_id, detail=f"{deleted} rows")
        return RedirectResponse(f"/sessions?erased={session_id}", status_code=303)

    async def rules(self, request: Request, session: ConsoleSession) -> Response:
        view = rules_view(self.config.db_path, self.config.today())
        return self.page("rules.html", request, view=view, due=view)

    async def home(self, request: Request, session: ConsoleSession) -> Response:
        return RedirectResponse("/sessions", status_code=303)


def _local_path(value: str | None) -> str:
    """A redirect target on this site only (no scheme, no host, no '//')."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/sessions"


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1


def _lang(value: str | None) -> Lang:
    for lang in LANGS:
        if lang == value:
            return lang
    return "en"


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
    routes = [
        Route("/login", console.login_form, methods=["GET"]),
        Route("/login", console.login, methods=["POST"]),
        Route("/logout", guarded(console.logout, html=False), methods=["POST"]),
        Route("/", guarded(console.home), methods=["GET"]),
        Route("/sessions", guarded(console.sessions_list), methods=["GET"]),
        Route("/queue", guarded(console.queue), methods=["GET"]),
        Route("/sessions/export.{fmt:str}", guarded(console.export, html=False), methods=["GET"]),
        Route("/sessions/{session_id:int}", guarded(console.session_page), methods=["GET"]),
        Route("/sessions/{session_id:int}/notes", guarded(console.add_note, html=False), methods=["POST"]),
        Route("/sessions/{session_id:int}/flags", guarded(console.set_flag, html=False), methods=["POST"]),
        Route("/sessions/{session_id:int}/erase", guarded(console.erase, html=False), methods=["POST"]),
        Route("/invites", guarded(console.invites), methods=["GET"]),
        Route("/audit", guarded(console.audit_log), methods=["GET"]),
        Route("/rules", guarded(console.rules), methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=console.lifespan)
    app.add_middleware(SecurityHeaders)
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
        f"/sessions/{session_id}/notes": "POST",
        f"/sessions/{session_id}/flags": "POST",
        f"/sessions/{session_id}/erase": "POST",
        "/logout": "POST",
    }
