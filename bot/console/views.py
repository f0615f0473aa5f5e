"""Console pages: the queue, one referral with its transcript, status changes, exports,
and the audit log. A referral outside the navigator's teams answers 404, exactly as a
missing one does, so ids cannot be probed."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from typing import Any, Dict, List, Optional
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy import select

from bot.console.keys import ENGINE, PREFIX, TRACKER, TWILIO
from bot.console.pages import db, render
from bot.console.transcripts import (
    in_order,
    last_learner_messages,
    read_transcript,
    thread_turns,
)
from bot.outreach import (
    OPTED_OUT,
    WAITING,
    learner_address,
    learner_language,
    send_to_learner,
)
from bot.quiet_hours import is_overdue
from bot.records import holds, store, thread
from bot.wording import say_in
from knowledge import models as m

MAX_MESSAGE = 1000  # characters of a navigator's message: six SMS segments at most
# Status changes a learner hears about (message catalogue entries).
STATUS_UPDATES = {"contacted": "say_update_contacted", "enrolled": "say_update_enrolled",
                  "closed": "say_update_closed"}
EXPORT_COLUMNS = ("code", "created_at", "status", "team", "assignee", "channel", "topic",
                  "county", "place", "first_name", "contact_method", "phone", "email",
                  "best_time", "language", "consent_at")


def age(created: dt.datetime) -> str:
    minutes = int((store.utcnow() - aware(created)).total_seconds() // 60)
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
    await db(request, topic_names, rows)
    wrote = await asyncio.to_thread(last_learner_messages, request.app[TRACKER],
                                    [row["sender_id"] for row in rows])
    now = store.utcnow()
    for row in rows:
        row["age"] = age(row["created_at"])
        row["unread"] = unread(row, wrote.get(row["sender_id"]))
        row["overdue"] = (row["status"] == "new" and row["first_contact_at"] is None
                          and is_overdue(aware(row["created_at"]), now))
    # The team lead's first look: referrals nobody reached in time, and learners who
    # told the follow-up that nobody did. Otherwise oldest first.
    rows.sort(key=lambda row: not (row["overdue"] or row["flagged_at"]))
    return render(request, "queue.html", rows=rows, status=status, county=county or "",
                  q=search or "", statuses=store.STATUSES)


def aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


def unread(row: Dict[str, Any], wrote: Optional[dt.datetime]) -> bool:
    """The learner wrote after the referral was made and after a navigator last read."""
    if wrote is None:
        return False
    seen = max(aware(row["created_at"]), aware(row["learner_read_at"] or row["created_at"]))
    return wrote > seen


SOC_CODE = re.compile(r"^\d{2}-\d{4}$")


def topic_names(engine, rows: List[Dict[str, Any]]) -> None:
    """A topic stored as an occupation's SOC code ("51-4121") reads as its name."""
    codes = {row["topic"] for row in rows if SOC_CODE.match(row.get("topic") or "")}
    if not codes:
        return
    with engine.connect() as conn:
        names = dict(conn.execute(select(m.Occupation.soc, m.Occupation.title)
                                  .where(m.Occupation.soc.in_(codes))).all())
    for row in rows:
        row["topic"] = names.get(row.get("topic"), row.get("topic"))


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
    await db(request, store.audit, request["user"]["username"], "view_transcript",
             referral["id"])
    return await show_referral(request, referral)


async def show_referral(request: web.Request, referral: Dict[str, Any], *,
                        http_status: int = 200, error: Optional[str] = None,
                        draft: str = "") -> web.Response:
    """The referral page; after a refused message, with the reason and the words kept."""
    sender = referral["sender_id"]
    learner, events_seen = await asyncio.to_thread(read_transcript, request.app[TRACKER],
                                                   sender)
    notes, notes_seen = await db(request, thread_turns, sender)
    if learner:
        await db(request, store.mark_read, referral["id"], learner[-1].at)
    referral = dict(referral)
    await db(request, topic_names, [referral])
    summary = referral["summary"] or {}
    titles = await db(request, program_titles,
                      [*summary.get("programs", []), summary.get("selected_program")] if
                      summary else [])
    navigators = [u for u in await db(request, store.all_users)
                  if u["active"] and (u["role"] == "admin" or referral["team"] in u["teams"])]
    return render(request, "referral.html", http_status, r=referral,
                  transcript=in_order(learner, notes), after=f"{events_seen}-{notes_seen}",
                  held=await db(request, holds.holder, sender), error=error, draft=draft,
                  summary=summary, titles=titles, statuses=store.STATUSES,
                  navigators=navigators, max_message=MAX_MESSAGE)


async def change_status(request: web.Request) -> web.Response:
    form = await request.post()
    new = str(form.get("status", ""))
    note = str(form.get("note", "")).strip()[:2000] or None
    if new not in store.STATUSES:
        raise web.HTTPBadRequest(text="Unknown status.")
    referral = await visible_referral(request)
    await db(request, store.change_status, request["user"], referral["id"], new, note)
    if new != referral["status"]:
        await tell_learner(request, referral, new)
    raise web.HTTPSeeOther(f"{PREFIX}/referrals/{referral['id']}")


async def tell_learner(request: web.Request, referral: Dict[str, Any], status: str) -> None:
    """A short message in the learner's language about the new status, if they agreed to
    updates at consent. Whatever happens is written in the referral's history."""
    entry = STATUS_UPDATES.get(status)
    if entry is None or not referral["updates_ok"] or referral["erased_at"] is not None:
        return
    channel, phone = learner_address(referral)
    text = say_in(learner_language(referral), entry, code=referral["code"])
    try:
        outcome = await send_to_learner(
            request.app[ENGINE], request.app[TWILIO], sender_id=referral["sender_id"],
            channel=channel, phone=phone, text=text, author=thread.BOT,
            referral_id=referral["id"])
        note = {OPTED_OUT: "Status update not sent: the number opted out of texts.",
                WAITING: "Status update left in the learner's chat."}.get(
            outcome, "Status update texted to the learner.")
    except Exception as error:  # noqa: BLE001 - the status stands; the note says why
        note = f"Status update not sent ({type(error).__name__})."
    await db(request, store.add_note, referral["id"], "bot", note)


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
    raise web.HTTPSeeOther(console_path(form.get("back")))


def console_path(back: Any) -> str:
    """Where to go after a form: a path inside the console, never another site's URL
    ("//host", "/\\host" and "https://..." all reach another host in a browser)."""
    text = str(back or "")
    parts = urlsplit(text)
    if (text.startswith(f"{PREFIX}/") and "\\" not in text and not parts.scheme
            and not parts.netloc and not any(ord(c) < 32 for c in text)):
        return text
    return f"{PREFIX}/"


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


