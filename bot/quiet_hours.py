"""Oregon time rules for messages to learners: texts go out only between 08:00 and 20:00
Oregon time, and a referral's age is counted in working days. Pure functions of an explicit
time, so callers and tests decide what "now" is; results are aware UTC datetimes.

Working days are Monday to Friday. Public holidays are not skipped: a referral made the
day before Thanksgiving is overdue a day early, which errs on the side of the learner.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

OREGON = zoneinfo.ZoneInfo("America/Los_Angeles")
FIRST_SENDABLE = dt.time(8, 0)
LAST_SENDABLE = dt.time(20, 0)  # exclusive: 19:59 may send, 20:00 waits for the morning
SATURDAY = 5


def _local(at: dt.datetime) -> dt.datetime:
    """Refuses naive times: guessing their zone would send texts at night."""
    if at.tzinfo is None:
        raise ValueError(f"an aware datetime is needed, not {at!r}")
    return at.astimezone(OREGON)


def _utc_at(day: dt.date, time: dt.time) -> dt.datetime:
    """That wall time in Oregon, in UTC; DST changes at 02:00, so 08:00 always exists."""
    return dt.datetime.combine(day, time, tzinfo=OREGON).astimezone(dt.timezone.utc)


def is_sendable(at: dt.datetime) -> bool:
    return FIRST_SENDABLE <= _local(at).time() < LAST_SENDABLE


def next_sendable(at: dt.datetime) -> dt.datetime:
    """`at` itself (in UTC) when a text may go out then, else the next 08:00 in Oregon."""
    if is_sendable(at):
        return at.astimezone(dt.timezone.utc)
    local = _local(at)
    day = local.date()
    if local.time() >= LAST_SENDABLE:
        day += dt.timedelta(days=1)
    return _utc_at(day, FIRST_SENDABLE)


def add_working_days(at: dt.datetime, days: int) -> dt.datetime:
    """`days` working days after `at`, at the same Oregon wall time (so across a DST change
    the hours between differ). From a weekend the count starts on Monday."""
    if days < 0:
        raise ValueError(f"days must not be negative, not {days}")
    local = _local(at)
    day = local.date()
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < SATURDAY:
            days -= 1
    return _utc_at(day, local.time())


def is_overdue(created_at: dt.datetime, now: dt.datetime, days: int = 2) -> bool:
    """True once `days` working days have passed since `created_at`."""
    return now >= add_working_days(created_at, days)
