"""Outbound texts through Twilio's Messages API (reminders, navigator messages, and SMS
replies that came too late for the webhook's TwiML).

The base URL is configurable (TWILIO_API_BASE_URL) so tests and staging can point it at
a server that speaks the same protocol. An opted-out number is never texted. A
long-running caller (the SMS channel) passes its own aiohttp session and closes it
itself; without one, each send opens and closes a session of its own.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Optional

import aiohttp
from sqlalchemy.engine import Engine

from bot.channels.phones import masked
from bot.channels.sms_text import encoding_of, length_in, limit_of, plain, split_texts
from bot.records import sms_state

DEFAULT_BASE_URL = "https://api.twilio.com"


class OptedOut(Exception):
    """The number texted STOP; nothing may be sent to it."""


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str


class TwilioClient:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, engine: Engine,
                 base_url: Optional[str] = None,
                 session: Optional[aiohttp.ClientSession] = None) -> None:
        self.account_sid = account_sid
        self.auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.from_number = from_number
        self.engine = engine
        self.base_url = (base_url or os.environ.get("TWILIO_API_BASE_URL")
                         or DEFAULT_BASE_URL).rstrip("/")
        self.session = session

    async def send(self, to: str, body: str, *, from_number: Optional[str] = None
                   ) -> SentMessage:
        """Texts `body` to `to` from `from_number` (default: the client's number)."""
        if await asyncio.to_thread(sms_state.is_opted_out, self.engine, to):
            raise OptedOut(f"{masked(to)} opted out of texts")
        # One text of at most three segments, in the encoding its characters need; a
        # text that fits (an SMS reply already shaped, with its numbered lines) goes as is.
        text = plain(body)
        if length_in(text, encoding_of(text)) > limit_of(encoding_of(text)):
            text = (split_texts(text, max_texts=1) or [""])[0]
        form = {"To": to, "From": from_number or self.from_number, "Body": text}
        if self.session is not None:
            return await self._post(self.session, form)
        async with aiohttp.ClientSession() as http:
            return await self._post(http, form)

    async def _post(self, http: aiohttp.ClientSession, form: dict) -> SentMessage:
        url = f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        async with http.post(url, data=form, auth=self.auth) as response:
            payload = await response.json(content_type=None)
            if response.status >= 400:
                raise RuntimeError(f"Twilio refused the message ({response.status}): "
                                   f"{payload.get('message', '')}")
        return SentMessage(sid=payload["sid"], status=payload.get("status", "queued"))
