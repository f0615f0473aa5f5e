"""What the dashboard is narrowed to: one value object both kinds of figures read
(search outcomes in bot/records/outcomes.py, referrals in bot/records/referral_figures.py),
so a filter means the same thing in every table of the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

# The conversation's language code, and how the handoff form stores the navigator's.
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


@dataclass(frozen=True)
class Filters:
    start: Optional[dt.date] = None  # first day included
    end: Optional[dt.date] = None  # last day included
    team: Optional[str] = None  # referrals only: searches belong to no team
    county: Optional[str] = None
    language: Optional[str] = None  # "en" or "es"
