"""Exactly-once for Twilio's retries, shared by every replica: a claim per MessageSid.

The navigator database by default (table sms_messages); Redis when NAVIGATOR_REDIS_URL
is set (keys expire after a day; Twilio stops retrying long before). Both answer the
same three questions, synchronously (the channel calls them in a thread).
"""

from __future__ import annotations

import json
import os
from typing import List, Optional, Protocol

from sqlalchemy.engine import Engine

from bot.records import sms_state

KEEP_SECONDS = 24 * 3600


class Dedupe(Protocol):
    def claim(self, sid: str) -> bool: ...  # True on the first delivery only
    def answered(self, sid: str) -> Optional[List[str]]: ...
    def record(self, sid: str, replies: List[str]) -> None: ...
    def release(self, sid: str) -> None: ...


class DatabaseDedupe:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, sid: str) -> bool:
        return sms_state.claim(self.engine, sid)

    def answered(self, sid: str) -> Optional[List[str]]:
        return sms_state.answered(self.engine, sid)

    def record(self, sid: str, replies: List[str]) -> None:
        sms_state.record_replies(self.engine, sid, replies)

    def release(self, sid: str) -> None:
        sms_state.release(self.engine, sid)


class RedisDedupe:
    PENDING = "\x00pending"

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=5)

    def _key(self, sid: str) -> str:
        return f"navigator:sms:{sid}"

    def claim(self, sid: str) -> bool:
        return bool(self.redis.set(self._key(sid), self.PENDING, nx=True, ex=KEEP_SECONDS))

    def answered(self, sid: str) -> Optional[List[str]]:
        value = self.redis.get(self._key(sid))
        if value is None or value.decode() == self.PENDING:
            return None
        return json.loads(value)

    def record(self, sid: str, replies: List[str]) -> None:
        self.redis.set(self._key(sid), json.dumps(replies), ex=KEEP_SECONDS)

    def release(self, sid: str) -> None:
        key = self._key(sid)
        if (self.redis.get(key) or b"").decode() == self.PENDING:
            self.redis.delete(key)


def from_env(engine: Engine) -> Dedupe:
    url = os.environ.get("NAVIGATOR_REDIS_URL")
    return RedisDedupe(url) if url else DatabaseDedupe(engine)
