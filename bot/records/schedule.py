"""Messages to learners that go out later (follow-ups, reminders): a job queue in the
navigator database, so a scheduled message survives a restart and is sent by exactly one
of several workers. Table: bot/records/tables.py `scheduled_messages`.

A worker takes a job by a lease (`lease_owner`, `lease_until`) with one conditional UPDATE
per job; the database lets only one of two racing UPDATEs match, on SQLite and PostgreSQL
alike, so no row locks or `SKIP LOCKED` are needed. A worker that dies leaves its lease
to run out, and the job is claimable again. Only the lease owner may record a result, so
a worker whose lease ran out cannot overwrite the one that took the job over.

Synchronous functions: the worker runs them in a thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import IntegrityError

from bot.records.tables import scheduled_messages as jobs

MAX_ATTEMPTS = 5
# Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
_DATETIMES = ("due_at", "lease_until", "sent_at", "created_at")


def retry_delay(attempts: int) -> Optional[dt.timedelta]:
    """How long to wait after `attempts` failed attempts; None once it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[max(attempts, 1) - 1]


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite stores a datetime's wall time and drops its zone, so every time goes in as
    UTC; a naive time is refused rather than guessed."""
    if value.tzinfo is None:
        raise ValueError(f"an aware datetime is needed, not {value!r}")
    return value.astimezone(dt.timezone.utc)


def _aware(value: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """SQLite gives back naive UTC, PostgreSQL the session's zone: callers get UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _job(row: Row) -> Dict[str, Any]:
    job = dict(row._mapping)
    for name in _DATETIMES:
        job[name] = _aware(job[name])
    return job


def schedule(engine: Engine, *, key: str, kind: str, sender_id: str, channel: str,
             language: str, entry: str, due_at: dt.datetime, phone: Optional[str] = None,
             referral_id: Optional[int] = None,
             params: Optional[Dict[str, Any]] = None) -> bool:
    """Adds a pending job; False when a job with this key exists already, so callers can
    schedule the same follow-up from every retry of a turn without sending it twice."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(jobs).values(
                key=key, kind=kind, sender_id=sender_id, channel=channel, phone=phone,
                language=language, entry=entry, referral_id=referral_id,
                params=params or {}, due_at=_utc(due_at), status="pending", attempts=0))
        return True
    except IntegrityError:
        # Only a duplicate key is "already scheduled"; a missing referral is a bug.
        if _exists(engine, key):
            return False
        raise


def _exists(engine: Engine, key: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(jobs.c.id).where(jobs.c.key == key)).first() is not None


def _claimable(now: dt.datetime):
    return (jobs.c.status == "pending",
            or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < now))


def claim_due(engine: Engine, owner: str, now: dt.datetime, lease: dt.timedelta,
              limit: int = 20) -> List[Dict[str, Any]]:
    """Takes up to `limit` due jobs for `owner` until `now + lease`, oldest first, counting
    an attempt for each; an empty list means nothing is due, not that another worker won
    the race, because lost jobs are replaced by the next ones due. Each job is taken in
    its own short transaction, so a busy worker never holds other workers (or SQLite's
    single writer) waiting."""
    now = _utc(now)
    claimed: List[int] = []
    while len(claimed) < limit:
        candidates = _due(engine, now, limit - len(claimed))
        if not candidates:
            break
        claimed += [job_id for job_id in candidates if _take(engine, job_id, owner, now, lease)]
    if not claimed:
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(jobs).where(jobs.c.id.in_(claimed))
                            .order_by(jobs.c.due_at, jobs.c.id)).all()
    return [_job(row) for row in rows]


def _due(engine: Engine, now: dt.datetime, limit: int) -> List[int]:
    with engine.connect() as conn:
        return list(conn.execute(
            select(jobs.c.id).where(jobs.c.due_at <= now, *_claimable(now))
            .order_by(jobs.c.due_at, jobs.c.id).limit(limit)).scalars())


def _take(engine: Engine, job_id: int, owner: str, now: dt.datetime,
          lease: dt.timedelta) -> bool:
    """True when this UPDATE won the job; a racing worker's UPDATE then matches no row."""
    with engine.begin() as conn:
        result = conn.execute(
            update(jobs).where(jobs.c.id == job_id, *_claimable(now))
            .values(lease_owner=owner, lease_until=now + lease,
                    attempts=jobs.c.attempts + 1))
        return result.rowcount == 1


def _settle(engine: Engine, job_id: int, owner: str, *conditions, **values: Any) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(jobs).where(jobs.c.id == job_id, jobs.c.lease_owner == owner, *conditions)
            .values(**values))
        return result.rowcount == 1


def mark_sent(engine: Engine, job_id: int, owner: str, now: dt.datetime) -> bool:
    """Records the delivery. Even a job cancelled while it was being sent becomes 'sent':
    the message did go out. False when another worker holds the job now."""
    return _settle(engine, job_id, owner, status="sent", sent_at=_utc(now), lease_until=None)


def mark_failed(engine: Engine, job_id: int, owner: str, now: dt.datetime, error: str,
                retry_at: Optional[dt.datetime]) -> bool:
    """Keeps the error; the job waits for `retry_at`, or fails for good when it is None.
    A job cancelled meanwhile stays cancelled. `now` (the failure's time) has no column
    yet; it is taken so every result is recorded alike."""
    if retry_at is None:
        values: Dict[str, Any] = {"status": "failed", "lease_until": None}
    else:
        values = {"due_at": _utc(retry_at), "lease_owner": None, "lease_until": None}
    return _settle(engine, job_id, owner, jobs.c.status == "pending", last_error=error,
                   **values)


def postpone(engine: Engine, job_id: int, owner: str, due_at: dt.datetime) -> bool:
    """Gives a job back unsent until `due_at` (e.g. quiet hours), without counting the
    attempt its claim counted, so waiting never uses up the retries."""
    return _settle(engine, job_id, owner, jobs.c.status == "pending",
                   due_at=_utc(due_at), lease_owner=None, lease_until=None,
                   attempts=jobs.c.attempts - 1)


def cancel(engine: Engine, job_id: int, owner: str, reason: str) -> bool:
    """Drops a claimed job for good (e.g. the learner opted out), keeping why."""
    return _settle(engine, job_id, owner, jobs.c.status == "pending", status="cancelled",
                   lease_until=None, last_error=reason)


def cancel_for_referral(engine: Engine, referral_id: int, kind: Optional[str] = None, *,
                        reason: str = "cancelled with the referral's messages") -> int:
    """Cancels a referral's pending jobs (of one kind, or all), e.g. once a navigator has
    reached the learner; returns how many. A job being sent right now is cancelled too,
    and a failure will not revive it."""
    conditions = [jobs.c.referral_id == referral_id, jobs.c.status == "pending"]
    if kind is not None:
        conditions.append(jobs.c.kind == kind)
    with engine.begin() as conn:
        return conn.execute(update(jobs).where(*conditions)
                            .values(status="cancelled", last_error=reason)).rowcount


def jobs_for_referral(engine: Engine, referral_id: int) -> List[Dict[str, Any]]:
    """A referral's jobs in the order they are due, whatever their status."""
    with engine.connect() as conn:
        rows = conn.execute(select(jobs).where(jobs.c.referral_id == referral_id)
                            .order_by(jobs.c.due_at, jobs.c.id)).all()
    return [_job(row) for row in rows]
