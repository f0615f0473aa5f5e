"""The dashboard's tables: what the store counted, as the rows a navigator reads, with
every count under 5 hidden.

A count of 1 to 4 is shown as "fewer than 5" in the table, the CSV and the chart (the
chart gets no value for it at all), and nothing is ordered by a hidden value: rows with a
hidden count come after the shown ones, in alphabetical order. The page, the CSV and
the chart all read the same Section, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy.engine import Engine

from bot.records import outcomes, referral_figures, store
from bot.records.filters import Filters

SMALL = 5  # counts below this (and above 0) are hidden
FEWER = "fewer than 5"
HIDDEN_TOTAL = "not shown (a team has fewer than 5)"
NOT_SHOWN = "not shown"
CHART_BARS = 15  # a longer table is charted by its largest rows
UNKNOWN_COUNTY = "county not known"
UNKNOWN_KIND = "not known"


def small(n: int) -> bool:
    return 0 < n < SMALL


def shown(n: int) -> str:
    return FEWER if small(n) else str(n)


def words(code: Optional[str]) -> str:
    """A code as words ("early_childhood" → "early childhood")."""
    return code.replace("_", " ") if code else UNKNOWN_KIND


@dataclass(frozen=True)
class Bar:
    label: str
    value: Optional[float]  # None: hidden, drawn as a placeholder without its value


@dataclass(frozen=True)
class Section:
    slug: str  # its CSV is /console/dashboard/<slug>.csv
    title: str
    summary: str
    columns: Tuple[str, ...]
    rows: List[Tuple[str, ...]]
    bars: List[Bar]
    axis: str  # what the bars measure
    placeholder: Optional[float] = SMALL  # a hidden bar's height; None: a quarter of the axis
    over_time: bool = False  # weeks run left to right
    notes: List[str] = field(default_factory=list)


def _display_order(n: int, label: str) -> Tuple[bool, int, str]:
    """Largest shown counts first; hidden ones last, alphabetically (their order must not
    say which is larger)."""
    return (small(n), 0 if small(n) else -n, label)


def _charted(bars: List[Tuple[int, Bar]], notes: List[str]) -> List[Bar]:
    ordered = [bar for _, bar in sorted(bars, key=lambda nb: _display_order(nb[0],
                                                                           nb[1].label))]
    if len(ordered) > CHART_BARS:
        notes.append(f"The chart shows the {CHART_BARS} largest; the table lists all "
                     f"{len(ordered)}.")
    return ordered[:CHART_BARS]


def county_section(slug: str, title: str, summary: str, kind_column: str,
                   count_column: str, counted: Iterable[Tuple[Any, ...]]) -> Section:
    """(county, kind, searches, followed) rows: a table by county, the largest first, and a
    chart of the largest cells. `followed` is how many a referral followed."""
    cells = [(county or UNKNOWN_COUNTY, words(kind), n, then) for county, kind, n, then in counted]
    cells.sort(key=lambda c: (c[0] == UNKNOWN_COUNTY, c[0]) + _display_order(c[2], c[1]))
    rows = [(county, kind, shown(n), shown(then)) for county, kind, n, then in cells]
    notes: List[str] = []
    bars = _charted([(n, Bar(f"{county}: {kind}", None if small(n) else n))
                     for county, kind, n, _ in cells], notes)
    return Section(slug, title, summary,
                   ("County", kind_column, count_column, "Then asked for a navigator"),
                   rows, bars, count_column, notes=notes)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_section(by_day: Iterable[Tuple[dt.date, int]]) -> Section:
    """Searches that found nothing, week by week (weeks start on Monday; a week without
    any is shown as 0 between the first and the last)."""
    weeks: Dict[dt.date, int] = defaultdict(int)
    for day, n in by_day:
        weeks[monday(day)] += n
    if weeks:
        week, last = min(weeks), max(weeks)
        while week < last:
            week += dt.timedelta(days=7)
            weeks.setdefault(week, 0)
    ordered = sorted(weeks.items())
    return Section(
        "unmet-weeks", "Searches with no result, week by week",
        "Program and help searches that found nothing, by the week they were made.",
        ("Week starting", "Searches with no result"),
        [(week.isoformat(), shown(n)) for week, n in ordered],
        [Bar(week.strftime("%b %d").replace(" 0", " "), None if small(n) else n)
         for week, n in ordered],
        "Searches with no result", over_time=True)


def counts_section(slug: str, title: str, summary: str, column: str,
                   counted: Sequence[Tuple[str, int]]) -> Section:
    """(label, referrals) rows in the order given; nothing here depends on a hidden value."""
    return Section(slug, title, summary, (column, "Referrals"),
                   [(label, shown(n)) for label, n in counted],
                   [Bar(label, None if small(n) else n) for label, n in counted],
                   "Referrals")


def status_section(counted: Iterable[Tuple[Optional[str], int]]) -> Section:
    by_status = dict(counted)
    order = [s for s in store.STATUSES if s in by_status] + sorted(
        str(s) for s in by_status if s not in store.STATUSES)
    return counts_section(
        "referrals-status", "Referrals by status",
        "Where the referrals made in the period stand now.", "Status",
        [(store.STATUS_WORDS.get(s, s), by_status[s]) for s in order])


def team_section(counted: Iterable[Tuple[Optional[str], int]]) -> Section:
    return counts_section(
        "referrals-team", "Referrals by team", "Referrals made in the period, by team.",
        "Team", sorted((str(team), n) for team, n in counted))


def first_contact_section(delays: Iterable[Tuple[str, float]]) -> Section:
    """Median hours from the referral to a navigator's first contact, per team and for
    all teams. A median of fewer than 5 referrals is not shown; the all-teams count is
    not shown beside a hidden team's (it would give the hidden one away)."""
    by_team: Dict[str, List[float]] = defaultdict(list)
    for team, hours in delays:
        by_team[team].append(hours)
    every = [h for hours in by_team.values() for h in hours]
    rows: List[Tuple[str, ...]] = []
    bars: List[Bar] = []
    for team in sorted(by_team):
        hours = by_team[team]
        median = None if small(len(hours)) else statistics.median(hours)
        rows.append((team, shown(len(hours)), _hours(median)))
        bars.append(Bar(team, median))
    if by_team:
        any_hidden = any(small(len(h)) for h in by_team.values())
        median = None if small(len(every)) else statistics.median(every)
        rows.append(("All teams", HIDDEN_TOTAL if any_hidden and not small(len(every))
                     else shown(len(every)), _hours(median)))
        bars.append(Bar("All teams", median))
    return Section(
        "first-contact", "Time to first contact",
        "Median hours from a referral to a navigator's first contact with the learner, "
        "for the referrals made in the period that have had one.",
        ("Team", "Referrals contacted", "Median hours to first contact"),
        rows, bars, "Median hours to first contact", placeholder=None)


def _hours(median: Optional[float]) -> str:
    return NOT_SHOWN if median is None else f"{median:.1f}"


# ---------------------------------------------------------------- the whole page

SEARCH_SLUGS = ("unmet-services", "unmet-programs", "asked-programs", "asked-services",
                "unmet-weeks")
REFERRAL_SLUGS = ("referrals-status", "referrals-team", "first-contact")
SLUGS = SEARCH_SLUGS + REFERRAL_SLUGS


def gather(engine: Engine, user: Dict[str, Any], filters: Filters) -> List[Section]:
    """Every section of the dashboard, in page order (runs the store's queries: call it in
    a thread)."""
    def by_county(journey: str, unmet: bool):
        return outcomes.searches_by_county(engine, filters, journey, unmet_only=unmet)

    return [
        county_section(
            "unmet-services", "Help asked for and not found, by county",
            "Searches for help to attend (rides, child care…) that found no service.",
            "Kind of help", "Searches with no result", by_county(outcomes.SERVICE, True)),
        county_section(
            "unmet-programs", "Programs asked for and not found, by county",
            "Program searches that found no matching program, by the field asked for.",
            "Field", "Searches with no result", by_county(outcomes.PROGRAM, True)),
        county_section(
            "asked-programs", "Most asked-for programs, by field and county",
            "Every program search, found or not, by the field asked for.",
            "Field", "Searches", by_county(outcomes.PROGRAM, False)),
        county_section(
            "asked-services", "Most asked-for help, by kind and county",
            "Every search for help to attend, found or not.",
            "Kind of help", "Searches", by_county(outcomes.SERVICE, False)),
        weeks_section(outcomes.unmet_by_day(engine, filters)),
        status_section(referral_figures.counts_by(engine, user, filters, "status")),
        team_section(referral_figures.counts_by(engine, user, filters, "team")),
        first_contact_section(referral_figures.first_contact_hours(engine, user, filters)),
    ]
