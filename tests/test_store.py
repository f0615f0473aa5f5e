"""Referral storage and routing, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.prepare import prepare_database
from bot.records import store
from knowledge import search
from knowledge.db import make_engine, session_scope


@pytest.fixture
def engine(database_url):
    prepare_database(database_url)  # schema and the sample Oregon catalogue
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def referral(sender: str = "s1", team: str = "lane") -> store.NewReferral:
    return store.NewReferral(sender_id=sender, channel="rest", team=team, consent_text="ok",
                             first_name="Ana", contact_method="email", email="ana@example.org",
                             best_time="mornings", place="Eugene", county="Lane")


@pytest.mark.parametrize("program, county, team", [
    ("pcc-welding", "Lane", "pcc"),     # the chosen program's provider wins
    (None, "Lane", "lane"),             # else a provider serving the county
    (None, "Clackamas", "clackamas"),   # several serve it: the first by name
    (None, "Wallowa", None),            # nobody: the caller's statewide team
])
def test_routing(engine, program, county, team):
    with session_scope(engine) as session:
        assert search.navigator_team(session, program, county) == team


def test_codes_are_unique_and_readable(engine):
    codes = {store.create_referral(engine, referral(f"s{i}")) for i in range(50)}
    assert len(codes) == 50
    assert all(len(c) == store.CODE_LENGTH and set(c) <= set(store.CODE_ALPHABET)
               for c in codes)


def test_cancel_and_erase_keep_history(engine):
    store.create_referral(engine, referral("s1"))
    assert len(store.cancel_learner_referrals(engine, "s1")) == 1
    assert store.cancel_learner_referrals(engine, "s1") == []
    assert store.erase_learner(engine, "s1") == 1
    with engine.connect() as conn:
        row = conn.execute(select(store.referrals)).mappings().one()
        events = conn.execute(select(store.referral_events.c.to_status)).scalars().all()
    assert row["first_name"] is None and row["email"] is None and row["status"] == "closed"
    assert row["sender_id"].startswith("erased-")
    assert events == ["new", "cancelled", "closed"]


def test_erasing_a_learner_takes_their_thread_reminders_and_hold_too(engine):
    import datetime as dt

    from bot.records import holds, schedule, thread
    from bot.records.tables import scheduled_messages

    code = store.create_referral(engine, referral("s1"))
    referral_id = store.referral_by_code(engine, code)["id"]
    user = store.add_user(engine, "ana", "hash", "navigator", ["lane"])
    thread.add(engine, sender_id="s1", channel="socketio", author="ana", text="Hi Ana here")
    holds.hold(engine, "s1", referral_id, user)
    schedule.schedule(engine, key="k", kind="class_start", sender_id="s1",
                      channel="socketio", language="en", entry="say_class_reminder",
                      due_at=store.utcnow() + dt.timedelta(days=3))
    store.erase_learner(engine, "s1")
    assert thread.for_conversation(engine, "s1") == []
    assert holds.holder(engine, "s1") is None
    with engine.connect() as conn:
        assert conn.execute(select(scheduled_messages)).all() == []


def test_navigators_see_only_their_teams(engine):
    store.create_referral(engine, referral("s1", "lane"))
    store.create_referral(engine, referral("s2", "pcc"))
    lane = {"role": "navigator", "teams": ["lane"], "username": "ana"}
    admin = {"role": "admin", "teams": [], "username": "boss"}
    assert [r["team"] for r in store.queue(engine, lane)] == ["lane"]
    assert len(store.queue(engine, admin)) == 2
    pcc_id = next(r["id"] for r in store.queue(engine, admin) if r["team"] == "pcc")
    assert store.referral_for(engine, lane, pcc_id) is None
    assert store.change_status(engine, lane, pcc_id, "closed", None) is False
