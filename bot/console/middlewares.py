"""Security headers, sign-in and CSRF, for every console request."""

from __future__ import annotations

import time

from aiohttp import web
from aiohttp_session import get_session

from bot.console.keys import IDLE_SECONDS, PREFIX
from bot.console.pages import db, render
from bot.console.security import new_token, same_token
from bot.records import store

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
