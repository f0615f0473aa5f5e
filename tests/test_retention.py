"""The retention command forgets only what is older than the period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot import retention
from bot.records import store
from bot.records.schema import upgrade
from knowledge.db import make_engine
from tests.console.conftest import make_referral, store_conversation


def test_old_details_and_events_go_new_ones_stay(database_url, tmp_path):
    upgrade(database_url)
    engine = make_engine(database_url)
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    old = make_referral(engine, "lane", "old-learner")
    new = make_referral(engine, "lane", "new-learner")
    with engine.begin() as conn:
        conn.execute(update(store.referrals).where(store.referrals.c.id == old).values(
            created_at=store.utcnow() - dt.timedelta(days=400)))
    store_conversation(tracker, "new-learner", [("user", "hi"), ("bot", "hello")])
    cutoff = store.utcnow() - dt.timedelta(days=365)
    assert retention.erase_old_referrals(engine, cutoff) == 1
    assert retention.delete_old_events(tracker, cutoff) == 0
    assert retention.delete_old_events(tracker, store.utcnow() + dt.timedelta(seconds=5)) == 2
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(store.referrals))}
    assert rows[old].first_name is None and rows[old].phone is None
    assert rows[new].first_name == "Ana"
    assert retention.erase_old_referrals(engine, cutoff) == 0  # safe to run again
    engine.dispose()
    tracker.dispose()
