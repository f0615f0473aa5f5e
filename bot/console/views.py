"""Console pages: the queue, one referral with its transcript, status changes, exports,
and the audit log. A referral outside the navigator's teams answers 404, exactly as a
missing one does, so ids cannot be probed."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from typing import Any, Dict, List

from aiohttp import web
from sqlalchemy import select

from bot.console.app import PREFIX, TRACKER, db, render
from bot.console.transcripts import read_transcript
from bot.records import store
from knowledge import models as m

EXPORT_COLUMNS = ("code", "created_at", "status", "team", "assignee", "channel", "topic",
                  "county", "place", "first_name", "contact_method", "phone", "email",
                  "best_time", "language", "consent_at")


def age(created: dt.datetime) -> str:
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)
    minutes = int((store.utcnow() - created).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


async def queue_page(request: web.Request) -> web.Response:
    user = request["user"]
    status = request.query.get("status", "open")
    county = request.query.get("county") or None
    search = request.query.get("q") or None
    rows = await db(request, store.queue, user, status=status, county=county, search=search)
    for row in rows:
        row["age"] = age(row["created_at"])
    return render(request, "queue.html", rows=rows, status=status, county=county or "",
                  q=search or "", statuses=store.STATUSES)


def program_titles(engine, ids: List[str]) -> Dict[str, str]:
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(m.Program.id, m.Program.title, m.Program.provider_id)
                            .where(m.Program.id.in_(ids))).all()
    return {row.id: f"{row.title} ({row.provider_id})" for row in rows}


async def visible_referral(request: web.Request) -> Dict[str, Any]:
    referral = await db(request, store.referral_for, request["user"],
                        int(request.match_info["id"]))
    if referral is None:
        raise web.HTTPNotFound(text="No such referral.")
    return referral


async def referral_page(request: web.Request) -> web.Response:
    referral = await visible_referral(request)
    user = request["user"]
    transcript = await asyncio.to_thread(read_transcript, request.app[TRACKER],
                                         referral["sender_id"])
    await db(request, store.audit, user["username"], "view_transcript", referral["id"])
    summary = referral["summary"] or {}
    titles = await db(request, program_titles,
                      [*summary.get("programs", []), summary.get("selected_program")] if
                      summary else [])
    navigators = [u for u in await db(request, store.all_users)
                  if u["active"] and (u["role"] == "admin" or referral["team"] in u["teams"])]
    return render(request, "referral.html", r=referral, transcript=transcript,
                  summary=summary, titles=titles, statuses=store.STATUSES,
                  navigators=navigators)


async def change_status(request: web.Request) -> web.Response:
    form = await request.post()
    new = str(form.get("status", ""))
    note = str(form.get("note", "")).strip()[:2000] or None
    if new not in store.STATUSES:
        raise web.HTTPBadRequest(text="Unknown status.")
    done = await db(request, store.change_status, request["user"],
                    int(request.match_info["id"]), new, note)
    if not done:
        raise web.HTTPNotFound(text="No such referral.")
    raise web.HTTPSeeOther(f"{PREFIX}/referrals/{request.match_info['id']}")


async def assign(request: web.Request) -> web.Response:
    form = await request.post()
    user = request["user"]
    target = str(form.get("assignee", "me"))
    if target == "me":
        assignee = user["id"]
    elif target == "nobody":
        assignee = None
    elif target.isdigit() and user["role"] == "admin":
        assignee = int(target)
    else:
        raise web.HTTPForbidden(text="Only an admin can assign to someone else.")
    done = await db(request, store.assign, user, int(request.match_info["id"]), assignee)
    if not done:
        raise web.HTTPNotFound(text="No such referral.")
    raise web.HTTPSeeOther(str(form.get("back") or f"{PREFIX}/"))


async def export_csv(request: web.Request) -> web.Response:
    user = request["user"]
    rows = await db(request, store.queue, user, status="all", limit=100_000)
    await db(request, store.audit, user["username"], "export",
             detail=f"{len(rows)} referrals")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column)) for column in EXPORT_COLUMNS])
    stamp = store.utcnow().strftime("%Y%m%d-%H%M")
    return web.Response(
        text=out.getvalue(), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="referrals-{stamp}.csv"'})


def spreadsheet_safe(value: Any) -> str:
    """Learner-typed text must not run as a formula when the export opens in a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def users_page(request: web.Request) -> web.Response:
    """Admins see every account; changes go through `python -m bot.console users`."""
    if request["user"]["role"] != "admin":
        raise web.HTTPNotFound(text="No such page.")
    return render(request, "users.html", accounts=await db(request, store.all_users))


async def audit_page(request: web.Request) -> web.Response:
    if request["user"]["role"] != "admin":
        raise web.HTTPNotFound(text="No such page.")
    entries = await db(request, store.audit_entries)
    return render(request, "audit.html", entries=entries)


