"""Logging in and out of the console."""

from __future__ import annotations

import asyncio
import secrets
import time

from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.console.keys import PREFIX, THROTTLE
from bot.console.pages import db, render
from bot.console.security import new_token, verify_password
from bot.records import store


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
