"""SMS for learners on a basic phone: a Rasa input channel for Twilio's Messaging webhook.

In credentials.yml:

    bot.channels.sms.SMSInput:

It reads its settings from the environment: TWILIO_AUTH_TOKEN (required; without it every
request gets 503), NAVIGATOR_SMS_PUBLIC_URL, the exact URL Twilio calls (behind a proxy it
differs from what this server sees; the signature covers it), TWILIO_ACCOUNT_SID and
TWILIO_FROM_NUMBER for Twilio's Messages API (late replies, below; TWILIO_API_BASE_URL
points it elsewhere), and NAVIGATOR_SMS_TURN_SECONDS (the reply window, default 12).

POST /webhooks/sms/webhook (form-encoded From, To, Body, MessageSid, ...):
- an unsigned or wrongly signed request gets 403 and never reaches the bot;
- STOP words record an opt-out (one confirmation, then silence) until START words;
  HELP/INFO say who we are; only a message that is exactly the keyword counts;
- a reply of "1", "2"... picks that numbered choice of the last message;
- the answer is TwiML with every text GSM-7 (UCS-2 when the characters need it) and at
  most three segments.

Late replies. Twilio waits 15 s for the TwiML, so the bot turn gets a window of
NAVIGATOR_SMS_TURN_SECONDS (12 s). A turn that outlasts it is never cut off: Twilio gets
the say_sms_too_slow text at once, the turn runs on in a task of its own, and its texts,
shaped exactly like an on-time answer, go out through the Messages API
(bot/channels/twilio_client.py, one aiohttp session for the channel's life, closed when
the server stops). An opted-out number is never texted; an API failure is logged (with
the number masked) and never reaches the server. Without TWILIO_ACCOUNT_SID and
TWILIO_FROM_NUMBER the turn still finishes, but its reply cannot be delivered (a warning
at start-up says so).

Exactly once, per MessageSid (bot/channels/sms_dedupe.py, shared by every replica): the
first delivery claims it and runs the one bot turn; the store then holds what Twilio was
answered and later what is still owed. A retry never starts a turn: it gets the on-time
answer again; while a late turn runs, the too-slow text again; once the late texts went
out by the API, an empty answer (only texts the API could not take are given again).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set
from xml.sax.saxutils import escape

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine
from twilio.request_validator import RequestValidator

from bot.channels import sms_dedupe
from bot.channels.holds import HoldGuard
from bot.channels.phones import e164, masked
from bot.channels.sms_text import turn_texts
from bot.channels.twilio_client import OptedOut, TwilioClient
from bot.nlu.language import chosen_language, written_language
from bot.records import sms_state
from bot.wording import DEFAULT, LANGUAGE_SLOT, known, say_in
from knowledge.db import make_engine

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP", "YES"}
HELP_WORDS = {"HELP", "INFO", "AYUDA"}
TWILIO_WAIT_SECONDS = 15.0  # Twilio gives up on our TwiML after this long
TURN_SECONDS = 12.0  # the default reply window, inside Twilio's
RETRY_WAIT_SECONDS = 10.0
API_TIMEOUT_SECONDS = 30.0  # one Messages API call
DRAIN_SECONDS = 5.0  # how long a stopping server lets late turns finish
# What Twilio answers the learner when the window passes: with the Messages API the
# reply follows by text; without it, it cannot.
LATE_NOTICE = "say_sms_still_working"
NO_API_NOTICE = "say_sms_too_slow"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


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


def turn_seconds(raw: Optional[str]) -> float:
    """The reply window from NAVIGATOR_SMS_TURN_SECONDS: more than 0, less than 15."""
    if not raw:
        return TURN_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < TWILIO_WAIT_SECONDS:
        logger.warning("SMS channel: NAVIGATOR_SMS_TURN_SECONDS=%r is not a number of seconds "
                       "above 0 and under %.0f (Twilio's wait); using %.0f.",
                       raw, TWILIO_WAIT_SECONDS, TURN_SECONDS)
        return TURN_SECONDS
    return seconds


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
            account_sid=os.environ.get("TWILIO_ACCOUNT_SID") or None,
            from_number=os.environ.get("TWILIO_FROM_NUMBER") or None,
            turn_seconds=turn_seconds(os.environ.get("NAVIGATOR_SMS_TURN_SECONDS")),
        )

    def __init__(self, auth_token: Optional[str], public_url: Optional[str] = None,
                 database_url: Optional[str] = None, *, account_sid: Optional[str] = None,
                 from_number: Optional[str] = None, api_base_url: Optional[str] = None,
                 turn_seconds: float = TURN_SECONDS) -> None:
        self.validator = RequestValidator(auth_token) if auth_token else None
        self.public_url = public_url
        self.turn_seconds = turn_seconds
        self._database_url = database_url
        self._engine: Optional[Engine] = None
        self._dedupe: Optional[sms_dedupe.Dedupe] = None
        self._api = ((account_sid, auth_token, from_number)
                     if account_sid and auth_token and from_number else None)
        self._api_base_url = api_base_url
        self._http: Optional[aiohttp.ClientSession] = None
        self._client: Optional[TwilioClient] = None
        self._tasks: Set[asyncio.Task] = set()  # turns and late deliveries still running
        if not auth_token:
            logger.warning("SMS channel: TWILIO_AUTH_TOKEN is not set; it answers 503.")
        elif self._api is None:
            logger.warning(
                "SMS channel: TWILIO_ACCOUNT_SID or TWILIO_FROM_NUMBER is not set, so a "
                "reply that takes over %g s cannot be texted later: the learner gets only "
                "the too-slow message and the late reply is lost.", self.turn_seconds)

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

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        hook = Blueprint("sms_webhook", __name__)
        # A navigator's hold keeps the bot quiet; their texts go out when written.
        guard = HoldGuard(self._database_url, deliver_waiting=False)
        on_new_message = guard.wrap(on_new_message)
        hook.listener("before_server_start")(guard.bind)

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
            agent = getattr(request.app.ctx, "agent", None)
            return twiml(await self.handle(
                sid, phone, body, on_new_message,
                store=getattr(agent, "tracker_store", None),
                reply_from=e164(request.form.get("To", ""))))

        @hook.listener("before_server_stop")
        async def close(*_: Any) -> None:
            await self.close()

        return hook

    async def handle(self, sid: str, phone: str, body: str, on_new_message: OnNewMessage,
                     *, store: Any = None, reply_from: Optional[str] = None) -> List[str]:
        """The texts to answer Twilio with for one delivery of a learner's text.

        `store` is the tracker store (for the conversation's language); `reply_from` the
        number the learner texted, which late replies come from.
        """
        if not await asyncio.to_thread(self.dedupe.claim, sid):
            return await self._replay(sid)
        turn = self._keep(asyncio.create_task(self._answer(store, phone, body, on_new_message)))
        try:
            replies = await asyncio.wait_for(asyncio.shield(turn), self.turn_seconds)
        except asyncio.TimeoutError:
            logger.warning("SMS turn for %s took over %g s; %s", masked(phone),
                           self.turn_seconds, "its reply follows by the Messages API"
                           if self._api else "its reply cannot be delivered")
            notice = asyncio.get_running_loop().create_future()
            self._keep(asyncio.create_task(self._finish_late(
                sid, phone, reply_from, turn, notice, store, body)))
            text = await asyncio.shield(notice)
            return [text] if text else []
        except asyncio.CancelledError:
            # Twilio (or a proxy) hung up: the turn goes on and its reply goes by the API.
            self._keep(asyncio.create_task(self._finish_late(sid, phone, reply_from, turn)))
            raise
        except Exception:
            await asyncio.to_thread(self.dedupe.release, sid)
            logger.exception("SMS turn failed for %s", masked(phone))
            raise
        await asyncio.to_thread(self.dedupe.record, sid, replies)
        return replies

    def _keep(self, task: asyncio.Task) -> asyncio.Task:
        """Holds a task until it ends (the event loop keeps only weak references)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _finish_late(self, sid: str, phone: str, reply_from: Optional[str],
                           turn: asyncio.Task, notice: Optional[asyncio.Future] = None,
                           store: Any = None, body: str = "") -> None:
        """A turn that outlasted the window: settles `notice` (the text Twilio gets now)
        and records it for retries, waits for the turn, texts its reply by the Messages
        API, and records what is still owed. One task, so the records stay in order."""
        try:
            if notice is not None:
                entry = LATE_NOTICE if self._api else NO_API_NOTICE
                try:
                    text = say_in(await self._language(store, phone, body), entry)
                except Exception:
                    logger.exception("SMS: no language for %s; the notice is in English",
                                     masked(phone))
                    text = say_in(DEFAULT, entry)
                notice.set_result(text)
                await asyncio.to_thread(self.dedupe.record, sid, [text])
            try:
                texts = await turn
            except Exception:
                logger.exception("SMS turn failed for %s after the reply window", masked(phone))
                if notice is None:  # Twilio got no answer: its retry may run the turn
                    await asyncio.to_thread(self.dedupe.release, sid)
                return
            owed = await self._send_late(phone, reply_from, texts)
            await asyncio.to_thread(self.dedupe.record, sid, owed)
        except Exception:
            logger.exception("SMS late reply for %s failed", masked(phone))
        finally:
            if notice is not None and not notice.done():
                notice.set_result(None)

    async def _send_late(self, phone: str, reply_from: Optional[str],
                         texts: List[str]) -> List[str]:
        """Texts a late reply in order; returns the texts that did not go out (nothing
        for an opted-out number: it must never get them)."""
        if not texts:
            return []
        client = self._twilio()
        if client is None:
            logger.warning("SMS late reply for %s not delivered: the Messages API is not "
                           "configured", masked(phone))
            return texts
        for index, text in enumerate(texts):
            try:
                await client.send(phone, text, from_number=reply_from)
            except OptedOut:
                logger.info("SMS late reply for %s not sent: the number opted out",
                            masked(phone))
                return []
            except Exception as error:
                reason = str(error).replace(phone, masked(phone))  # Twilio may quote it
                logger.error("SMS late reply for %s not sent (%s: %s); %d of %d texts owed",
                             masked(phone), type(error).__name__, reason,
                             len(texts) - index, len(texts))
                return texts[index:]
        logger.info("SMS late reply for %s sent by the Messages API (texts: %d)",
                    masked(phone), len(texts))
        return []

    def _twilio(self) -> Optional[TwilioClient]:
        """The Messages API client, on one session for the channel's life (made on first
        use, inside the server's event loop)."""
        if self._api is None:
            return None
        if self._client is None:
            account_sid, auth_token, from_number = self._api
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=API_TIMEOUT_SECONDS))
            self._client = TwilioClient(account_sid, auth_token, from_number, self.engine,
                                        base_url=self._api_base_url, session=self._http)
        return self._client

    async def close(self) -> None:
        """Lets running late turns finish (a little while), then closes the API session."""
        running = [task for task in self._tasks if not task.done()]
        if running:
            logger.info("SMS channel: waiting up to %.0f s for %d late turns",
                        DRAIN_SECONDS, len(running))
            await asyncio.wait(running, timeout=DRAIN_SECONDS)
        if self._http is not None:
            await self._http.close()
            self._http, self._client = None, None
            logger.info("SMS channel: Messages API session closed.")

    async def _replay(self, sid: str) -> List[str]:
        """A retry: what the first delivery answered (or still owes), once it exists."""
        deadline = asyncio.get_running_loop().time() + RETRY_WAIT_SECONDS
        while True:
            replies = await asyncio.to_thread(self.dedupe.answered, sid)
            if replies is not None or asyncio.get_running_loop().time() > deadline:
                return replies or []
            await asyncio.sleep(0.2)

    async def _language(self, store: Any, phone: str, body: str) -> str:
        """The conversation's language (its tracker's slot), or the text's own."""
        said = chosen_language(body) or written_language(body)
        if said or store is None:
            return known(said)
        tracker = await store.retrieve(phone)
        return known(tracker.get_slot(LANGUAGE_SLOT) if tracker else None)

    async def _answer(self, store: Any, phone: str, body: str,
                      on_new_message: OnNewMessage) -> List[str]:
        word = keyword(body)
        if word in STOP_WORDS | START_WORDS | HELP_WORDS:
            language = "es" if word == "AYUDA" else await self._language(store, phone, "")
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
        await on_new_message(message)
        texts, choices = shape(collector.messages, await self._language(store, phone, ""))
        await self._db(sms_state.remember_choices, phone, choices)
        return texts
