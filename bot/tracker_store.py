"""Rasa's SQL tracker store, kept off the event loop, with turns that cost the same at
turn 50 as at turn 1, and the learner's right to have their conversation erased.

Configured in endpoints.yml (`type: bot.tracker_store.ErasableSQLTrackerStore`, same
arguments as Rasa's `SQL`).

- Every database call runs in a worker thread: Rasa's own store queries synchronously on
  the server's event loop, so one slow query stalled every learner.
- A turn sees the latest `RECENT_TURNS` turns of the session, not all of it. Rasa's
  policies rebuild the dialogue state from every event on each prediction and the whole
  event list goes to the action server on every call, so turn 50 cost far more than
  turn 1 (docs/performance.md). The earlier turns are folded into the exact slots and
  active form they left behind, plus the values `HISTORY_SLOTS` took (the navigator's
  summary lists every program and kind of help the learner looked at). Policies look
  back at most five states, so nothing they use is lost; the stored conversation is
  never shortened (the console reads all of it).
- Each process remembers the sessions it served lately (`CACHED_CONVERSATIONS`), so a
  turn reads and parses only the rows added since, not the whole session. A count of
  the stored rows tells whether anything else (another replica, an erasure, retention)
  changed the conversation; then it is read again in full.
- When a turn ran `action_delete_my_data`, saving deletes every stored event of that
  conversation instead of appending the turn: deleting from the action server would not
  last, because Rasa re-saves the events it holds in memory at the end of the turn.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func

from bot import action_failures, action_reply_check

logger = logging.getLogger(__name__)
# Every Rasa server here loads this module: see those modules.
action_failures.install()
action_reply_check.install()

ERASE_ACTION = "action_delete_my_data"
RECENT_TURNS = 6
# Slots whose every value an action reads back (actions/handoff.py, `explored`).
HISTORY_SLOTS = frozenset({"program_results", "service_category"})
CACHED_CONVERSATIONS = 256
# On a tracker this store loaded: (its events already stored, the conversation's stored
# rows, the latest row's id), so saving appends exactly the events the turn added (Rasa
# counts rows instead, which a shortened tracker would get wrong).
STORED = "_navigator_stored"


def erased_this_turn(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


def recent_cut(events: List[Event], turns: int = RECENT_TURNS) -> Optional[int]:
    """Where the latest `turns` turns begin (the `action_listen` before their first user
    message), or None when the session is not longer than that."""
    seen = 0
    for index in range(len(events) - 1, 0, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == turns:
                before = events[index - 1]
                if isinstance(before, ActionExecuted) and before.action_name == "action_listen":
                    return index - 1
                return None  # an unusual shape: keep the whole session
    return None


def _is_session_start(event: Event) -> bool:
    return isinstance(event, SessionStarted) or (
        isinstance(event, ActionExecuted) and event.action_name == "action_session_start")


@dataclass
class Folded:
    """A session's events, the earlier of which are folded into the state they left."""

    events: List[Event]
    cut: int = 0  # events[:cut] are folded into `earlier`
    earlier: Optional[DialogueStateTracker] = None
    kept: List[Event] = field(default_factory=list)  # session start and history slots

    def fold(self, sender_id: str, slots: Any, cut: int) -> None:
        if self.earlier is None or cut < self.cut:
            self.earlier = DialogueStateTracker(sender_id, slots)
            self.cut, self.kept = 0, []
        for event in self.events[self.cut:cut]:
            self.earlier.update(event)
            if _is_session_start(event) or (
                    isinstance(event, SlotSet) and event.key in HISTORY_SLOTS):
                self.kept.append(event)
        self.cut = cut

    def view(self, sender_id: str, slots: Any, turns: int = RECENT_TURNS
             ) -> DialogueStateTracker:
        """The tracker policies and actions need: the latest turns on top of the state
        the earlier ones left."""
        cut = recent_cut(self.events, turns)
        if cut is None:
            return DialogueStateTracker.from_events(sender_id, self.events, slots)
        self.fold(sender_id, slots, cut)
        assert self.earlier is not None
        at_cut = self.events[cut].timestamp
        left = {name: slot.initial_value for name, slot in self.earlier.slots.items()}
        for event in self.kept:
            if isinstance(event, SlotSet):
                left[event.key] = event.value
        state: List[Event] = [
            SlotSet(name, slot.value, timestamp=at_cut)
            for name, slot in self.earlier.slots.items() if left[name] != slot.value]
        state.append(ActiveLoop(self.earlier.active_loop_name, timestamp=at_cut))
        return DialogueStateTracker.from_events(
            sender_id, self.kept + state + self.events[cut:], slots)


def recent_view(sender_id: str, events: List[Event], slots: Any,
                turns: int = RECENT_TURNS) -> DialogueStateTracker:
    return Folded(list(events)).view(sender_id, slots, turns)


@dataclass
class Seen:
    """What this process last knew of a conversation: its stored rows and session."""

    rows: int
    last_id: int
    session: Folded


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen: collections.OrderedDict[str, Seen] = collections.OrderedDict()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        if not self.domain:
            return None
        seen = self._seen.get(sender_id)
        known = (seen.rows, seen.last_id) if seen else None
        rows, last_id, new, whole = await asyncio.to_thread(self._read, sender_id, known)
        if not whole and (self._seen.get(sender_id) is not seen
                          or (seen.rows, seen.last_id) != known):
            # Another task of this process moved the conversation on meanwhile.
            rows, last_id, new, whole = await asyncio.to_thread(self._read, sender_id, None)
        if whole:
            if not new:
                self._seen.pop(sender_id, None)
                return None
            seen = Seen(rows, last_id, Folded(deserialise_events(new)))
        else:
            seen.session.events.extend(deserialise_events(new))
            seen.rows, seen.last_id = rows, last_id
        self._remember(sender_id, seen)
        tracker = seen.session.view(sender_id, self.domain.slots)
        setattr(tracker, STORED, (len(tracker.events), rows, last_id))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        if erased_this_turn(tracker):
            self._seen.pop(sender_id, None)
            deleted = await asyncio.to_thread(self._erase, sender_id)
            logger.info("Erased a conversation at the learner's request (%d events).", deleted)
            return
        await self.stream_events(tracker)
        loaded = getattr(tracker, STORED, None)
        if loaded is None:  # a tracker this store did not load: a new conversation
            self._seen.pop(sender_id, None)
            await asyncio.to_thread(self._append_unloaded, tracker)
            return
        count, rows, last_id = loaded
        new = list(tracker.events)[count:]
        added, newest = await asyncio.to_thread(self._append, sender_id, new)
        seen = self._seen.get(sender_id)
        if seen is None or (seen.rows, seen.last_id) != (rows, last_id) or any(
                isinstance(event, SessionStarted) for event in new):
            self._seen.pop(sender_id, None)  # read it afresh next time
        elif added:
            seen.session.events.extend(new)
            seen.rows, seen.last_id = rows + added, newest
        setattr(tracker, STORED, (len(tracker.events), rows + added, newest or last_id))

    def _remember(self, sender_id: str, seen: Seen) -> None:
        self._seen[sender_id] = seen
        self._seen.move_to_end(sender_id)
        while len(self._seen) > CACHED_CONVERSATIONS:
            self._seen.popitem(last=False)

    def _append_unloaded(self, tracker: DialogueStateTracker) -> None:
        """Stores what Rasa's count of stored rows says is new (a tracker created, not
        loaded here, holds the whole conversation)."""
        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
        self._append(tracker.sender_id, events)

    def _read(self, sender_id: str, known: Optional[Tuple[int, int]]
              ) -> Tuple[int, int, List[Dict[str, Any]], bool]:
        """(stored rows, latest id, rows to add, whether they are the whole session):
        only the rows after `known`'s latest id when nothing else changed, else the whole
        latest session."""
        with self.session_scope() as session:
            rows, last_id = session.query(
                func.count(self.SQLEvent.id), func.max(self.SQLEvent.id)
            ).filter(self.SQLEvent.sender_id == sender_id).one()
            if known is not None:
                new = (session.query(self.SQLEvent)
                       .filter(self.SQLEvent.sender_id == sender_id,
                               self.SQLEvent.id > known[1])
                       .order_by(self.SQLEvent.id).all())
                if rows == known[0] + len(new) and not any(
                        row.type_name == SessionStarted.type_name for row in new):
                    return rows, last_id or 0, [json.loads(row.data) for row in new], False
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            return rows, last_id or 0, [json.loads(row.data) for row in query.all()], True

    def _append(self, sender_id: str, events: List[Event]) -> Tuple[int, int]:
        """Stores `events` as SQLTrackerStore.save does; returns (rows added, last id)."""
        with self.session_scope() as session:
            added = []
            for event in events:
                data = event.as_dict()
                added.append(self.SQLEvent(
                    sender_id=sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            session.add_all(added)
            session.flush()  # assigns the ids, readable without a query after commit
            ids = [row.id for row in added]
            session.commit()
            return len(ids), max(ids, default=0)

    def _erase(self, sender_id: str) -> int:
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            return deleted
