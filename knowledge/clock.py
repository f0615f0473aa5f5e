"""Today's date as the catalogue sees it (is a start date past?).

NAVIGATOR_TODAY (YYYY-MM-DD) pins it, so an evaluation or a demo judges a catalogue on
the day it was written; unset, it is the real date.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("NAVIGATOR_TODAY")
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise SystemExit(f"NAVIGATOR_TODAY must be a date like 2026-12-01, not {pinned!r}") \
            from None
