"""The dashboard on a known set of searches and referrals: every table and its CSV hold
exactly the numbers worked out by hand below, counts of 1 to 4 read "fewer than 5"
in both, the filters narrow the numbers, and a navigator sees only their teams'
referrals (the anonymous search figures are everyone's)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html.parser import HTMLParser
from typing import Dict, List, Tuple

import pytest
from sqlalchemy import update

from bot.console import charts, figures
from bot.records import outcomes, referral_figures, store
from bot.records.filters import Filters
from tests.console.conftest import log_in, make_referral

FEWER = "fewer than 5"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}

# (journey, sector or kind of help, county, language, results, day, referral followed, how many)
SEARCHES = [
    ("service", "childcare", "Lane", "es", 0, "2026-03-02", True, 2),
    ("service", "childcare", "Lane", "es", 0, "2026-03-03", False, 3),
    ("service", "childcare", "Lane", "en", 0, "2026-03-10", False, 2),
    ("service", "transportation", "Lane", "en", 0, "2026-03-11", False, 3),
    ("service", "housing", "Marion", "en", 0, "2026-03-16", False, 5),
    ("service", "childcare", "Lane", "en", 2, "2026-03-04", False, 4),
    ("service", "food", "Marion", "es", 3, "2026-03-05", False, 6),
    ("program", "healthcare", "Lane", "en", 0, "2026-03-17", True, 6),
    ("program", "healthcare", "Lane", "en", 3, "2026-03-06", False, 9),
    ("program", "manufacturing", "Marion", "en", 0, "2026-03-18", False, 2),
    ("program", "manufacturing", "Marion", "en", 1, "2026-03-12", False, 8),
    ("program", "healthcare", "Lane", "en", 0, "2026-02-20", False, 4),  # before March
]
# Lane: five contacted (first contact after 1, 2, 3, 10 and 30 hours; Spanish), two new
# (English). PCC: three enrolled (4, 5 and 6 hours; English, Multnomah County).
LANE_HOURS = (1, 2, 3, 10, 30)
PCC_HOURS = (4, 5, 6)


def seed_searches(engine) -> None:
    for journey, kind, county, language, found, day, followed, times in SEARCHES:
        for _ in range(times):
            row = outcomes.record(engine, outcomes.SearchOutcome(
                journey=journey, result_count=found, day=dt.date.fromisoformat(day),
                sector=kind if journey == "program" else None,
                service_category=kind if journey == "service" else None,
                county=county, language=language, channel="socketio"))
            if followed:
                outcomes.mark_referral_followed(engine, [row])


def seed_referral(engine, team, n, *, status, hours=None, language, county) -> None:
    made = dt.datetime(2026, 3, 2 + n, 15, 0, tzinfo=dt.timezone.utc)
    referral = make_referral(engine, team, f"{team}-learner-{n}")
    with engine.begin() as conn:
        conn.execute(update(store.referrals).where(store.referrals.c.id == referral).values(
            created_at=made, status=status, language=language, county=county,
            first_contact_at=made + dt.timedelta(hours=hours) if hours is not None else None))


@pytest.fixture
def seeded(world):
    engine = world["engine"]
    with engine.begin() as conn:  # the fixture's own two referrals: long before March
        conn.execute(update(store.referrals).values(
            created_at=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)))
    seed_searches(engine)
    for n, hours in enumerate(LANE_HOURS):
        seed_referral(engine, "lane", n, status="contacted", hours=hours, language="Spanish",
                      county="Lane")
    for n in (5, 6):
        seed_referral(engine, "lane", n, status="new", language="English", county="Lane")
    for n, hours in enumerate(PCC_HOURS):
        seed_referral(engine, "pcc", n, status="enrolled", hours=hours, language="English",
                      county="Multnomah")
    return world


class Tables(HTMLParser):
    """The body rows of each section's table, by section (its CSV's name)."""

    def __init__(self):
        super().__init__()
        self.tables: Dict[str, List[Tuple[str, ...]]] = {}
        self.headers: Dict[str, Tuple[str, ...]] = {}
        self.empty: List[str] = []
        self._section = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("aria-labelledby", "").startswith("h-"):
            self._section = attrs["aria-labelledby"][2:]
            self.tables[self._section] = []
        elif tag == "tr" and self._section:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._section not in self.headers:
                self.headers[self._section] = tuple(self._row)
            else:
                self.tables[self._section].append(tuple(self._row))
            self._row = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


async def dashboard(console, who: str, **query) -> Tables:
    await log_in(console, who)
    response = await console.get("/console/dashboard", params=query)
    assert response.status == 200
    parser = Tables()
    parser.feed(await response.text())
    return parser


async def csv_rows(console, slug: str, **query) -> List[Tuple[str, ...]]:
    response = await console.get(f"/console/dashboard/{slug}.csv", params=query)
    assert response.status == 200
    assert response.content_type == "text/csv"
    rows = [tuple(row) for row in csv.reader(io.StringIO(await response.text()))]
    return rows


async def test_the_tables_hold_the_numbers_worked_out_by_hand(seeded, console):
    page = await dashboard(console, "boss", **MARCH)
    assert page.tables["unmet-services"] == [
        ("Lane", "childcare", "7", FEWER),
        ("Lane", "transportation", FEWER, "0"),
        ("Marion", "housing", "5", "0"),
    ]
    assert page.tables["unmet-programs"] == [
        ("Lane", "healthcare", "6", "6"),
        ("Marion", "manufacturing", FEWER, "0"),
    ]
    assert page.tables["asked-programs"] == [
        ("Lane", "healthcare", "15", "6"),
        ("Marion", "manufacturing", "10", "0"),
    ]
    assert page.tables["asked-services"] == [
        ("Lane", "childcare", "11", FEWER),
        ("Lane", "transportation", FEWER, "0"),
        ("Marion", "food", "6", "0"),
        ("Marion", "housing", "5", "0"),
    ]
    assert page.tables["unmet-weeks"] == [
        ("2026-03-02", "5"), ("2026-03-09", "5"), ("2026-03-16", "13")]
    assert page.tables["referrals-status"] == [
        ("new", FEWER), ("contacted", "5"), ("enrolled", FEWER)]
    assert page.tables["referrals-team"] == [("lane", "7"), ("pcc", FEWER)]
    # All teams: 1 2 3 4 5 6 10 30 → (4 + 5) / 2; its count would give PCC's away.
    assert page.tables["first-contact"] == [
        ("lane", "5", "3.0"),
        ("pcc", FEWER, "not shown"),
        ("All teams", "not shown (a team has fewer than 5)", "4.5"),
    ]
    assert page.headers["unmet-services"] == (
        "County", "Kind of help", "Searches with no result", "Then asked for a navigator")


async def test_without_dates_every_week_is_shown_and_a_small_week_hidden(seeded, console):
    page = await dashboard(console, "boss")
    assert page.tables["unmet-weeks"] == [
        ("2026-02-16", FEWER), ("2026-02-23", "0"), ("2026-03-02", "5"),
        ("2026-03-09", "5"), ("2026-03-16", "13")]
    assert ("Lane", "healthcare", "10", "6") in page.tables["unmet-programs"]


async def test_every_csv_is_its_table_small_counts_hidden_too(seeded, console):
    page = await dashboard(console, "boss", **MARCH)
    for slug in figures.SLUGS:
        rows = await csv_rows(console, slug, **MARCH)
        assert rows[0] == page.headers[slug], slug
        assert rows[1:] == page.tables[slug], slug
    unmet = await csv_rows(console, "unmet-services", **MARCH)
    assert ("Lane", "transportation", FEWER, "0") in unmet
    assert not any(cell in ("1", "2", "3", "4") for row in unmet[1:] for cell in row[2:3])


async def test_the_page_links_each_csv_with_its_filters(seeded, console):
    await log_in(console, "boss")
    html = await (await console.get("/console/dashboard", params={
        **MARCH, "county": "Lane"})).text()
    assert ('href="/console/dashboard/unmet-services.csv?from=2026-03-01&amp;to=2026-03-31'
            '&amp;county=Lane"') in html
    assert html.count('role="img"') == len(figures.SLUGS)


async def test_the_county_filter_narrows_searches_and_referrals(seeded, console):
    page = await dashboard(console, "boss", county="Marion", **MARCH)
    assert page.tables["unmet-services"] == [("Marion", "housing", "5", "0")]
    assert page.tables["unmet-programs"] == [("Marion", "manufacturing", FEWER, "0")]
    assert page.tables["unmet-weeks"] == [("2026-03-16", "7")]
    assert page.tables["referrals-team"] == []
    page = await dashboard(console, "boss", county="Multnomah", **MARCH)
    assert page.tables["referrals-team"] == [("pcc", FEWER)]
    assert page.tables["unmet-services"] == []


async def test_the_language_filter_narrows_searches_and_referrals(seeded, console):
    page = await dashboard(console, "boss", language="es", **MARCH)
    assert page.tables["unmet-services"] == [("Lane", "childcare", "5", FEWER)]
    assert page.tables["asked-services"] == [
        ("Lane", "childcare", "5", FEWER), ("Marion", "food", "6", "0")]
    assert page.tables["unmet-programs"] == []
    assert page.tables["referrals-status"] == [("contacted", "5")]
    assert page.tables["referrals-team"] == [("lane", "5")]


async def test_the_dates_narrow_everything(seeded, console):
    page = await dashboard(console, "boss", **{"from": "2026-03-09", "to": "2026-03-15"})
    assert page.tables["unmet-services"] == [
        ("Lane", "childcare", FEWER, "0"), ("Lane", "transportation", FEWER, "0")]
    assert page.tables["asked-programs"] == [("Marion", "manufacturing", "8", "0")]
    assert page.tables["unmet-weeks"] == [("2026-03-09", "5")]
    # Lane's referrals were made on March 2 to 8, PCC's on March 2 to 4.
    assert page.tables["referrals-team"] == []


async def test_the_team_filter_narrows_referrals_only(seeded, console):
    page = await dashboard(console, "boss", team="lane", **MARCH)
    assert page.tables["referrals-team"] == [("lane", "7")]
    assert page.tables["referrals-status"] == [("new", FEWER), ("contacted", "5")]
    assert page.tables["unmet-services"][0] == ("Lane", "childcare", "7", FEWER)


async def test_a_navigator_sees_only_their_teams_referrals(seeded, console):
    page = await dashboard(console, "ana", **MARCH)
    assert page.tables["referrals-team"] == [("lane", "7")]
    assert page.tables["referrals-status"] == [("new", FEWER), ("contacted", "5")]
    assert page.tables["first-contact"] == [("lane", "5", "3.0"), ("All teams", "5", "3.0")]
    # The anonymous county figures are the same for everyone.
    assert page.tables["unmet-services"][0] == ("Lane", "childcare", "7", FEWER)
    assert await csv_rows(console, "referrals-team", **MARCH) == [
        ("Team", "Referrals"), ("lane", "7")]
    # Asking for another team's figures shows their own, and says why.
    response = await console.get("/console/dashboard", params={"team": "pcc", **MARCH})
    html = await response.text()
    assert "only your own teams" in html
    page = Tables()
    page.feed(html)
    assert page.tables["referrals-team"] == [("lane", "7")]
    assert await csv_rows(console, "referrals-team", team="pcc", **MARCH) == [
        ("Team", "Referrals"), ("lane", "7")]


async def test_the_other_team_sees_theirs(seeded, console):
    page = await dashboard(console, "pat", **MARCH)
    assert page.tables["referrals-team"] == [("pcc", FEWER)]
    assert page.tables["referrals-status"] == [("enrolled", FEWER)]
    assert page.tables["first-contact"] == [
        ("pcc", FEWER, "not shown"), ("All teams", FEWER, "not shown")]


async def test_signed_out_there_is_no_dashboard_nor_csv(seeded, console):
    for path in ("/console/dashboard", "/console/dashboard/unmet-services.csv"):
        response = await console.get(path, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/console/login"


async def test_an_unknown_table_is_not_found_and_bad_filters_are_said(seeded, console):
    await log_in(console, "ana")
    assert (await console.get("/console/dashboard/nothing.csv")).status == 404
    html = await (await console.get("/console/dashboard", params={
        "from": "March", "county": "Atlantis", "language": "fr"})).text()
    assert "must be a date like" in html and "not an Oregon county" in html
    assert "Only English or Spanish" in html


async def test_the_page_is_served_with_the_console_headers(seeded, console):
    await log_in(console, "ana")
    response = await console.get("/console/dashboard")
    assert "img-src 'self'" in response.headers["Content-Security-Policy"]
    html = await response.text()
    assert 'style="' not in html.split("<main>")[1]  # the CSP would block it
    assert "<style" not in html
    assert 'href="/console/dashboard">Dashboard</a>' in html


def test_a_hidden_count_never_reaches_the_chart():
    """Two tables that differ only in a hidden count draw the very same chart."""
    def drawn(hidden: int) -> str:
        return charts.draw(figures.county_section(
            "unmet-services", "Help asked for and not found, by county", "", "Kind of help",
            "Searches with no result",
            [("Lane", "childcare", 12, 0), ("Lane", "transportation", hidden, 0),
             ("Linn", "food", 4 if hidden == 1 else 1, 0)]))
    assert drawn(1) == drawn(4)
    section = figures.county_section("s", "t", "", "k", "n", [("Lane", "food", 3, 0)])
    assert section.bars == [figures.Bar("Lane: food", None)]


def test_hidden_rows_follow_the_shown_ones_alphabetically():
    section = figures.county_section("s", "t", "", "k", "n", [
        ("Lane", "housing", 4, 0), ("Lane", "food", 1, 0), ("Lane", "childcare", 9, 0),
        ("Lane", "legal", 6, 0)])
    assert [row[1] for row in section.rows] == ["childcare", "legal", "food", "housing"]


def test_admins_and_editors_count_every_teams_referrals(seeded):
    march = Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    for role in ("admin", "editor"):
        user = {"role": role, "teams": []}
        assert sorted(referral_figures.counts_by(seeded["engine"], user, march, "team")) == [
            ("lane", 7), ("pcc", 3)]
    navigator = {"role": "navigator", "teams": []}
    assert referral_figures.counts_by(seeded["engine"], navigator, march, "team") == []
