"""The console's aiohttp application, mounted by the web app at /console/.

Server-rendered HTML that works without JavaScript. Sessions live in an encrypted,
HttpOnly, SameSite=Strict cookie (aiohttp-session + Fernet); every form carries the
session's CSRF token; every page answers with a strict CSP and no framing. The app owns
its database engines and its Messages API session: made at start-up, closed at cleanup.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path

import aiohttp
import jinja2
from aiohttp import web
from aiohttp_session import setup as setup_sessions
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.console.keys import ENGINE, IDLE_SECONDS, PREFIX, TEMPLATES, THROTTLE, TRACKER, TWILIO
from bot.console.middlewares import authentication, csrf_check, security_headers
from bot.console.routes import setup_routes
from bot.console.security import LoginThrottle
from bot.outreach import twilio_from_env
from bot.records import store
from knowledge.db import make_engine

HERE = Path(__file__).resolve().parent
# A session ends after this long even when in use; the idle limit usually comes first.
ABSOLUTE_SESSION_SECONDS = 12 * 3600


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


def create_console(database_url: str, tracker_url: str, var_dir: Path, *,
                   idle_minutes: int = 30, secure_cookie: bool = True) -> web.Application:
    app = web.Application()
    setup_sessions(app, EncryptedCookieStorage(
        session_key(var_dir), cookie_name="navigator_console", path=PREFIX, httponly=True,
        secure=secure_cookie, samesite="Strict", max_age=ABSOLUTE_SESSION_SECONDS))
    app.middlewares.extend([security_headers, authentication, csrf_check])
    app[THROTTLE] = LoginThrottle()
    app[IDLE_SECONDS] = idle_minutes * 60
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined)
    app[TEMPLATES].filters["status_words"] = lambda s: store.STATUS_WORDS.get(s, s)
    app.cleanup_ctx.append(databases(database_url, tracker_url))
    app.cleanup_ctx.append(sms_client)
    setup_routes(app)
    return app


def databases(database_url: str, tracker_url: str):
    async def engines(app: web.Application):
        app[ENGINE] = make_engine(database_url)
        app[TRACKER] = make_engine(tracker_url)
        yield
        app[ENGINE].dispose()
        app[TRACKER].dispose()
    return engines


async def sms_client(app: web.Application):
    """The Messages API client for navigators' texts, on one session for the app's life."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
    app[TWILIO] = twilio_from_env(app[ENGINE], session)
    yield
    await session.close()
