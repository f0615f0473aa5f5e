"""`python -m bot.retention [--days 365]`: forget what is older than the retention period.

Deletes conversation events from the tracker store, and erases the personal details of
referrals (as "delete my data" does), when they are older than --days (default 365,
or NAVIGATOR_RETENTION_DAYS), and the anonymous outcomes of searches made before then.
Answered-SMS records older than two days go too. Safe to run daily (from cron or a
systemd timer): it only ever removes what has aged out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import List, Optional

from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.records import outcomes, store
from bot.records.tables import sms_messages, thread_messages
from bot.settings import Settings
from knowledge.db import database_url, make_engine


def erase_old_referrals(engine: Engine, before: dt.datetime) -> int:
    with engine.begin() as conn:
        ids = conn.execute(select(store.referrals.c.id).where(
            store.referrals.c.created_at < before,
            store.referrals.c.erased_at.is_(None))).scalars().all()
        if ids:
            conn.execute(update(store.referrals).where(store.referrals.c.id.in_(ids)).values(
                **{field: None for field in store.PERSONAL_FIELDS}, summary={},
                erased_at=store.utcnow()))
        conn.execute(delete(sms_messages).where(
            sms_messages.c.received_at < store.utcnow() - dt.timedelta(days=2)))
        # What navigators wrote is part of the conversation: it goes when the turns do.
        conn.execute(delete(thread_messages).where(thread_messages.c.created_at < before))
    return len(ids)


def forget_old_outcomes(engine: Engine, before: dt.datetime) -> int:
    """Search outcomes hold no personal data, but nothing is kept longer than the rest."""
    return outcomes.forget_before(engine, before.date())


def delete_old_events(tracker: Engine, before: dt.datetime) -> int:
    try:
        with tracker.begin() as conn:
            done = conn.execute(text("DELETE FROM events WHERE timestamp < :cutoff"),
                                {"cutoff": before.timestamp()})
    except (OperationalError, ProgrammingError):  # no conversation stored yet
        return 0
    return done.rowcount or 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.retention", description=__doc__)
    parser.add_argument("--days", type=int,
                        default=int(os.environ.get("NAVIGATOR_RETENTION_DAYS", "365")))
    parser.add_argument("--tracker-url", help="tracker store URL (default: "
                        "NAVIGATOR_TRACKER_URL, else the SQLite file under NAVIGATOR_VAR_DIR)")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be 1 or more")
    before = store.utcnow() - dt.timedelta(days=args.days)
    engine = make_engine(database_url())
    tracker = make_engine(args.tracker_url or Settings.from_env().tracker_url)
    try:
        referrals = erase_old_referrals(engine, before)
        searches = forget_old_outcomes(engine, before)
        events = delete_old_events(tracker, before)
    finally:
        engine.dispose()
        tracker.dispose()
    print(f"Older than {args.days} days (before {before:%Y-%m-%d}): erased the details of "
          f"{referrals} referrals, deleted {events} conversation events and {searches} "
          f"search outcomes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
