"""Outbound texts through Twilio's Messages API (for reminders and navigator messages).

The base URL is configurable (TWILIO_API_BASE_URL) so tests and staging can point it at
a server that speaks the same protocol. An opted-out number is never texted.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Optional

import aiohttp
from sqlalchemy.engine import Engine

from bot.channels import sms_state
from bot.channels.sms import masked
from bot.channels.sms_text import plain, split_texts

DEFAULT_BASE_URL = "https://api.twilio.com"


class OptedOut(Exception):
    """The number texted STOP; nothing may be sent to it."""


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str


class TwilioClient:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, engine: Engine,
                 base_url: Optional[str] = None) -> None:
        self.account_sid = account_sid
        self.auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.from_number = from_number
        self.engine = engine
        self.base_url = (base_url or os.environ.get("TWILIO_API_BASE_URL")
                         or DEFAULT_BASE_URL).rstrip("/")

    async def send(self, to: str, body: str) -> SentMessage:
        if await asyncio.to_thread(sms_state.is_opted_out, self.engine, to):
            raise OptedOut(f"{masked(to)} opted out of texts")
        # One text of at most three segments, in the encoding its characters need.
        text = (split_texts(plain(body), max_texts=1) or [""])[0]
        url = f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        async with aiohttp.ClientSession(auth=self.auth) as http:
            async with http.post(url, data={"To": to, "From": self.from_number,
                                            "Body": text}) as response:
                payload = await response.json(content_type=None)
                if response.status >= 400:
                    raise RuntimeError(f"Twilio refused the message ({response.status}): "
                                       f"{payload.get('message', '')}")
        return SentMessage(sid=payload["sid"], status=payload.get("status", "queued"))
