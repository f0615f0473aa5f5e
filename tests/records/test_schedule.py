"""The scheduled-message store on SQLite and PostgreSQL: a follow-up is scheduled once,
handed to one worker at a time, taken over when its worker died, and only the worker
holding it can record what happened."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.quiet_hours import OREGON
from bot.records import schedule
from bot.records.tables import referrals
from knowledge.db import make_engine

NOON = dt.datetime(2024, 3, 5, 20, 0, tzinfo=dt.timezone.utc)  # Tuesday, noon in Oregon
LEASE = dt.timedelta(minutes=2)



def new_referral(engine: Engine) -> int:
    with engine.begin() as conn:
        return conn.execute(insert(referrals).values(
            code="ACD346", sender_id="learner-1", channel="sms", team="statewide",
            consent_text="ok", consent_at=NOON)).inserted_primary_key[0]


def add(engine: Engine, key: str = "follow-up:1", due_at: dt.datetime = NOON,
        **extra) -> bool:
    return schedule.schedule(engine, key=key, kind=extra.pop("kind", "follow_up"),
                             sender_id="learner-1", channel="sms", language="en",
                             entry="follow_up.reached", due_at=due_at,
                             phone="+15035550123", **extra)


def test_scheduling_the_same_follow_up_twice_keeps_one_job(engine):
    referral = new_referral(engine)
    assert add(engine, referral_id=referral, params={"name": "Ana"})
    assert not add(engine, due_at=NOON + dt.timedelta(days=1), referral_id=referral)

    [job] = schedule.jobs_for_referral(engine, referral)
    assert (job["status"], job["due_at"], job["params"]) == ("pending", NOON, {"name": "Ana"})


def test_a_job_for_a_referral_that_does_not_exist_is_an_error_not_a_duplicate(engine):
    with pytest.raises(IntegrityError):
        add(engine, referral_id=999)


def test_due_times_come_back_as_the_same_instant_in_utc(engine):
    referral = new_referral(engine)
    oregon_morning = dt.datetime(2024, 7, 1, 9, 30, tzinfo=OREGON)
    add(engine, due_at=oregon_morning, referral_id=referral)

    [job] = schedule.jobs_for_referral(engine, referral)
    assert job["due_at"] == oregon_morning
    assert job["due_at"].tzinfo == dt.timezone.utc


def test_naive_times_are_refused_rather_than_guessed(engine):
    with pytest.raises(ValueError):
        add(engine, due_at=dt.datetime(2024, 3, 5, 12, 0))


def test_a_job_is_not_handed_out_before_it_is_due_and_then_to_one_worker(engine):
    add(engine)
    assert schedule.claim_due(engine, "a", NOON - dt.timedelta(seconds=1), LEASE) == []

    [job] = schedule.claim_due(engine, "a", NOON, LEASE)
    assert (job["lease_owner"], job["attempts"], job["lease_until"]) == ("a", 1, NOON + LEASE)
    assert schedule.claim_due(engine, "b", NOON + dt.timedelta(minutes=1), LEASE) == []


def test_a_job_whose_worker_died_is_taken_over_once_the_lease_runs_out(engine):
    add(engine)
    [job] = schedule.claim_due(engine, "died", NOON, LEASE)

    assert schedule.claim_due(engine, "new", NOON + LEASE, LEASE) == []
    [again] = schedule.claim_due(engine, "new", NOON + LEASE + dt.timedelta(seconds=1), LEASE)
    assert (again["id"], again["lease_owner"], again["attempts"]) == (job["id"], "new", 2)


def test_a_worker_that_loses_the_race_for_a_job_takes_the_next_one_due(engine, database_url):
    add(engine, "follow-up:1")
    add(engine, "follow-up:2", NOON + dt.timedelta(seconds=1))
    now = NOON + dt.timedelta(minutes=1)
    rival = make_engine(database_url)
    rivals_jobs = []

    def rival_goes_first(_conn, _cursor, statement, *_):
        # Between this worker's look at the due jobs and its claim, the rival claims one.
        if statement.lstrip().upper().startswith("UPDATE") and not rivals_jobs:
            rivals_jobs.extend(schedule.claim_due(rival, "rival", now, LEASE, limit=1))

    event.listen(engine, "before_cursor_execute", rival_goes_first)
    try:
        mine = schedule.claim_due(engine, "me", now, LEASE, limit=1)
    finally:
        rival.dispose()
    assert [job["key"] for job in rivals_jobs] == ["follow-up:1"]
    assert [job["key"] for job in mine] == ["follow-up:2"]


def test_a_worker_whose_lease_ran_out_cannot_overwrite_the_new_owners_result(engine):
    referral = new_referral(engine)
    add(engine, referral_id=referral)
    [job] = schedule.claim_due(engine, "slow", NOON, LEASE)
    later = NOON + 2 * LEASE
    schedule.claim_due(engine, "fast", later, LEASE)
    assert schedule.mark_sent(engine, job["id"], "fast", later)

    assert not schedule.mark_failed(engine, job["id"], "slow", later, "timeout", None)
    assert not schedule.cancel(engine, job["id"], "slow", "opted out")
    [after] = schedule.jobs_for_referral(engine, referral)
    assert (after["status"], after["sent_at"], after["last_error"]) == ("sent", later, None)


def test_a_failed_job_waits_for_its_retry_and_a_final_failure_keeps_the_error(engine):
    referral = new_referral(engine)
    add(engine, referral_id=referral)
    [job] = schedule.claim_due(engine, "a", NOON, LEASE)
    retry_at = NOON + dt.timedelta(minutes=1)
    assert schedule.mark_failed(engine, job["id"], "a", NOON, "HTTP 500", retry_at)

    assert schedule.claim_due(engine, "a", retry_at - dt.timedelta(seconds=1), LEASE) == []
    [job] = schedule.claim_due(engine, "a", retry_at, LEASE)
    assert schedule.mark_failed(engine, job["id"], "a", retry_at, "HTTP 503", None)

    [after] = schedule.jobs_for_referral(engine, referral)
    assert (after["status"], after["attempts"], after["last_error"]) == ("failed", 2, "HTTP 503")
    assert schedule.claim_due(engine, "a", NOON + dt.timedelta(days=1), LEASE) == []


def test_a_postponed_job_comes_back_later_without_using_up_an_attempt(engine):
    referral = new_referral(engine)
    add(engine, referral_id=referral)
    [job] = schedule.claim_due(engine, "a", NOON, LEASE)
    morning = NOON + dt.timedelta(hours=20)
    assert schedule.postpone(engine, job["id"], "a", morning)

    assert schedule.claim_due(engine, "a", morning - dt.timedelta(seconds=1), LEASE) == []
    [job] = schedule.claim_due(engine, "a", morning, LEASE)
    assert job["attempts"] == 1


def test_cancelling_a_referrals_follow_ups_leaves_sent_and_other_kinds_alone(engine):
    referral = new_referral(engine)
    add(engine, "follow-up:1", referral_id=referral)
    add(engine, "follow-up:2", NOON + dt.timedelta(days=2), referral_id=referral)
    add(engine, "status:1", NOON + dt.timedelta(days=3), referral_id=referral, kind="status")
    [first] = schedule.claim_due(engine, "a", NOON, LEASE)
    schedule.mark_sent(engine, first["id"], "a", NOON)

    assert schedule.cancel_for_referral(engine, referral, "follow_up") == 1

    statuses = [(job["key"], job["status"]) for job in schedule.jobs_for_referral(engine, referral)]
    assert statuses == [("follow-up:1", "sent"), ("follow-up:2", "cancelled"),
                        ("status:1", "pending")]
    assert schedule.claim_due(engine, "a", NOON + dt.timedelta(days=2), LEASE) == []


def test_a_job_cancelled_while_it_was_being_sent_is_not_revived_by_its_failure(engine):
    referral = new_referral(engine)
    add(engine, referral_id=referral)
    [job] = schedule.claim_due(engine, "a", NOON, LEASE)
    schedule.cancel_for_referral(engine, referral)

    assert not schedule.mark_failed(engine, job["id"], "a", NOON, "HTTP 500",
                                    NOON + dt.timedelta(minutes=1))
    assert schedule.claim_due(engine, "b", NOON + dt.timedelta(hours=1), LEASE) == []


def test_backoff_grows_and_gives_up_after_the_last_attempt():
    delays = [schedule.retry_delay(attempts) for attempts in range(1, schedule.MAX_ATTEMPTS + 1)]
    assert delays == [dt.timedelta(minutes=1), dt.timedelta(minutes=5),
                      dt.timedelta(minutes=30), dt.timedelta(hours=2), None]
