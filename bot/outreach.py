"""Sending to a learner outside a bot turn (a navigator's reply, a hand-back note, a
follow-up), in the channel of their conversation.

A text goes out at once through Twilio's Messages API, never to a number that opted out.
A web chat message is stored to wait for the learner's widget: the socket.io channel
delivers it live when the widget is connected, else when it connects again
(bot/channels/socketio.py). Either way the message is kept with the conversation.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, Dict, Optional, Tuple

import aiohttp
from sqlalchemy.engine import Engine

from bot.channels.twilio_client import OptedOut, TwilioClient
from bot.records import thread

SENT, WAITING, OPTED_OUT = "sent", "waiting", "opted_out"


class SmsNotConfigured(RuntimeError):
    """TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM_NUMBER is missing."""


def twilio_from_env(engine: Engine, session: Optional[aiohttp.ClientSession] = None
                    ) -> Optional[TwilioClient]:
    sid, token, number = (os.environ.get(name) or None for name in (
        "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER"))
    if not (sid and token and number):
        return None
    return TwilioClient(sid, token, number, engine, session=session)


def learner_language(referral: Dict[str, Any]) -> str:
    """The language to write to a referral's learner in (the one they asked for)."""
    return "es" if (referral.get("language") or "").lower() in ("spanish", "es") else "en"


def learner_address(referral: Dict[str, Any]) -> Tuple[str, Optional[str]]:
    """The channel a message to this learner goes by, and the phone for a text."""
    if referral["channel"] == "sms":
        return "sms", referral["sender_id"]
    return referral["channel"], None


async def send_to_learner(engine: Engine, twilio: Optional[TwilioClient], *, sender_id: str,
                          channel: str, text: str, author: str,
                          phone: Optional[str] = None,
                          referral_id: Optional[int] = None) -> str:
    """SENT (texted), WAITING (stored for the widget) or OPTED_OUT (nothing sent).

    A text the Messages API refuses raises, and nothing is stored: the caller keeps the
    words and says so."""
    if channel == "sms":
        if twilio is None:
            raise SmsNotConfigured("texts cannot be sent: set TWILIO_ACCOUNT_SID, "
                                   "TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER")
        try:
            await twilio.send(phone or sender_id, text)
        except OptedOut:
            return OPTED_OUT
        await asyncio.to_thread(thread.add, engine, sender_id=sender_id, channel=channel,
                                author=author, text=text, referral_id=referral_id,
                                delivered=True)
        return SENT
    await asyncio.to_thread(thread.add, engine, sender_id=sender_id, channel=channel,
                            author=author, text=text, referral_id=referral_id)
    return WAITING
