"""Search outcomes hold nothing that identifies a learner (codes, a county, a count, a
day), are marked when the conversation ends in a referral, and go with retention; on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Date, DateTime, inspect, select

from bot import retention
from bot.records import outcomes
from bot.records.filters import Filters
from bot.records.tables import search_outcomes

DAY = dt.date(2026, 3, 2)



def rows(engine):
    with engine.connect() as conn:
        return {r["id"]: dict(r) for r in conn.execute(select(search_outcomes)).mappings()}


def test_the_table_has_no_column_for_personal_data(engine):
    columns = {c["name"]: c for c in inspect(engine).get_columns("search_outcomes")}
    assert set(columns) == {"id", "day", "journey", "sector", "service_category", "county",
                            "language", "channel", "result_count", "referral_followed"}
    # A day, not a moment: searches cannot be lined up with a conversation's turns.
    assert isinstance(search_outcomes.c.day.type, Date)
    assert not isinstance(search_outcomes.c.day.type, DateTime)
    assert "time" not in str(columns["day"]["type"]).lower()


def test_only_codes_are_kept_whatever_the_caller_passes(engine):
    kept = outcomes.record(engine, outcomes.SearchOutcome(
        journey="service", result_count=2, day=DAY, service_category="childcare",
        county="Lane", language="es", channel="sms"))
    typed = outcomes.record(engine, outcomes.SearchOutcome(
        journey="program", result_count=-3, day=DAY,
        sector="welding near 97301, call me at 503-555-0101", county="Ana's place",
        language="Spanish please", channel="Ana Lopez"))
    stored = rows(engine)
    assert {k: v for k, v in stored[kept].items() if k != "id"} == {
        "day": DAY, "journey": "service", "sector": None, "service_category": "childcare",
        "county": "Lane", "language": "es", "channel": "sms", "result_count": 2,
        "referral_followed": False}
    assert {k: v for k, v in stored[typed].items() if k != "id"} == {
        "day": DAY, "journey": "program", "sector": None, "service_category": None,
        "county": None, "language": None, "channel": None, "result_count": 0,
        "referral_followed": False}
    with pytest.raises(ValueError):
        outcomes.record(engine, outcomes.SearchOutcome(journey="chat", result_count=1, day=DAY))


def test_a_referral_marks_only_its_conversations_searches(engine):
    ids = [outcomes.record(engine, outcomes.SearchOutcome(
        journey="program", result_count=n, day=DAY, sector="healthcare")) for n in range(4)]
    assert outcomes.mark_referral_followed(engine, [ids[0], ids[2], "3", None, True]) == 2
    assert outcomes.mark_referral_followed(engine, []) == 0
    followed = {i: r["referral_followed"] for i, r in rows(engine).items()}
    assert followed == {ids[0]: True, ids[1]: False, ids[2]: True, ids[3]: False}
    assert outcomes.mark_referral_followed(engine, [ids[0]]) == 1  # again: still marked
    assert rows(engine)[ids[0]]["referral_followed"] is True


def test_retention_deletes_outcomes_older_than_the_period(engine):
    today = dt.date.today()
    old = outcomes.record(engine, outcomes.SearchOutcome(
        journey="service", result_count=0, day=today - dt.timedelta(days=400)))
    edge = outcomes.record(engine, outcomes.SearchOutcome(
        journey="service", result_count=0, day=today - dt.timedelta(days=365)))
    new = outcomes.record(engine, outcomes.SearchOutcome(
        journey="program", result_count=1, day=today))
    cutoff = dt.datetime.combine(today - dt.timedelta(days=365), dt.time(12),
                                 tzinfo=dt.timezone.utc)
    assert retention.forget_old_outcomes(engine, cutoff) == 1
    assert set(rows(engine)) == {edge, new}
    assert old not in rows(engine)
    assert retention.forget_old_outcomes(engine, cutoff) == 0  # safe to run again


def test_the_dashboard_counts_are_the_same_on_both_databases(engine):
    for county, kind, found, followed, day in (
            ("Lane", "childcare", 0, True, DAY), ("Lane", "childcare", 0, False, DAY),
            ("Lane", "childcare", 2, False, DAY + dt.timedelta(days=8)),
            ("Marion", "food", 0, False, DAY + dt.timedelta(days=1)),
            ("Marion", "food", 0, False, DAY - dt.timedelta(days=30))):
        row = outcomes.record(engine, outcomes.SearchOutcome(
            journey="service", result_count=found, day=day, service_category=kind,
            county=county, language="es" if county == "Lane" else "en"))
        if followed:
            outcomes.mark_referral_followed(engine, [row])
    period = Filters(start=DAY, end=DAY + dt.timedelta(days=10))
    assert sorted(outcomes.searches_by_county(engine, period, "service", unmet_only=True)) == [
        ("Lane", "childcare", 2, 1), ("Marion", "food", 1, 0)]
    assert sorted(outcomes.searches_by_county(engine, period, "service", unmet_only=False)) == [
        ("Lane", "childcare", 3, 1), ("Marion", "food", 1, 0)]
    assert outcomes.searches_by_county(engine, period, "program", unmet_only=False) == []
    assert sorted(outcomes.unmet_by_day(engine, period)) == [
        (DAY, 2), (DAY + dt.timedelta(days=1), 1)]
    assert sorted(outcomes.unmet_by_day(engine, Filters(language="en"))) == [
        (DAY - dt.timedelta(days=30), 1), (DAY + dt.timedelta(days=1), 1)]
    assert outcomes.unmet_by_day(engine, Filters(county="Lane", end=DAY)) == [(DAY, 2)]
