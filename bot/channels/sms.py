"""SMS for learners on a basic phone: a Rasa input channel for Twilio's Messaging webhook.

In credentials.yml:

    bot.channels.sms.SMSInput:

It reads its secrets from the environment: TWILIO_AUTH_TOKEN (required; without it every
request gets 503) and NAVIGATOR_SMS_PUBLIC_URL, the exact URL Twilio calls (behind a
proxy it differs from what this server sees; the signature covers it).

POST /webhooks/sms/webhook (form-encoded From, To, Body, MessageSid, ...):
- an unsigned or wrongly signed request gets 403 and never reaches the bot;
- a MessageSid already answered gets the same TwiML again, with no second bot turn;
- STOP words record an opt-out (one confirmation, then silence) until START words;
  HELP/INFO say who we are; only a message that is exactly the keyword counts;
- a reply of "1", "2"... picks that numbered choice of the last message;
- the answer is TwiML with every text GSM-7 and at most 320 characters.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional
from xml.sax.saxutils import escape

import phonenumbers
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine
from twilio.request_validator import RequestValidator

from bot.channels import sms_dedupe, sms_state
from bot.channels.sms_text import turn_texts
from bot.nlu.language import chosen_language, written_language
from bot.wording import LANGUAGE_SLOT, known, say_in
from knowledge.db import make_engine

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP", "YES"}
HELP_WORDS = {"HELP", "INFO", "AYUDA"}
TURN_SECONDS = 12.0  # Twilio waits 15 s for our TwiML
RETRY_WAIT_SECONDS = 10.0


def masked(phone: str) -> str:
    """Phone numbers are personal data: logs get only the last four digits."""
    return f"***{phone[-4:]}" if phone else "?"


def e164(raw: str) -> Optional[str]:
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def keyword(body: str) -> str:
    return "".join(body.split()).upper()


def twiml(messages: List[str]) -> HTTPResponse:
    body = "".join(f"<Message>{escape(m)}</Message>" for m in messages)
    return response.text(f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                         content_type="application/xml")


def shape(bot_messages: List[Dict[str, Any]], language: str = "en"
          ) -> tuple[List[str], List[Dict[str, str]]]:
    """A turn's bot messages as SMS texts, and the numbered choices the learner may
    answer (the last message's that has any)."""
    choices: List[Dict[str, str]] = []
    parts = []
    for message in bot_messages:
        buttons = [{"title": str(b.get("title")), "payload": str(b.get("payload"))}
                   for b in message.get("buttons") or []]
        if buttons:
            choices = buttons
        parts.append((str(message.get("text") or ""), [b["title"] for b in buttons]))
    return [t for t in turn_texts(parts, language) if t], choices


class SMSInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            auth_token=os.environ.get("TWILIO_AUTH_TOKEN") or None,
            public_url=os.environ.get("NAVIGATOR_SMS_PUBLIC_URL") or None,
            database_url=credentials.get("database_url"),
        )

    def __init__(self, auth_token: Optional[str], public_url: Optional[str] = None,
                 database_url: Optional[str] = None) -> None:
        self.validator = RequestValidator(auth_token) if auth_token else None
        self.public_url = public_url
        self._database_url = database_url
        self._engine: Optional[Engine] = None
        self._dedupe: Optional[sms_dedupe.Dedupe] = None
        if not auth_token:
            logger.warning("SMS channel: TWILIO_AUTH_TOKEN is not set; it answers 503.")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self._database_url)
        return self._engine

    @property
    def dedupe(self) -> sms_dedupe.Dedupe:
        if self._dedupe is None:
            self._dedupe = sms_dedupe.from_env(self.engine)
        return self._dedupe

    async def _db(self, function: Callable, *args: Any) -> Any:
        return await asyncio.to_thread(function, self.engine, *args)

    def _signed(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or self.validator is None:
            return False
        url = self.public_url or request.url
        params = {key: values[0] for key, values in request.form.items()}
        return self.validator.validate(url, params, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("sms_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.validator else "not configured"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.validator is None:
                return response.text("SMS is not configured.", status=503)
            if "form" not in (request.content_type or "") or not self._signed(request):
                return response.text("Forbidden: not signed by Twilio.", status=403)
            phone = e164(request.form.get("From", ""))
            sid = request.form.get("MessageSid") or request.form.get("SmsSid")
            body = (request.form.get("Body") or "").strip()
            if not phone or not sid:
                return response.text("From and MessageSid are required.", status=400)
            if not await asyncio.to_thread(self.dedupe.claim, sid):
                return twiml(await self._replay(sid))
            try:
                replies = await self._answer(request, phone, body, on_new_message)
            except Exception:
                await asyncio.to_thread(self.dedupe.release, sid)
                logger.exception("SMS turn failed for %s", masked(phone))
                raise
            await asyncio.to_thread(self.dedupe.record, sid, replies)
            return twiml(replies)

        return hook

    async def _replay(self, sid: str) -> List[str]:
        """A retry: the first delivery's answer, once it exists."""
        deadline = asyncio.get_running_loop().time() + RETRY_WAIT_SECONDS
        while True:
            replies = await asyncio.to_thread(self.dedupe.answered, sid)
            if replies is not None or asyncio.get_running_loop().time() > deadline:
                return replies or []
            await asyncio.sleep(0.2)

    async def _language(self, request: Request, phone: str, body: str) -> str:
        """The conversation's language (its tracker's slot), or the text's own."""
        said = chosen_language(body) or written_language(body)
        agent = getattr(request.app.ctx, "agent", None)
        store = getattr(agent, "tracker_store", None)
        if said or store is None:
            return known(said)
        tracker = await store.retrieve(phone)
        return known(tracker.get_slot(LANGUAGE_SLOT) if tracker else None)

    async def _answer(self, request: Request, phone: str, body: str,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> List[str]:
        word = keyword(body)
        if word in STOP_WORDS | START_WORDS | HELP_WORDS:
            language = "es" if word == "AYUDA" else await self._language(request, phone, "")
        if word in STOP_WORDS:
            already = await self._db(sms_state.is_opted_out, phone)
            await self._db(sms_state.opt_out, phone)
            logger.info("SMS opt-out from %s", masked(phone))
            return [] if already else [say_in(language, "say_sms_stopped")]
        if word in START_WORDS:
            await self._db(sms_state.opt_in, phone)
            return [say_in(language, "say_sms_started")]
        if await self._db(sms_state.is_opted_out, phone):
            return []  # nothing goes out to an opted-out number
        if word in HELP_WORDS:
            return [say_in(language, "say_sms_help")]
        text = body
        if body.isdigit():
            choices = await self._db(sms_state.last_choices, phone)
            index = int(body) - 1
            if 0 <= index < len(choices):
                text = choices[index]["payload"]
        collector = CollectingOutputChannel()
        message = UserMessage(text, collector, phone, input_channel=self.name(),
                              metadata={"sms_sid_present": True})
        try:
            await asyncio.wait_for(on_new_message(message), TURN_SECONDS)
        except asyncio.TimeoutError:
            logger.warning("SMS turn for %s took over %.0f s", masked(phone), TURN_SECONDS)
            return [say_in(await self._language(request, phone, body), "say_sms_too_slow")]
        texts, choices = shape(collector.messages, await self._language(request, phone, ""))
        await self._db(sms_state.remember_choices, phone, choices)
        return texts
