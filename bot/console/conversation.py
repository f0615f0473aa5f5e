"""A navigator in the learner's thread: replying in the learner's channel (which holds
the conversation, so the bot stays quiet), handing it back to the bot, and the live feed
of the conversation on the referral page (server-sent events)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, Optional, Tuple

from aiohttp import web

from bot.console.keys import ENGINE, PREFIX, TRACKER, TWILIO
from bot.console.middlewares import HEADERS
from bot.console.pages import db
from bot.console.transcripts import in_order, read_transcript, thread_turns
from bot.console.views import MAX_MESSAGE, show_referral, visible_referral
from bot.outreach import (
    OPTED_OUT,
    SmsNotConfigured,
    learner_address,
    learner_language,
    send_to_learner,
)
from bot.records import holds, store
from bot.wording import say_in

logger = logging.getLogger(__name__)
FEED_POLL_SECONDS = 1.0  # a learner's message shows on the page within this, plus a query
FEED_KEEPALIVE_SECONDS = 15.0
FEED_SECONDS = 300.0  # then the browser reconnects, and the session is checked again


async def send_message(request: web.Request) -> web.Response:
    referral = await visible_referral(request)
    user = request["user"]
    words = str((await request.post()).get("text", "")).strip()
    if not words:
        return await show_referral(request, referral, http_status=400,
                                   error="Write a message first.")
    if len(words) > MAX_MESSAGE:
        return await show_referral(
            request, referral, http_status=400, draft=words,
            error=f"A message can be at most {MAX_MESSAGE:,} characters; this one has "
                  f"{len(words):,}.")
    if referral["erased_at"] is not None:
        return await show_referral(request, referral, http_status=409, draft=words,
                                   error="This learner deleted their data: there is no "
                                         "one to send to.")
    channel, phone = learner_address(referral)
    text = say_in(learner_language(referral), "say_from_navigator", name=user["username"],
                  text=words)
    try:
        outcome = await send_to_learner(
            request.app[ENGINE], request.app[TWILIO], sender_id=referral["sender_id"],
            channel=channel, phone=phone, text=text, author=user["username"],
            referral_id=referral["id"])
    except SmsNotConfigured as error:
        return await show_referral(request, referral, http_status=503, draft=words,
                                   error=f"Not sent: {error}.")
    except Exception as error:  # the Messages API refused or could not be reached
        logger.warning("Navigator message for referral %s not sent: %s", referral["id"],
                       type(error).__name__)
        return await show_referral(request, referral, http_status=502, draft=words,
                                   error="Not sent: the text service did not take the "
                                         "message. Nothing went out; try again.")
    if outcome == OPTED_OUT:
        await db(request, store.audit, user["username"], "message_blocked", referral["id"],
                 "opted out of texts")
        return await show_referral(
            request, referral, http_status=409, draft=words,
            error="Not sent: this number texted STOP, so it gets no texts from us until "
                  "the learner texts START. Reach them another way if they gave one.")
    await db(request, holds.hold, referral["sender_id"], referral["id"], user["id"])
    await db(request, store.note_contact, referral["id"])
    await db(request, store.audit, user["username"], "message", referral["id"],
             f"{len(words)} characters by {channel}")
    raise web.HTTPSeeOther(f"{PREFIX}/referrals/{referral['id']}#conversation")


async def hand_back(request: web.Request) -> web.Response:
    referral = await visible_referral(request)
    user = request["user"]
    if await db(request, holds.release, referral["sender_id"]):
        await db(request, store.add_note, referral["id"], user["username"],
                 "Handed the conversation back to the bot.")
        await db(request, store.audit, user["username"], "hand_back", referral["id"])
    raise web.HTTPSeeOther(f"{PREFIX}/referrals/{referral['id']}#conversation")


def cursor(request: web.Request) -> Tuple[int, int]:
    """Where the feed resumes: the browser's Last-Event-ID, else the page's `after`."""
    raw = request.headers.get("Last-Event-ID") or request.query.get("after", "")
    try:
        events, notes = (int(part) for part in raw.split("-", 1))
        return max(events, 0), max(notes, 0)
    except ValueError:
        return 0, 0


def hold_state(held: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return {"held": held is not None, "by": held["username"] if held else ""}


async def feed(request: web.Request) -> web.StreamResponse:
    """Server-sent events: `turn` for each new message in the conversation (learner,
    bot or navigator), `hold` when the hold changes. Reading it marks the learner's
    messages read."""
    referral = await visible_referral(request)
    sender = referral["sender_id"]
    events_seen, notes_seen = cursor(request)
    response = web.StreamResponse(headers={
        **HEADERS, "Content-Type": "text/event-stream", "X-Accel-Buffering": "no"})
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    ends, quiet_since, last_hold = loop.time() + FEED_SECONDS, loop.time(), None
    try:
        while loop.time() < ends:
            learner, events_seen = await asyncio.to_thread(
                read_transcript, request.app[TRACKER], sender, events_seen)
            notes, notes_seen = await db(request, thread_turns, sender, notes_seen)
            for turn in in_order(learner, notes):
                await response.write(sse("turn", turn.as_json(), f"{events_seen}-{notes_seen}"))
            if any(turn.speaker == "learner" for turn in learner):
                await db(request, store.mark_read, referral["id"], learner[-1].at)
            state = hold_state(await db(request, holds.holder, sender))
            if state != last_hold:
                await response.write(sse("hold", state))
                last_hold = state
            if learner or notes:
                quiet_since = loop.time()
            elif loop.time() - quiet_since > FEED_KEEPALIVE_SECONDS:
                await response.write(b": still here\n\n")  # proxies keep the stream open
                quiet_since = loop.time()
            await asyncio.sleep(FEED_POLL_SECONDS)
    except ConnectionResetError:
        pass  # the navigator left the page
    return response


def sse(event: str, data: Dict[str, Any], event_id: Optional[str] = None) -> bytes:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n".encode()
