"""Rasa's SQL tracker store, kept off the event loop, with a bounded view of long
conversations and the learner's right to have their conversation erased.

Configured in endpoints.yml (`type: bot.tracker_store.ErasableSQLTrackerStore`, same
arguments as Rasa's `SQL`).

- Every database call runs in a worker thread: Rasa's own store queries synchronously on
  the server's event loop, so one slow query stalled every learner.
- A turn sees the latest `RECENT_TURNS` turns of the session, not all of it. Rasa's
  policies rebuild the dialogue state from every event on each prediction and the whole
  event list goes to the action server on every call, so turn 50 cost far more than
  turn 1. The earlier turns are folded into what they left behind: their slot events (in
  order, so actions that read a slot's history still see it) and the exact slots and
  active form at the cut. Policies look back at most five states, so nothing they use is
  lost; the stored conversation is never shortened (the console reads all of it).
- When a turn ran `action_delete_my_data`, saving deletes every stored event of that
  conversation instead of appending the turn: deleting from the action server would not
  last, because Rasa re-saves the events it holds in memory at the end of the turn.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any, Dict, Iterator, List, Optional

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

from bot import action_failures

logger = logging.getLogger(__name__)
action_failures.install()  # every Rasa server here loads this module: see that module

ERASE_ACTION = "action_delete_my_data"
RECENT_TURNS = 6
# How many events of the tracker were already stored when it was loaded, so saving
# appends exactly the ones this turn added (Rasa counts rows instead, which a shortened
# tracker would get wrong).
STORED_COUNT = "_navigator_stored_count"


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


def recent_view(sender_id: str, events: List[Event], slots: Any,
                turns: int = RECENT_TURNS) -> DialogueStateTracker:
    """The tracker policies and actions need: the latest turns on top of the state the
    earlier ones left."""
    cut = recent_cut(events, turns)
    if cut is None:
        return DialogueStateTracker.from_events(sender_id, events, slots)
    earlier = DialogueStateTracker.from_events(sender_id, events[:cut], slots)
    at_cut = events[cut].timestamp
    kept = [e for e in events[:cut] if isinstance(e, (SessionStarted, SlotSet, ActiveLoop))
            or (isinstance(e, ActionExecuted) and e.action_name == "action_session_start")]
    # The kept slot events leave the slots as they were, except where a fallback turn
    # was reverted: set what differs from the exact state at the cut.
    left = DialogueStateTracker.from_events(sender_id, kept, slots).slots
    state = [SlotSet(name, slot.value, timestamp=at_cut)
             for name, slot in earlier.slots.items() if left[name].value != slot.value]
    state.append(ActiveLoop(earlier.active_loop_name, timestamp=at_cut))
    return DialogueStateTracker.from_events(sender_id, kept + state + events[cut:], slots)


class ErasableSQLTrackerStore(SQLTrackerStore):
    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        rows = await asyncio.to_thread(self._session_rows, sender_id)
        if not rows or not self.domain:
            return None
        tracker = recent_view(sender_id, deserialise_events(rows), self.domain.slots)
        setattr(tracker, STORED_COUNT, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        if erased_this_turn(tracker):
            deleted = await asyncio.to_thread(self._erase, tracker.sender_id)
            logger.info("Erased a conversation at the learner's request (%d events).", deleted)
            return
        await self.stream_events(tracker)
        await asyncio.to_thread(self._append, tracker)
        setattr(tracker, STORED_COUNT, len(tracker.events))

    def _session_rows(self, sender_id: str) -> List[Dict[str, Any]]:
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            return [json.loads(row.data) for row in query.all()]

    def _append(self, tracker: DialogueStateTracker) -> None:
        # SQLTrackerStore.save without its stream_events (awaited above): the same rows.
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            session.commit()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED_COUNT, None)
        if stored is None:  # a tracker this store did not load (a new conversation)
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _erase(self, sender_id: str) -> int:
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            return deleted
