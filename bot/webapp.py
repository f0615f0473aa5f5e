"""The aiohttp web app: the demo page, the chat widget's files, and the navigator console
(/console/)."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
from pathlib import Path

from aiohttp import web

from bot import follow_ups
from bot.console.app import create_console
from bot.settings import Settings
from knowledge.db import database_url, make_engine

HERE = Path(__file__).resolve().parent
SETTINGS = web.AppKey("settings", Settings)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


async def demo_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    page = (HERE / "demo" / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{RASA_URL}}", html.escape(settings.public_rasa_url, quote=True))
    # ?lang=es shows the widget as a Spanish page would embed it (data-lang="es").
    page = page.replace("{{LANG}}", "es" if request.query.get("lang") == "es" else "en")
    return web.Response(text=page, content_type="text/html")


async def to_console(_request: web.Request) -> web.Response:
    raise web.HTTPFound("/console/")


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    if request.path.startswith("/static/") and request.path.endswith((".js", ".css")):
        # Learners on phone data: the widget travels gzip-compressed (see bench/widget_bench).
        response.enable_compression()
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.content_type == "text/html":
        rasa = request.app[SETTINGS].public_rasa_url
        # The widget's socket.io connection: long-polling over http(s), then a websocket.
        socket = rasa.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; connect-src 'self' {rasa} {socket}; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
        )
    return response


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app.router.add_get("/", demo_page)
    app.router.add_get("/healthz", health)
    app.router.add_static("/static/", HERE / "widget" / "static")
    app.add_subapp("/console", create_console(
        database_url(), settings.tracker_url, settings.var_dir,
        idle_minutes=settings.console_idle_minutes,
        secure_cookie=settings.console_secure_cookie))
    app.router.add_get("/console", to_console)
    app.cleanup_ctx.append(background_work)
    return app


async def background_work(app: web.Application):
    """Scheduled messages and idle holds (bot/follow_ups.py), beside the pages: every
    replica may run it, since each job and each hold is claimed once."""
    settings = app[SETTINGS]
    engine = make_engine(database_url())
    stop = asyncio.Event()
    task = asyncio.create_task(follow_ups.run(
        engine, hold_idle=dt.timedelta(minutes=settings.hold_idle_minutes),
        every_seconds=settings.worker_seconds, stop=stop))
    yield
    stop.set()
    await task
    engine.dispose()


def main() -> None:
    settings = Settings.from_env()
    web.run_app(
        create_app(settings), host=settings.host, port=settings.web_port, print=None,
        access_log_format='%a "%r" %s %Tfs',
    )


if __name__ == "__main__":
    main()
