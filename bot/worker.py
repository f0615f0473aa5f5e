"""Sends the scheduled messages to learners (bot/records/schedule.py) when they are due,
only in Oregon's sendable hours (bot/quiet_hours.py), retrying failures with backoff.

Several workers may run at once, in one process or many: each job is claimed under a
lease, one at a time just before it is sent, so a slow delivery never lets another
worker's claim catch up with jobs this one still holds. Delivery must finish well within
the lease. Between a delivery and its record lies one gap: if the database is unreachable
right after a text went out, the job is sent again once its lease runs out (at least once,
never silently dropped).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
from typing import Any, Awaitable, Callable, Dict, Optional

from sqlalchemy.engine import Engine

from bot.channels.phones import masked
from bot.quiet_hours import next_sendable
from bot.records import schedule
from bot.records.tables import utcnow

logger = logging.getLogger(__name__)

Job = Dict[str, Any]
Deliver = Callable[[Job], Awaitable[str]]
ShouldSend = Callable[[Job], Awaitable[Optional[str]]]
SENT, SKIPPED = "sent", "skipped"


def default_owner() -> str:
    """Unique across hosts, processes and restarts (a pid can be reused)."""
    return f"{socket.gethostname()[:60]}-{os.getpid()}-{secrets.token_hex(4)}"


def _describe(job: Job) -> str:
    """What the logs say about a job: never the full phone number."""
    phone = f" {masked(job['phone'])}" if job.get("phone") else ""
    return f"scheduled message {job['id']} ({job['kind']}, {job['channel']}{phone})"


def _error_text(job: Job, error: Exception) -> str:
    """A provider's error may quote the number; it is masked here as in every log."""
    text = f"{type(error).__name__}: {error}"
    return text.replace(job["phone"], masked(job["phone"])) if job.get("phone") else text


class Worker:
    """Claims due jobs from the database and hands each to `deliver`.

    `deliver(job)` returns "sent", or "skipped" when the message must not go out (e.g. the
    number opted out: the job is cancelled, not retried); it raises on a failure worth
    retrying. `should_send(job)` may return a reason to cancel instead of sending (e.g.
    the referral is no longer new); when it raises, the job is retried like a failed
    delivery, since its answer is usually a database read. `clock` returns an aware UTC
    datetime.
    """

    def __init__(self, engine: Engine, deliver: Deliver, *, owner: Optional[str] = None,
                 clock: Callable[[], dt.datetime] = utcnow,
                 lease: dt.timedelta = dt.timedelta(minutes=2),
                 should_send: Optional[ShouldSend] = None) -> None:
        self.engine = engine
        self.deliver = deliver
        self.owner = owner or default_owner()
        self.clock = clock
        self.lease = lease
        self.should_send = should_send

    async def run_once(self) -> int:
        """Handles every job due now; returns how many were sent."""
        sent = 0
        while job := await self._claim_one():
            sent += await self._handle(job)
        return sent

    async def run_forever(self, interval: float = 15.0, *, stop: asyncio.Event) -> None:
        """Rounds every `interval` seconds until `stop` is set. A failed round (e.g. the
        database connection dropped) is logged and the next round tries again."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                logger.exception("Scheduled messages: round failed; next in %.0f s", interval)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def _claim_one(self) -> Optional[Job]:
        jobs = await asyncio.to_thread(schedule.claim_due, self.engine, self.owner,
                                       self.clock(), self.lease, 1)
        return jobs[0] if jobs else None

    async def _handle(self, job: Job) -> int:
        now = self.clock()
        sendable = next_sendable(now)
        if sendable != now:
            await self._store(schedule.postpone, job["id"], sendable)
            logger.info("%s: quiet hours in Oregon, waits until %s", _describe(job),
                        sendable.isoformat())
            return 0
        try:
            reason = await self.should_send(job) if self.should_send else None
            if reason:
                await self._cancel(job, reason)
                return 0
            outcome = await self.deliver(job)
            if outcome not in (SENT, SKIPPED):
                raise ValueError(f"deliver returned {outcome!r}, not 'sent' or 'skipped'")
        except Exception as error:
            await self._failed(job, _error_text(job, error))
            return 0
        if outcome == SKIPPED:
            await self._cancel(job, "not sendable (the number opted out, or texts are not set up)")
            return 0
        return await self._sent(job)

    async def _store(self, operation: Callable[..., bool], job_id: int, *args: Any) -> bool:
        """Runs a result-recording store call off the event loop, as this worker."""
        return await asyncio.to_thread(operation, self.engine, job_id, self.owner, *args)

    async def _sent(self, job: Job) -> int:
        if await self._store(schedule.mark_sent, job["id"], self.clock()):
            logger.info("%s: sent", _describe(job))
        else:
            logger.warning("%s: sent, but its lease had passed to another worker",
                           _describe(job))
        return 1

    async def _cancel(self, job: Job, reason: str) -> None:
        await self._store(schedule.cancel, job["id"], reason)
        logger.info("%s: cancelled, %s", _describe(job), reason)

    async def _failed(self, job: Job, error: str) -> None:
        now = self.clock()
        delay = schedule.retry_delay(job["attempts"])
        retry_at = next_sendable(now + delay) if delay else None
        await self._store(schedule.mark_failed, job["id"], now, error, retry_at)
        if retry_at is None:
            logger.error("%s: failed after %d attempts, giving up: %s", _describe(job),
                         job["attempts"], error)
        else:
            logger.warning("%s: attempt %d failed, retry at %s: %s", _describe(job),
                           job["attempts"], retry_at.isoformat(), error)
