"""The action server's one engine for the navigator database (referrals), made on first
use; store calls run in threads (see bot.records.store)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.engine import Engine

from knowledge.db import make_engine

_engine: Optional[Engine] = None


def store_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = make_engine()
    return _engine
