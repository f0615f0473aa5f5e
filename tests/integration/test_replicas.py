"""Production layout on this machine: two Rasa servers (each with its action server)
sharing a PostgreSQL tracker store, the PostgreSQL navigator database and a Redis lock
store. One learner's messages go alternately to both, while other learners talk at the
same time: every conversation stays coherent and every turn is stored exactly once."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import create_engine, text

from bot.prepare import prepare_database
from tests.conftest import start_stack, stop_stack
from tests.postgres import throwaway_database
from tests.replies import ACROSS_REPLICAS, texts

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("NAVIGATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI: {error}")
        pytest.skip(f"Redis not running at {REDIS_URL}")
    with throwaway_database() as navigator_url, throwaway_database() as tracker_url:
        prepare_database(navigator_url)
        env = {"NAVIGATOR_DATABASE_URL": navigator_url, "NAVIGATOR_TRACKER_URL": tracker_url,
               "NAVIGATOR_REDIS_URL": REDIS_URL}
        stacks = []
        try:
            for name in ("a", "b"):
                stacks.append(start_stack(tmp_path_factory.mktemp(f"replica-{name}"), env))
            yield stacks, tracker_url
        finally:
            for stack in stacks:
                stop_stack(stack)


def converse(stacks, learner: int) -> str:
    sender = f"replica-{learner}-{uuid.uuid4()}"
    for turn, (message, expected) in enumerate(ACROSS_REPLICAS):
        stack = stacks[(turn + learner) % 2]  # alternate replicas, each learner its own way
        reply = texts(stack.say(sender, message))
        assert expected in reply, f"turn {turn} on replica {stack.rasa_url}: {reply}"
    return sender


def test_conversations_stay_whole_across_two_replicas(replicas):
    stacks, tracker_url = replicas
    with ThreadPoolExecutor(8) as pool:
        senders = list(pool.map(lambda i: converse(stacks, i), range(8)))
    engine = create_engine(tracker_url, future=True)
    with engine.connect() as conn:
        for sender in senders:
            turns = conn.execute(text(
                "SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
                {"s": sender}).scalar_one()
            assert turns == len(ACROSS_REPLICAS), sender
    engine.dispose()
