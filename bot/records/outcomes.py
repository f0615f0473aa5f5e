"""Search outcomes: one anonymous row per search a learner ran, so navigators can see
what people ask for and do not find. Table: bot/records/tables.py `search_outcomes`.

A row holds codes only (journey, sector or kind of help, county, language, channel), a
count and a day. Whatever an action passes in, anything that is not such a code is
dropped here, so no words a learner typed can reach the table.

Synchronous, like bot.records.store: async callers run these in a thread.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.engine import Engine

from bot.records.filters import Filters
from bot.records.tables import search_outcomes
from knowledge.oregon import OREGON_COUNTIES

PROGRAM = "program"
SERVICE = "service"
PATHWAY = "pathway"
JOURNEYS = (PROGRAM, SERVICE, PATHWAY)
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class SearchOutcome:
    journey: str
    result_count: int
    day: dt.date
    sector: Optional[str] = None
    service_category: Optional[str] = None
    county: Optional[str] = None
    language: Optional[str] = None
    channel: Optional[str] = None


def code(value: object, longest: int = 40) -> Optional[str]:
    """The value if it is a short lower-case code ("early_childhood"), else None."""
    return value if isinstance(value, str) and len(value) <= longest and CODE.match(value) \
        else None


def record(engine: Engine, outcome: SearchOutcome) -> int:
    """Stores one search's outcome; returns the row's id (kept in the conversation so a
    later referral can be counted against it)."""
    if outcome.journey not in JOURNEYS:
        raise ValueError(f"unknown journey {outcome.journey!r}")
    values = {
        "journey": outcome.journey,
        "result_count": max(0, int(outcome.result_count)),
        "day": outcome.day,
        "sector": code(outcome.sector),
        "service_category": code(outcome.service_category),
        "county": outcome.county if outcome.county in OREGON_COUNTIES else None,
        "language": code(outcome.language, longest=10),
        "channel": code(outcome.channel),
    }
    with engine.begin() as conn:
        return conn.execute(insert(search_outcomes).values(**values)).inserted_primary_key[0]


def mark_referral_followed(engine: Engine, ids: Iterable[object]) -> int:
    """The conversation that ran these searches asked for a navigator."""
    wanted = sorted({i for i in ids if isinstance(i, int) and not isinstance(i, bool)})
    if not wanted:
        return 0
    with engine.begin() as conn:
        done = conn.execute(update(search_outcomes).where(search_outcomes.c.id.in_(wanted))
                            .values(referral_followed=True))
    return done.rowcount or 0


def forget_before(engine: Engine, day: dt.date) -> int:
    """Deletes the outcomes of searches made before `day` (retention)."""
    with engine.begin() as conn:
        done = conn.execute(delete(search_outcomes).where(search_outcomes.c.day < day))
    return done.rowcount or 0


# ---------------------------------------------------------------- for the dashboard

def _where(filters: Filters, journey: Optional[str]) -> list:
    clauses = []
    if journey:
        clauses.append(search_outcomes.c.journey == journey)
    if filters.start:
        clauses.append(search_outcomes.c.day >= filters.start)
    if filters.end:
        clauses.append(search_outcomes.c.day <= filters.end)
    if filters.county:
        clauses.append(search_outcomes.c.county == filters.county)
    if filters.language:
        clauses.append(search_outcomes.c.language == filters.language)
    return clauses


def searches_by_county(engine: Engine, filters: Filters, journey: str, *, unmet_only: bool
                       ) -> List[Tuple[Optional[str], Optional[str], int, int]]:
    """(county, sector or kind of help, searches, searches a referral followed) for one
    journey; with `unmet_only`, only the searches that found nothing."""
    what = search_outcomes.c.sector if journey == PROGRAM else search_outcomes.c.service_category
    clauses = _where(filters, journey)
    if unmet_only:
        clauses.append(search_outcomes.c.result_count == 0)
    followed = func.sum(case((search_outcomes.c.referral_followed.is_(True), 1), else_=0))
    query = (select(search_outcomes.c.county, what, func.count(), followed)
             .where(*clauses).group_by(search_outcomes.c.county, what))
    with engine.connect() as conn:
        return [(county, kind, n, int(then or 0)) for county, kind, n, then in
                conn.execute(query)]


def unmet_by_day(engine: Engine, filters: Filters) -> List[Tuple[dt.date, int]]:
    """(day, searches that found nothing), every journey; the dashboard sums weeks."""
    query = (select(search_outcomes.c.day, func.count())
             .where(*_where(filters, None), search_outcomes.c.result_count == 0)
             .group_by(search_outcomes.c.day))
    with engine.connect() as conn:
        return [(_as_date(day), n) for day, n in conn.execute(query)]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
