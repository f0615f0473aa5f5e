"""Rasa's SQL tracker store, plus the learner's right to have their conversation erased.

Configured in endpoints.yml (`type: bot.tracker_store.ErasableSQLTrackerStore`, same
arguments as Rasa's `SQL`). When a turn ran `action_delete_my_data`, saving the tracker
deletes every stored event of that conversation instead of appending the turn: deleting
from the action server would not last, because Rasa re-saves the events it holds in
memory at the end of the turn.
"""

from __future__ import annotations

import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import action_failures

logger = logging.getLogger(__name__)
action_failures.install()  # every Rasa server here loads this module: see that module

ERASE_ACTION = "action_delete_my_data"


def erased_this_turn(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


class ErasableSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        if not erased_this_turn(tracker):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == tracker.sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        logger.info("Erased a conversation at the learner's request (%d events).", deleted)
