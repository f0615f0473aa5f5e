"""Exactly-once claims behave the same on the database and on Redis."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from bot.channels.sms_dedupe import DatabaseDedupe, RedisDedupe
from bot.records.schema import upgrade
from knowledge.db import make_engine

REDIS_URL = os.environ.get("NAVIGATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["database", "redis"])
def dedupe(request, database_url):
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.RedisError as error:
            if os.environ.get("CI"):
                pytest.fail(f"Redis is required in CI: {error}")
            pytest.skip(f"Redis not running at {REDIS_URL}")
        yield RedisDedupe(REDIS_URL)
        return
    upgrade(database_url)
    engine = make_engine(database_url)
    yield DatabaseDedupe(engine)
    engine.dispose()


def test_one_claim_per_message_and_the_answer_is_kept(dedupe):
    sid = f"SM{uuid.uuid4().hex}"
    assert dedupe.claim(sid) is True
    assert dedupe.claim(sid) is False
    assert dedupe.answered(sid) is None
    dedupe.record(sid, ["Hi!", "Reply 1 or 2."])
    assert dedupe.answered(sid) == ["Hi!", "Reply 1 or 2."]


def test_a_failed_turn_can_be_retried(dedupe):
    sid = f"SM{uuid.uuid4().hex}"
    assert dedupe.claim(sid)
    dedupe.release(sid)
    assert dedupe.claim(sid)
    dedupe.record(sid, [])
    dedupe.release(sid)  # an answered message stays answered
    assert dedupe.claim(sid) is False
