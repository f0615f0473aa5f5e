"""The dashboard (GET /console/dashboard): what learners ask for and do not find, by
county, and how referrals fare, each section with a chart, the table of its numbers and
a CSV of that same table (GET /console/dashboard/<section>.csv).

Every signed-in user may open it. The search figures are anonymous and county-level,
so everyone sees all of them; the referral figures cover the user's teams only (admins
and editors: every team). Filters come from a GET form, so a filtered view is a link,
and its CSV links carry the same filters. The queries and the drawing run in threads.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from typing import Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlencode

from aiohttp import web

from bot.console import charts, figures
from bot.console.pages import db, render
from bot.console.views import spreadsheet_safe
from bot.records import referral_figures, store
from bot.records.filters import LANGUAGE_NAMES, Filters
from knowledge.oregon import OREGON_COUNTIES


def add_routes(app: web.Application) -> None:
    app.router.add_get("/dashboard", dashboard_page)
    app.router.add_get("/dashboard/{section:[a-z-]+}.csv", section_csv)


def read_filters(query: Mapping[str, str], user: Dict,
                 teams: List[str]) -> Tuple[Filters, List[str]]:
    """The filters asked for, and a sentence for each one that could not be used (it is
    left out rather than refusing the page)."""
    problems: List[str] = []
    start = _day(query.get("from"), "From", problems)
    end = _day(query.get("to"), "To", problems)
    if start and end and start > end:
        problems.append("“From” was after “To”: the two dates were swapped.")
        start, end = end, start
    team = query.get("team") or None
    if team and not referral_figures.sees_every_team(user) and team not in teams:
        problems.append("You see only your own teams' referrals: the team was left out.")
        team = None
    county = query.get("county") or None
    if county and county not in OREGON_COUNTIES:
        problems.append("That is not an Oregon county: every county is shown.")
        county = None
    language = query.get("language") or None
    if language and language not in LANGUAGE_NAMES:
        problems.append("Only English or Spanish can be chosen: every language is shown.")
        language = None
    return Filters(start=start, end=end, team=team, county=county, language=language), problems


def _day(text: Optional[str], name: str, problems: List[str]) -> Optional[dt.date]:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        problems.append(f"“{name}” must be a date like 2026-03-31: it was left out.")
        return None


def query_of(filters: Filters) -> str:
    """The filters as a query string, for the CSV links."""
    values = {"from": filters.start, "to": filters.end, "team": filters.team,
              "county": filters.county, "language": filters.language}
    return urlencode({key: str(value) for key, value in values.items() if value})


async def _sections(request: web.Request) -> Tuple[List[figures.Section], Filters,
                                                   List[str], List[str]]:
    user = request["user"]
    teams = await db(request, referral_figures.teams_for, user)
    filters, problems = read_filters(request.query, user, teams)
    sections = await db(request, figures.gather, user, filters)
    return sections, filters, problems, teams


def draw_all(sections: List[figures.Section]) -> Dict[str, str]:
    return {section.slug: charts.draw(section) for section in sections}


async def dashboard_page(request: web.Request) -> web.Response:
    user = request["user"]
    sections, filters, problems, teams = await _sections(request)
    drawn = await asyncio.to_thread(draw_all, sections)
    by_slug = {section.slug: section for section in sections}
    return render(
        request, "dashboard.html",
        searches=[by_slug[slug] for slug in figures.SEARCH_SLUGS],
        referrals=[by_slug[slug] for slug in figures.REFERRAL_SLUGS],
        charts=drawn, filters=filters, problems=problems, teams=teams,
        every_team=referral_figures.sees_every_team(user), counties=OREGON_COUNTIES,
        languages=LANGUAGE_NAMES, query=query_of(filters), fewer=figures.FEWER)


async def section_csv(request: web.Request) -> web.Response:
    slug = request.match_info["section"]
    if slug not in figures.SLUGS:
        raise web.HTTPNotFound(text="No such table.")
    sections, _, _, _ = await _sections(request)
    section = next(s for s in sections if s.slug == slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(section.columns)
    for row in section.rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    stamp = store.utcnow().strftime("%Y%m%d-%H%M")
    return web.Response(
        text=out.getvalue(), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-{stamp}.csv"'})
