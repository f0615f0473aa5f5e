"""The console's aiohttp application, mounted by the web app at /console/.

Server-rendered HTML that works without JavaScript. Sessions live in an encrypted,
HttpOnly, SameSite=Strict cookie (aiohttp-session + Fernet); every form carries the
session's CSRF token; every page answers with a strict CSP and no framing.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import jinja2
from aiohttp import web
from aiohttp_session import get_session, new_session
from aiohttp_session import setup as setup_sessions
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from sqlalchemy.engine import Engine

from bot.console.security import LoginThrottle, new_token, same_token, verify_password
from bot.outreach import twilio_from_env
from bot.records import store

HERE = Path(__file__).resolve().parent
PREFIX = "/console"
ENGINE = web.AppKey("engine", Engine)
TRACKER = web.AppKey("tracker", Engine)
TWILIO = web.AppKey("twilio", object)  # a TwilioClient, or None without SMS settings
THROTTLE = web.AppKey("throttle", LoginThrottle)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
IDLE_SECONDS = web.AppKey("idle_seconds", int)
# A session ends after this long even when in use; the idle limit usually comes first.
ABSOLUTE_SESSION_SECONDS = 12 * 3600
OPEN_PATHS = {f"{PREFIX}/login", f"{PREFIX}/static/console.css"}
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        "connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def session_key(var_dir: Path) -> bytes:
    """NAVIGATOR_CONSOLE_SECRET, else a key kept in var/console.key (made once, mode 600)."""
    configured = os.environ.get("NAVIGATOR_CONSOLE_SECRET")
    if configured:
        key = base64.urlsafe_b64decode(configured.encode())
        if len(key) != 32:
            raise SystemExit("NAVIGATOR_CONSOLE_SECRET must be 32 bytes, URL-safe base64 "
                             "(make one: python -c 'import secrets,base64;"
                             "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')")
        return key
    path = var_dir / "console.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        print(f"Console: made a session key in {path}", file=sys.stderr)
    return path.read_bytes()


def render(request: web.Request, template: str, http_status: int = 200, **context: Any):
    env = request.app[TEMPLATES]
    page = env.get_template(template).render(
        user=request.get("user"), csrf=request.get("csrf"), prefix=PREFIX, **context)
    return web.Response(text=page, status=http_status, content_type="text/html")


async def db(request: web.Request, function, *args, **kwargs):
    """Runs a store call in a thread: the event loop keeps serving everyone else."""
    return await asyncio.to_thread(function, request.app[ENGINE], *args, **kwargs)


@web.middleware
async def security_headers(request: web.Request, handler):
    try:
        response = await handler(request)
    except web.HTTPException as error:  # redirects and errors get the headers too
        error.headers.update(HEADERS)
        raise
    if not response.prepared:  # a stream (the live feed) set its own before it began
        response.headers.update(HEADERS)
    return response


@web.middleware
async def authentication(request: web.Request, handler):
    session = await get_session(request)
    if "csrf" not in session:
        session["csrf"] = new_token()
    request["csrf"] = session["csrf"]
    if request.path in OPEN_PATHS:
        return await handler(request)
    user_id = session.get("user_id")
    last_seen = session.get("last_seen", 0)
    if user_id is not None and time.time() - last_seen > request.app[IDLE_SECONDS]:
        session.invalidate()
        raise web.HTTPSeeOther(f"{PREFIX}/login?expired=1")
    user = await db(request, store.user_by_id, user_id) if user_id is not None else None
    if user is None or not user["active"]:
        raise web.HTTPSeeOther(f"{PREFIX}/login")
    session["last_seen"] = int(time.time())
    request["user"] = user
    return await handler(request)


@web.middleware
async def csrf_check(request: web.Request, handler):
    if request.method == "POST":
        try:
            form = await request.post()
        except Exception:  # noqa: BLE001 - any body a browser form would not send
            return render(request, "error.html", http_status=400,
                          message="That request could not be read.")
        if not same_token(request.get("csrf"), form.get("csrf")):
            return render(request, "error.html", http_status=403,
                          message="This form has expired. Go back, reload the page and "
                                  "try again.")
    return await handler(request)


async def login_page(request: web.Request) -> web.Response:
    message = "Your session ended after a quiet spell. Please log in again." if (
        request.query.get("expired")) else None
    return render(request, "login.html", message=message)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    username = str(form.get("username", "")).strip()[:80]
    password = str(form.get("password", ""))
    address = request.remote or "?"
    throttle = request.app[THROTTLE]
    if throttle.blocked(username, address):
        return render(request, "login.html", http_status=429,
                      message="Too many tries. Wait a minute, then try again.")
    user = await db(request, store.user_by_name, username)
    ok = await asyncio.to_thread(verify_password, user and user["password_hash"], password)
    if not ok or not user["active"]:
        throttle.failed(username, address)
        return render(request, "login.html", http_status=401,
                      message="That username and password do not match.")
    throttle.succeeded(username)
    # A fresh session (new cookie contents, new CSRF token) so nothing from before login
    # carries over.
    session = await new_session(request)
    session["user_id"] = user["id"]
    session["csrf"] = new_token()
    session["last_seen"] = int(time.time())
    session["sid"] = secrets.token_urlsafe(16)
    raise web.HTTPSeeOther(f"{PREFIX}/")


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPSeeOther(f"{PREFIX}/login")


def create_console(engine: Engine, tracker_engine: Engine, var_dir: Path, *,
                   idle_minutes: int = 30, secure_cookie: bool = True) -> web.Application:
    from bot.console import conversation, views

    app = web.Application()
    setup_sessions(app, EncryptedCookieStorage(
        session_key(var_dir), cookie_name="navigator_console", path=PREFIX, httponly=True,
        secure=secure_cookie, samesite="Strict", max_age=ABSOLUTE_SESSION_SECONDS))
    app.middlewares.extend([security_headers, authentication, csrf_check])
    app[ENGINE] = engine
    app[TRACKER] = tracker_engine
    app[THROTTLE] = LoginThrottle()
    app[IDLE_SECONDS] = idle_minutes * 60
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined)
    app[TEMPLATES].filters["status_words"] = lambda s: store.STATUS_WORDS.get(s, s)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", views.queue_page)
    app.router.add_get("/referrals/{id:\\d+}", views.referral_page)
    app.router.add_post("/referrals/{id:\\d+}/status", views.change_status)
    app.router.add_post("/referrals/{id:\\d+}/assign", views.assign)
    app.router.add_post("/referrals/{id:\\d+}/messages", conversation.send_message)
    app.router.add_post("/referrals/{id:\\d+}/handback", conversation.hand_back)
    app.router.add_get("/referrals/{id:\\d+}/feed", conversation.feed)
    app.router.add_get("/export.csv", views.export_csv)
    app.router.add_get("/audit", views.audit_page)
    app.router.add_get("/users", views.users_page)
    app.router.add_static("/static/", HERE / "static")
    app.cleanup_ctx.append(sms_client)
    return app


async def sms_client(app: web.Application):
    """The Messages API client for navigators' texts, on one session for the app's life."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
    app[TWILIO] = twilio_from_env(app[ENGINE], session)
    yield
    await session.close()
