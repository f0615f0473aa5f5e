"""The scheduled-message worker as learners see it: a follow-up arrives once, at its time,
never at night, not after they opted out; failures are retried then given up; restarts
and several workers (threads or processes) never send a message twice. Oregon's hours
and working days are checked first, on their own."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import multiprocessing
from pathlib import Path
from typing import Any, Dict, Iterator, List, Union

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.quiet_hours import OREGON, add_working_days, is_overdue, next_sendable
from bot.records import schedule
from bot.records.schema import upgrade
from bot.records.tables import scheduled_messages
from bot.worker import Worker
from knowledge.db import make_engine
from tests.postgres import throwaway_database

UTC = dt.timezone.utc
PHONE = "+15035550123"
LEASE = dt.timedelta(minutes=2)


def oregon(*args: int) -> dt.datetime:
    """A wall time in Oregon, as the UTC instant a clock would report."""
    return dt.datetime(*args, tzinfo=OREGON).astimezone(UTC)


NOON = oregon(2024, 3, 5, 12, 0)  # a Tuesday


# Oregon's hours and working days.

@pytest.mark.parametrize(("local", "sendable"), [
    (oregon(2024, 3, 5, 7, 59), oregon(2024, 3, 5, 8, 0)),
    (oregon(2024, 3, 5, 8, 0), oregon(2024, 3, 5, 8, 0)),
    (oregon(2024, 3, 5, 19, 59), oregon(2024, 3, 5, 19, 59)),
    (oregon(2024, 3, 5, 20, 0), oregon(2024, 3, 6, 8, 0)),
    (oregon(2024, 7, 5, 23, 30), oregon(2024, 7, 6, 8, 0)),
    (oregon(2024, 7, 6, 0, 0), oregon(2024, 7, 6, 8, 0)),
])
def test_messages_go_out_only_between_eight_and_eight_oregon_time(local, sendable):
    assert next_sendable(local) == sendable
    assert next_sendable(local).tzinfo == UTC


def test_the_morning_after_a_clock_change_is_eight_on_the_new_clock():
    # 10 March 2024 springs forward (PST -8 to PDT -7), 3 November falls back.
    assert next_sendable(oregon(2024, 3, 9, 21, 0)) == dt.datetime(2024, 3, 10, 15, 0,
                                                                   tzinfo=UTC)
    assert next_sendable(oregon(2024, 11, 2, 21, 0)) == dt.datetime(2024, 11, 3, 16, 0,
                                                                    tzinfo=UTC)


def test_a_time_in_another_zone_is_judged_by_oregons_clock():
    new_york_ten_am = dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert next_sendable(new_york_ten_am) == oregon(2024, 3, 5, 8, 0)


def test_a_referral_made_friday_afternoon_is_overdue_on_tuesday_afternoon():
    friday = oregon(2024, 3, 1, 15, 0)
    assert add_working_days(friday, 2) == oregon(2024, 3, 5, 15, 0)
    assert not is_overdue(friday, oregon(2024, 3, 5, 14, 59))
    assert is_overdue(friday, oregon(2024, 3, 5, 15, 0))


def test_working_days_keep_the_oregon_time_of_day_across_a_clock_change():
    friday = oregon(2024, 3, 8, 15, 0)
    assert add_working_days(friday, 2) == dt.datetime(2024, 3, 12, 22, 0, tzinfo=UTC)


def test_working_days_from_a_weekend_start_on_monday():
    assert add_working_days(oregon(2024, 3, 2, 10, 0), 1) == oregon(2024, 3, 4, 10, 0)


def test_naive_times_are_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        next_sendable(dt.datetime(2024, 3, 5, 12, 0))


# The worker.

class Clock:
    """A controlled clock: tests move time instead of sleeping."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Deliveries:
    """A deliver() that records each call and answers `outcome` ("sent", "skipped", or an
    exception to raise)."""

    def __init__(self, outcome: Union[str, Exception] = "sent", pause: float = 0.0) -> None:
        self.outcome = outcome
        self.pause = pause
        self.ids: List[int] = []

    async def __call__(self, job: Dict[str, Any]) -> str:
        self.ids.append(job["id"])
        await asyncio.sleep(self.pause)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome



def add(engine: Engine, key: str = "follow-up:1", due_at: dt.datetime = NOON) -> None:
    assert schedule.schedule(engine, key=key, kind="follow_up", sender_id="learner-1",
                             channel="sms", phone=PHONE, language="en",
                             entry="follow_up.reached", due_at=due_at)


def state(engine: Engine, key: str = "follow-up:1") -> tuple:
    table = scheduled_messages
    with engine.connect() as conn:
        return tuple(conn.execute(select(table.c.status, table.c.attempts, table.c.last_error)
                                  .where(table.c.key == key)).one())


async def test_a_follow_up_is_sent_once_at_its_time_and_not_before(engine):
    add(engine)
    deliveries = Deliveries()
    clock = Clock(NOON - dt.timedelta(seconds=1))
    worker = Worker(engine, deliveries, clock=clock)

    assert await worker.run_once() == 0
    clock.advance(seconds=1)
    assert await worker.run_once() == 1
    clock.advance(hours=1)
    assert await worker.run_once() == 0

    assert len(deliveries.ids) == 1
    assert state(engine) == ("sent", 1, None)


async def test_a_message_due_at_ten_at_night_waits_for_eight_the_next_morning(engine):
    add(engine, due_at=oregon(2024, 3, 5, 22, 0))
    deliveries = Deliveries()
    clock = Clock(oregon(2024, 3, 5, 22, 0))
    worker = Worker(engine, deliveries, clock=clock)

    assert await worker.run_once() == 0
    clock.now = oregon(2024, 3, 6, 7, 59, 59)
    assert await worker.run_once() == 0
    assert deliveries.ids == []
    assert state(engine) == ("pending", 0, None)  # waiting used up no attempt

    clock.now = oregon(2024, 3, 6, 8, 0)
    assert await worker.run_once() == 1
    assert len(deliveries.ids) == 1


async def test_an_opted_out_number_gets_nothing_and_the_job_is_not_retried(engine):
    add(engine)
    deliveries = Deliveries("skipped")
    clock = Clock(NOON)
    worker = Worker(engine, deliveries, clock=clock)

    assert await worker.run_once() == 0
    clock.advance(days=1)
    assert await worker.run_once() == 0

    assert len(deliveries.ids) == 1
    status, _, reason = state(engine)
    assert status == "cancelled" and "opted out" in reason


async def test_a_follow_up_the_navigators_made_pointless_is_cancelled_unsent(engine):
    add(engine)
    deliveries = Deliveries()

    async def should_send(job):
        return "the referral is no longer new"

    worker = Worker(engine, deliveries, clock=Clock(NOON), should_send=should_send)
    assert await worker.run_once() == 0
    assert deliveries.ids == []
    assert state(engine) == ("cancelled", 1, "the referral is no longer new")


async def test_a_failing_delivery_is_retried_with_backoff_then_given_up(engine):
    add(engine)
    deliveries = Deliveries(RuntimeError("Twilio answered 500"))
    clock = Clock(NOON)
    worker = Worker(engine, deliveries, clock=clock)
    await worker.run_once()

    for waited in (1, 5, 30, 120):  # minutes, after attempts 1 to 4
        tried = len(deliveries.ids)
        clock.advance(minutes=waited, seconds=-1)
        await worker.run_once()
        assert len(deliveries.ids) == tried, f"retried before {waited} min"
        clock.advance(seconds=1)
        await worker.run_once()
        assert len(deliveries.ids) == tried + 1, f"not retried after {waited} min"

    assert state(engine) == ("failed", schedule.MAX_ATTEMPTS,
                             "RuntimeError: Twilio answered 500")
    clock.advance(days=2)
    await worker.run_once()
    assert len(deliveries.ids) == schedule.MAX_ATTEMPTS


async def test_a_retry_that_would_fall_at_night_waits_for_the_morning(engine):
    evening = oregon(2024, 3, 5, 19, 59, 30)
    add(engine, due_at=evening)
    deliveries = Deliveries(RuntimeError("timeout"))
    clock = Clock(evening)
    worker = Worker(engine, deliveries, clock=clock)
    await worker.run_once()

    deliveries.outcome = "sent"
    clock.advance(minutes=1)
    assert await worker.run_once() == 0
    clock.now = oregon(2024, 3, 6, 7, 59)
    assert await worker.run_once() == 0
    clock.now = oregon(2024, 3, 6, 8, 0)
    assert await worker.run_once() == 1
    assert len(deliveries.ids) == 2
    assert state(engine) == ("sent", 2, "RuntimeError: timeout")


async def test_a_job_whose_worker_died_is_sent_once_after_a_restart(engine, database_url):
    add(engine)
    [job] = schedule.claim_due(engine, "worker-that-died", NOON, LEASE)  # and never marks it
    engine.dispose()

    restarted = make_engine(database_url)
    deliveries = Deliveries()
    clock = Clock(NOON + dt.timedelta(minutes=1))
    worker = Worker(restarted, deliveries, clock=clock, lease=LEASE)
    try:
        assert await worker.run_once() == 0  # the dead worker's lease still holds
        clock.advance(minutes=1, seconds=1)
        assert await worker.run_once() == 1
        clock.advance(hours=1)
        assert await worker.run_once() == 0
    finally:
        restarted.dispose()
    assert deliveries.ids == [job["id"]]


async def test_a_message_already_sent_is_not_sent_again_after_a_restart(engine, database_url):
    add(engine)
    first = Deliveries()
    assert await Worker(engine, first, clock=Clock(NOON)).run_once() == 1
    engine.dispose()

    restarted = make_engine(database_url)
    again = Deliveries()
    try:
        clock = Clock(NOON + dt.timedelta(minutes=5))
        assert await Worker(restarted, again, clock=clock).run_once() == 0
    finally:
        restarted.dispose()
    assert again.ids == []


async def test_a_slow_round_never_lets_another_worker_send_its_messages_twice(
        engine, database_url):
    for number in range(5):
        add(engine, f"follow-up:{number}")
    clock = Clock(NOON)
    other_engine = make_engine(database_url)
    other = Deliveries()
    other_worker = Worker(other_engine, other, clock=clock, lease=LEASE)

    async def slow(job):
        # Each text takes 90 s, so a whole batch claimed at once would outlive its lease;
        # meanwhile the other worker runs.
        slow.ids.append(job["id"])
        clock.advance(seconds=90)
        await other_worker.run_once()
        return "sent"

    slow.ids = []
    try:
        await Worker(engine, slow, clock=clock, lease=LEASE).run_once()
    finally:
        other_engine.dispose()
    per_job = collections.Counter(slow.ids + other.ids)
    assert len(per_job) == 5 and set(per_job.values()) == {1}


async def test_two_workers_at_once_send_each_of_40_messages_exactly_once(engine, database_url):
    for number in range(40):
        add(engine, f"follow-up:{number}")
    second_engine = make_engine(database_url)
    first, second = Deliveries(pause=0.005), Deliveries(pause=0.005)
    try:
        sent = await asyncio.gather(
            Worker(engine, first, owner="first", clock=Clock(NOON)).run_once(),
            Worker(second_engine, second, owner="second", clock=Clock(NOON)).run_once())
    finally:
        second_engine.dispose()

    per_job = collections.Counter(first.ids + second.ids)
    assert len(per_job) == 40 and set(per_job.values()) == {1}
    assert sum(sent) == 40 and first.ids and second.ids


def deliver_in_a_process(url: str, now: dt.datetime, start, out: str) -> None:
    """One worker process with its own engine; writes the job ids it delivered to `out`."""
    delivered: List[int] = []

    async def deliver(job):
        delivered.append(job["id"])
        await asyncio.sleep(0.005)
        return "sent"

    engine = make_engine(url)
    start.wait(30)
    try:
        asyncio.run(Worker(engine, deliver, clock=lambda: now).run_once())
    finally:
        engine.dispose()
    Path(out).write_text("".join(f"{job_id}\n" for job_id in delivered), encoding="utf-8")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with throwaway_database() as url:
        upgrade(url)
        yield url


def test_two_worker_processes_on_postgresql_send_each_message_exactly_once(
        postgres_url, tmp_path):
    engine = make_engine(postgres_url)
    for number in range(40):
        add(engine, f"follow-up:{number}")
    engine.dispose()
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(3)
    outs = [tmp_path / f"worker-{number}.txt" for number in range(2)]
    processes = [spawn.Process(target=deliver_in_a_process,
                               args=(postgres_url, NOON, start, str(out))) for out in outs]
    for process in processes:
        process.start()
    try:
        start.wait(60)
        for process in processes:
            process.join(60)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in processes] == [0, 0]

    per_process = [out.read_text(encoding="utf-8").split() for out in outs]
    per_job = collections.Counter(per_process[0] + per_process[1])
    assert len(per_job) == 40 and set(per_job.values()) == {1}
    assert all(per_process), "both processes should have sent some"


async def test_a_dropped_database_connection_does_not_stop_the_worker(
        engine, monkeypatch, caplog):
    add(engine)
    real_claim = schedule.claim_due
    calls: List[int] = []

    def claim_after_a_drop(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT", {}, Exception("server closed the connection"))
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(schedule, "claim_due", claim_after_a_drop)
    stop = asyncio.Event()

    async def deliver(job):
        stop.set()
        return "sent"

    with caplog.at_level(logging.ERROR, logger="bot.worker"):
        await asyncio.wait_for(
            Worker(engine, deliver, clock=Clock(NOON)).run_forever(0.01, stop=stop), 10)
    assert state(engine)[0] == "sent"
    assert "round failed" in caplog.text


async def test_logs_never_show_the_full_phone_number(engine, caplog):
    add(engine, "follow-up:1")
    add(engine, "follow-up:2")
    failing = Deliveries(RuntimeError(f"The 'To' number {PHONE} is not reachable"))
    with caplog.at_level(logging.INFO, logger="bot.worker"):
        await Worker(engine, failing, clock=Clock(NOON)).run_once()
        await Worker(engine, Deliveries(), clock=Clock(NOON + LEASE)).run_once()

    assert "***0123" in caplog.text
    assert PHONE not in caplog.text and PHONE[2:] not in caplog.text


async def test_a_web_chat_follow_up_without_a_phone_is_sent_too(engine, caplog):
    schedule.schedule(engine, key="web:1", kind="follow_up", sender_id="web-visitor",
                      channel="socketio", language="en", entry="follow_up.reached",
                      due_at=NOON)
    with caplog.at_level(logging.INFO, logger="bot.worker"):
        assert await Worker(engine, Deliveries(), clock=Clock(NOON)).run_once() == 1
    assert "socketio" in caplog.text and "sent" in caplog.text
