"""Twenty learners at once on the production database: a slow database call of one
conversation never holds up the action server for the others.

The stack runs on PostgreSQL. The test holds an exclusive lock on a catalogue table, so
every knowledge-base query waits in the database, then starts 20 conversations. If any
action ran its query on the action server's event loop, the loop would freeze until the
lock is released: the server's health check would stall, and replies would trickle out
one by one afterwards. Instead the health check must stay fast, and all 20 learners
must get their own answer together once the database answers.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.prepare import prepare_database
from tests.conftest import start_stack, stop_stack
from tests.postgres import throwaway_database

pytestmark = pytest.mark.integration

LEARNERS = 20
LOCK_SECONDS = 4.0
CITIES = ["Salem", "Eugene", "Bend", "Pendleton", "Roseburg"]


@pytest.fixture(scope="module")
def production_stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    with throwaway_database() as url:
        prepare_database(url)
        stack = start_stack(tmp, {"NAVIGATOR_DATABASE_URL": url})
        try:
            yield stack
        finally:
            stop_stack(stack)


def ask(stack, city: str) -> tuple[str, str, float]:
    sender = f"crowd-{uuid.uuid4()}"
    replies = stack.say(sender, f"welding classes in {city}")
    return city, "\n".join(r.get("text", "") for r in replies), time.monotonic()


def test_twenty_conversations_do_not_wait_for_each_other(production_stack):
    stack = production_stack
    # Warm up: the first search builds the in-memory index.
    assert "Welding" in ask(stack, "Salem")[1]

    engine = create_engine(stack.database_url, future=True)
    stalls: list[float] = []
    stop = threading.Event()

    def watch_health() -> None:
        while not stop.is_set():
            started = time.monotonic()
            requests.get(f"{stack.actions_url}/health", timeout=30).raise_for_status()
            stalls.append(time.monotonic() - started)
            time.sleep(0.05)

    with engine.connect() as conn, ThreadPoolExecutor(LEARNERS + 1) as pool:
        locked = conn.begin()
        conn.execute(text("LOCK TABLE catalogue_imports IN ACCESS EXCLUSIVE MODE"))
        pool.submit(watch_health)
        futures = [pool.submit(ask, stack, CITIES[i % len(CITIES)]) for i in range(LEARNERS)]
        time.sleep(LOCK_SECONDS)
        released = time.monotonic()
        locked.rollback()
        answers = [f.result(timeout=120) for f in futures]
        stop.set()
    engine.dispose()

    for city, reply, _ in answers:
        assert "Welding" in reply and city in reply, reply
    # The event loop kept serving while every database call was waiting.
    assert max(stalls) < 1.0, f"action server stalled {max(stalls):.2f} s"
    # Nobody queued behind another learner's database call after the release.
    last = max(done for *_, done in answers) - released
    assert last < LOCK_SECONDS, f"the last learner waited {last:.1f} s after the release"
