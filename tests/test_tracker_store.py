"""Long conversations: the bot sees a bounded tracker that decides exactly as the whole
one would, and the stored conversation keeps every event."""

from __future__ import annotations

import asyncio
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import ROOT
from bot.tracker_store import RECENT_TURNS, ErasableSQLTrackerStore, recent_view

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
SLOTS = DOMAIN.slots


def turn(n: int) -> List[Event]:
    """One turn of a conversation that sets slots, opens and closes a form, and now and
    then is not understood (Rasa's fallback reverts that turn)."""
    events: List[Event] = [
        UserUttered(f"message {n}", {"name": "search_programs", "confidence": 0.9}),
        SlotSet("place", f"Town {n}"),
    ]
    if n % 7 == 3:
        return events + [SlotSet("language", "es"),
                         ActionExecuted("action_default_fallback"), UserUtteranceReverted(),
                         ActionExecuted("action_listen")]
    if n % 5 == 1:
        events += [ActionExecuted("handoff_form"), ActiveLoop("handoff_form")]
    elif n % 5 == 2:
        events += [ActionExecuted("handoff_form"), ActiveLoop(None)]
    return events + [ActionExecuted("utter_greet"), BotUttered(f"reply {n}"),
                     ActionExecuted("action_listen")]


def conversation(turns: int) -> List[Event]:
    events: List[Event] = [ActionExecuted("action_session_start"), SessionStarted(),
                           ActionExecuted("action_listen")]
    for n in range(turns):
        events += turn(n)
    return events


@pytest.mark.parametrize("turns", [1, RECENT_TURNS, RECENT_TURNS + 1, 12, 40])
def test_the_bounded_tracker_decides_as_the_whole_one(turns: int) -> None:
    events = conversation(turns)
    whole = DialogueStateTracker.from_events("learner", events, SLOTS)
    recent = recent_view("learner", events, SLOTS)
    assert recent.current_slot_values() == whole.current_slot_values()
    assert recent.active_loop_name == whole.active_loop_name
    assert recent.latest_message.text == whole.latest_message.text
    # The policies look back five states (max_history); the rules a few more.
    assert recent.past_states(DOMAIN)[-8:] == whole.past_states(DOMAIN)[-8:]


def test_turn_forty_loads_no_more_turns_than_turn_ten() -> None:
    def actions(turns: int) -> int:
        recent = recent_view("learner", conversation(turns), SLOTS)
        return sum(isinstance(e, ActionExecuted) for e in recent.events)

    assert actions(40) == actions(10)


def test_slot_history_stays_for_the_navigator_summary() -> None:
    recent = recent_view("learner", conversation(30), SLOTS)
    places = [e.value for e in recent.events if isinstance(e, SlotSet) and e.key == "place"]
    assert "Town 0" in places and "Town 29" in places


def test_the_store_keeps_every_event_of_a_long_conversation(tmp_path) -> None:
    store = ErasableSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    expected = conversation(0)

    async def play() -> DialogueStateTracker:
        tracker = DialogueStateTracker.from_events("learner", expected, SLOTS)
        await store.save(tracker)
        for n in range(25):
            tracker = await store.retrieve("learner")
            for event in turn(n):
                tracker.update(event)
                expected.append(event)
            await store.save(tracker)
        return await store.retrieve_full_tracker("learner")

    stored = asyncio.run(play())
    assert [e.as_dict() for e in stored.events] == [e.as_dict() for e in expected]
