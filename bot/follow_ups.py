"""What the navigator says to learners on its own, later: the follow-up on a referral
nobody has picked up, the class-start reminder a learner asked for, and the note when an
idle navigator's hold ends. Jobs are planned here and sent by bot/worker.py, which the
web app runs (every replica may: each job is claimed once).

The follow-up asks "Reply 1 yes, 2 no", so it goes only where the learner can answer with
a number: their SMS conversation, or the phone they asked to be texted at. A web chat
learner who gave no number for texts gets none; the queue shows their referral as
overdue to the team lead instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any, Dict, Optional

import aiohttp
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.channels.twilio_client import TwilioClient
from bot.outreach import (
    OPTED_OUT,
    learner_address,
    learner_language,
    send_to_learner,
    twilio_from_env,
)
from bot.quiet_hours import OREGON, add_working_days, next_sendable
from bot.records import holds, schedule, sms_state, store, thread
from bot.records.tables import referrals, utcnow
from bot.wording import say_in
from bot.worker import SENT, SKIPPED, Job, Worker

logger = logging.getLogger(__name__)
FOLLOW_UP, CLASS_START = "follow_up", "class_start"
FOLLOW_UP_DAYS = 2  # working days a referral may stay "new" before the learner is asked
REMINDER_DAYS = 3  # days before a class starts
REMINDER_HOUR = 10  # Oregon time: mid-morning, inside the quiet hours
# The learner's "1" or "2" after the follow-up: a status question carrying the answer
# (the `followup` entity; actions/follow_ups.py).
FOLLOW_UP_CHOICES = (("say_followup_button_yes", '/check_referral{"followup": "reached"}'),
                     ("say_followup_button_no", '/check_referral{"followup": "not_reached"}'))


def follow_up_address(referral: Dict[str, Any]) -> Optional[tuple[str, str]]:
    """Where a follow-up can be answered with a number: ("sms", phone), or None."""
    channel, phone = learner_address(referral)
    if channel == "sms":
        return channel, phone
    if referral.get("contact_method") == "text" and referral.get("phone"):
        return "sms", referral["phone"]
    return None


def plan_follow_up(engine: Engine, code: str) -> bool:
    """Schedules the referral's follow-up for 2 working days after it was made."""
    referral = store.referral_by_code(engine, code)
    address = follow_up_address(referral) if referral else None
    if address is None:
        return False
    created = referral["created_at"]
    created = created if created.tzinfo else created.replace(tzinfo=dt.timezone.utc)
    return schedule.schedule(
        engine, key=f"{FOLLOW_UP}:{referral['id']}", kind=FOLLOW_UP,
        sender_id=referral["sender_id"], channel=address[0], phone=address[1],
        language=learner_language(referral), entry="say_followup_question",
        params={"code": referral["code"]}, referral_id=referral["id"],
        due_at=next_sendable(add_working_days(created, FOLLOW_UP_DAYS)))


def reminder_day(starts: dt.date) -> dt.date:
    return starts - dt.timedelta(days=REMINDER_DAYS)


def reminder_time(starts: dt.date) -> dt.datetime:
    return dt.datetime.combine(reminder_day(starts), dt.time(REMINDER_HOUR), OREGON
                               ).astimezone(dt.timezone.utc)


def plan_class_reminder(engine: Engine, *, sender_id: str, channel: str, language: str,
                        program_id: str, starts: dt.date, facts: Dict[str, str]) -> bool:
    """Schedules a reminder 3 days before `starts`; False if one is already planned."""
    return schedule.schedule(
        engine, key=f"{CLASS_START}:{sender_id}:{program_id}:{starts.isoformat()}",
        kind=CLASS_START, sender_id=sender_id, channel=channel,
        phone=sender_id if channel == "sms" else None, language=language,
        entry="say_class_reminder", params=facts, due_at=reminder_time(starts))


class Sender:
    """The worker's `deliver` and `should_send`, and the idle-hold sweep, on one engine and
    one Messages API client."""

    def __init__(self, engine: Engine, twilio: Optional[TwilioClient]) -> None:
        self.engine = engine
        self.twilio = twilio

    async def should_send(self, job: Job) -> Optional[str]:
        if job["kind"] != FOLLOW_UP or job["referral_id"] is None:
            return None
        status = await asyncio.to_thread(self._status, job["referral_id"])
        return None if status == "new" else f"the referral is {status} now"

    def _status(self, referral_id: int) -> Optional[str]:
        with self.engine.connect() as conn:
            return conn.execute(select(referrals.c.status).where(
                referrals.c.id == referral_id)).scalar_one_or_none()

    async def deliver(self, job: Job) -> str:
        if job["channel"] == "sms" and self.twilio is None:
            # Retrying cannot help until an operator sets the Messages API up.
            logger.warning("Scheduled text %s not sent: set TWILIO_ACCOUNT_SID, "
                           "TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER", job["id"])
            return SKIPPED
        text = say_in(job["language"], job["entry"], **(job["params"] or {}))
        outcome = await send_to_learner(
            self.engine, self.twilio, sender_id=job["sender_id"], channel=job["channel"],
            phone=job["phone"], text=text, author=thread.BOT, referral_id=job["referral_id"])
        if outcome == OPTED_OUT:
            return SKIPPED
        if job["kind"] == FOLLOW_UP and job["channel"] == "sms":
            choices = [{"title": say_in(job["language"], title), "payload": payload}
                       for title, payload in FOLLOW_UP_CHOICES]
            await asyncio.to_thread(sms_state.remember_choices, self.engine, job["phone"],
                                    choices)
        return SENT

    async def release_idle_holds(self, idle: dt.timedelta) -> int:
        """Hands conversations back to the bot when their navigator has gone quiet, with
        a note to the learner so they know the bot is answering again."""
        released = 0
        idle_before = utcnow() - idle
        for held in await asyncio.to_thread(holds.stale, self.engine, idle_before):
            if not await asyncio.to_thread(holds.release_if_idle, self.engine,
                                           held["sender_id"], idle_before):
                continue  # the navigator just wrote, or another worker did it
            released += 1
            referral = await asyncio.to_thread(
                store.referral_for, self.engine, {"role": "admin"}, held["referral_id"])
            await asyncio.to_thread(store.add_note, self.engine, held["referral_id"], "bot",
                                    "Handed back to the bot: no navigator activity for "
                                    f"{int(idle.total_seconds() // 60)} minutes.")
            if referral is None or referral["erased_at"] is not None:
                continue
            channel, phone = learner_address(referral)
            try:
                await send_to_learner(
                    self.engine, self.twilio, sender_id=referral["sender_id"],
                    channel=channel, phone=phone, author=thread.BOT,
                    text=say_in(learner_language(referral), "say_handed_back"),
                    referral_id=referral["id"])
            except Exception:  # the hand-back stands; only the note did not go out
                logger.exception("Hand-back note for referral %s not sent", referral["id"])
        return released


async def run(engine: Engine, *, hold_idle: dt.timedelta, every_seconds: float,
              stop: asyncio.Event) -> None:
    """The web app's background work: scheduled messages due, then idle holds, every
    `every_seconds`, until `stop`. A failed round is logged and the next one tries again."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        sender = Sender(engine, twilio_from_env(engine, http))
        worker = Worker(engine, sender.deliver, should_send=sender.should_send)
        while not stop.is_set():
            try:
                await worker.run_once()
                await sender.release_idle_holds(hold_idle)
            except Exception:
                logger.exception("Scheduled messages and holds: round failed; retrying")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), every_seconds)
