"""The dashboard's referral counts on SQLite and PostgreSQL: limited to the user's teams,
the last day of the period included, hours to first contact from the stored times."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.records import referral_figures, store
from bot.records.filters import Filters
from bot.records.schema import upgrade
from knowledge.db import make_engine

UTC = dt.timezone.utc


def add(engine, team: str, made: dt.datetime, contact_hours=None, language="Spanish"):
    code = store.create_referral(engine, store.NewReferral(
        sender_id=f"{team}-{made.isoformat()}", channel="sms", team=team,
        consent_text="agreed", first_name="Ana", contact_method="text", language=language,
        county="Lane"))
    with engine.begin() as conn:
        conn.execute(update(store.referrals).where(store.referrals.c.code == code).values(
            created_at=made, first_contact_at=(made + dt.timedelta(hours=contact_hours)
                                               if contact_hours is not None else None)))


def test_counts_and_delays_for_what_the_user_may_see(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        add(engine, "lane", dt.datetime(2026, 3, 2, 9, tzinfo=UTC), 2.5)
        add(engine, "lane", dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), 1, "English")
        add(engine, "pcc", dt.datetime(2026, 3, 5, 9, tzinfo=UTC), 4)
        add(engine, "lane", dt.datetime(2026, 4, 1, 0, 30, tzinfo=UTC))
        march = Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
        ana = {"role": "navigator", "teams": ["lane"]}
        boss = {"role": "admin", "teams": []}
        assert referral_figures.counts_by(engine, ana, march, "team") == [("lane", 2)]
        assert sorted(referral_figures.counts_by(engine, boss, march, "team")) == [
            ("lane", 2), ("pcc", 1)]
        assert referral_figures.counts_by(engine, boss, Filters(), "status") == [("new", 4)]
        assert sorted(referral_figures.first_contact_hours(engine, ana, march)) == [
            ("lane", 1.0), ("lane", 2.5)]
        spanish = Filters(language="es")
        assert sorted(referral_figures.counts_by(engine, boss, spanish, "team")) == [
            ("lane", 2), ("pcc", 1)]
        assert referral_figures.teams_for(engine, boss) == ["lane", "pcc"]
        assert referral_figures.teams_for(engine, ana) == ["lane"]
    finally:
        engine.dispose()
