"""Notes what each search found, for the dashboard's unmet needs, and marks a
conversation's searches when it ends in a referral.

Recording is a side line of the learner's answer: the insert runs in a thread, the
action waits for it a moment at most, and a failure is logged and forgotten, never
shown. Only codes reach the store (bot.records.outcomes): the sector, the kind of help,
the county, the conversation's language and channel, never the words typed nor the
conversation's id. The ids of the rows stay in the conversation (slot
`search_outcome_ids`) so the referral can be counted against its searches.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Callable, Dict, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.slots import COUNTY, INTEREST, SEARCH_OUTCOME_IDS, SECTOR, SERVICE_CATEGORY
from actions.store_access import store_engine
from actions.wording import language
from bot.records import outcomes
from knowledge.clock import today
from knowledge.search import guess_sector, normalize_sector

logger = logging.getLogger(__name__)

WAIT_SECONDS = 2.0  # a slow database delays the answer this long at most
KEPT_IDS = 20  # the conversation's latest searches a referral is counted against
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")  # an occupation, as the slot may hold it


async def note_program_search(tracker: Tracker, results: Sequence[Any],
                              place: Any = None) -> List[Dict[str, Any]]:
    """A program search: how many programs matched (near misses are not matches)."""
    def outcome() -> outcomes.SearchOutcome:
        found = 0 if all(p.partial for p in results) else len(results)
        return outcomes.SearchOutcome(
            journey=outcomes.PROGRAM, result_count=found, day=today(),
            sector=program_sector(tracker, results),
            county=getattr(place, "county", None) or tracker.get_slot(COUNTY),
            language=language(tracker), channel=tracker.get_latest_input_channel())
    return await _note(tracker, outcome)


async def note_service_search(tracker: Tracker, services: Sequence[Any]) -> List[Dict[str, Any]]:
    """A service search: how many services the learner was shown."""
    def outcome() -> outcomes.SearchOutcome:
        return outcomes.SearchOutcome(
            journey=outcomes.SERVICE, result_count=len(services), day=today(),
            service_category=tracker.get_slot(SERVICE_CATEGORY),
            county=tracker.get_slot(COUNTY), language=language(tracker),
            channel=tracker.get_latest_input_channel())
    return await _note(tracker, outcome)


def program_sector(tracker: Tracker, results: Sequence[Any]) -> Optional[str]:
    """The field asked for: that of the first program matched, else the field the
    learner's interest belongs to, else the field the quiz chose."""
    matched = [p for p in results if not p.partial]
    if matched:
        return matched[0].sector
    interest = str(tracker.get_slot(INTEREST) or "")
    return (guess_sector(interest) if interest and not SOC_CODE.match(interest) else None) \
        or normalize_sector(tracker.get_slot(SECTOR))


async def _note(tracker: Tracker,
                outcome: Callable[[], outcomes.SearchOutcome]) -> List[Dict[str, Any]]:
    """Stores the outcome `outcome()` describes; the slot event keeping its id, or
    nothing when it could not be stored (building it included)."""
    try:
        new_id = await asyncio.wait_for(
            asyncio.to_thread(outcomes.record, store_engine(), outcome()), WAIT_SECONDS)
    except Exception:  # noqa: BLE001 - the learner's answer matters more than a count
        # After a timeout the insert may still land; only its id is not kept.
        logger.warning("Could not record a search outcome; the answer goes on.", exc_info=True)
        return []
    return [SlotSet(SEARCH_OUTCOME_IDS, [*known_ids(tracker), new_id][-KEPT_IDS:])]


def known_ids(tracker: Tracker) -> List[int]:
    ids = tracker.get_slot(SEARCH_OUTCOME_IDS)
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


async def note_referral(tracker: Tracker) -> None:
    """The conversation asked for a navigator: its searches are marked as followed by a
    referral. The referral is made already; a failure here only loses the mark."""
    ids = known_ids(tracker)
    if not ids:
        return
    try:
        await asyncio.wait_for(
            asyncio.to_thread(outcomes.mark_referral_followed, store_engine(), ids),
            WAIT_SECONDS)
    except Exception:  # noqa: BLE001 - see above
        logger.warning("Could not mark the searches before a referral.", exc_info=True)
