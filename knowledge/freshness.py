"""How fresh the catalogue's facts are: `last_verified` (programs, services) is the day
someone last checked the row with the provider.

A row is stale when that day is more than NAVIGATOR_STALE_DAYS (180) before today
(`knowledge.clock.today`, which NAVIGATOR_TODAY can pin), or when it has no date. Staff
see every stale row, grouped by provider; the bot names the month of a stale check when
it quotes a cost or a start date, and says nothing when there is no date at all (it
cannot name a month nobody checked).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.clock import today

DEFAULT_STALE_DAYS = 180


def stale_days() -> int:
    raw = os.environ.get("NAVIGATOR_STALE_DAYS")
    if not raw:
        return DEFAULT_STALE_DAYS
    if not (raw.isascii() and raw.isdigit()):
        raise SystemExit(f"NAVIGATOR_STALE_DAYS must be a whole number of days, not {raw!r}")
    return int(raw)


def stale_before(on: Optional[dt.date] = None) -> dt.date:
    """Rows last checked before this day are stale."""
    return (on or today()) - dt.timedelta(days=stale_days())


def is_stale(last_verified: Optional[dt.date], on: Optional[dt.date] = None) -> bool:
    return last_verified is None or last_verified < stale_before(on)


def checked_long_ago(last_verified: Optional[dt.date], on: Optional[dt.date] = None) -> bool:
    """Stale with a date the bot can name."""
    return last_verified is not None and is_stale(last_verified, on)


@dataclass
class StaleRow:
    kind: str  # "program" or "service"
    id: str
    name: str
    last_verified: Optional[dt.date]


@dataclass
class ProviderRows:
    provider: str  # the provider's name (programs) or the organization (services)
    rows: List[StaleRow] = field(default_factory=list)


def stale_rows(engine: Engine, on: Optional[dt.date] = None) -> List[ProviderRows]:
    """Every stale program and service, by provider; oldest (or never checked) first."""
    limit = stale_before(on)
    p, pr, s = m.Program, m.Provider, m.Service
    with engine.connect() as conn:
        programs = conn.execute(
            select(pr.name, p.id, p.title, p.last_verified).join(pr, pr.id == p.provider_id)
            .where((p.last_verified.is_(None)) | (p.last_verified < limit))).all()
        services = conn.execute(
            select(s.organization, s.id, s.name, s.last_verified)
            .where((s.last_verified.is_(None)) | (s.last_verified < limit))).all()
    groups: dict = {}
    for kind, found in (("program", programs), ("service", services)):
        for provider, id_, name, checked in found:
            groups.setdefault(provider, ProviderRows(provider)).rows.append(
                StaleRow(kind, id_, name, checked))
    for group in groups.values():
        group.rows.sort(key=lambda r: (r.last_verified or dt.date.min, r.kind, r.id))
    return sorted(groups.values(), key=lambda g: g.provider.lower())
