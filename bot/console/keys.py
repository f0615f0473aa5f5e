"""The console's application keys and the path it is mounted at."""

from __future__ import annotations

import jinja2
from aiohttp import web
from sqlalchemy.engine import Engine

from bot.console.security import LoginThrottle

PREFIX = "/console"
ENGINE = web.AppKey("engine", Engine)  # the navigator database
TRACKER = web.AppKey("tracker", Engine)  # Rasa's tracker store (the conversations)
TWILIO = web.AppKey("twilio", object)  # a TwilioClient, or None without SMS settings
THROTTLE = web.AppKey("throttle", LoginThrottle)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
IDLE_SECONDS = web.AppKey("idle_seconds", int)
