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
        SlotSet("program_results", [f"program {n}"]),
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


def test_programs_looked_at_long_ago_stay_for_the_navigator_summary() -> None:
    recent = recent_view("learner", conversation(30), SLOTS)
    shown = [e.value for e in recent.events if isinstance(e, SlotSet)
             and e.key == "program_results"]
    assert ["program 0"] in shown and ["program 29"] in shown


def store(path) -> ErasableSQLTrackerStore:
    return ErasableSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path / "tracker.db"))


async def begin(replica: ErasableSQLTrackerStore, turns: int) -> List[Event]:
    """A new conversation of `turns` turns, stored; returns its events so far."""
    events = conversation(0)
    await replica.save(DialogueStateTracker.from_events("learner", events, SLOTS))
    for n in range(turns):
        await play_turn(replica, n, events)
    return events


async def erase(replica: ErasableSQLTrackerStore) -> None:
    """The learner's "delete my data", as action_delete_my_data leaves the turn."""
    tracker = await replica.retrieve("learner")
    tracker.update(ActionExecuted("action_delete_my_data"))
    await replica.save(tracker)


async def play_turn(replica: ErasableSQLTrackerStore, n: int, expected: List[Event]
                    ) -> DialogueStateTracker:
    tracker = await replica.retrieve("learner")
    for event in turn(n):
        tracker.update(event)
        expected.append(event)
    await replica.save(tracker)
    return tracker


def test_two_replicas_taking_turns_keep_every_event_and_the_same_state(tmp_path) -> None:
    """Each replica reads only what was added since it last looked, yet sees the other's
    turns, and each turn's tracker decides as the whole conversation would."""
    replicas = [store(tmp_path), store(tmp_path)]

    async def play() -> tuple:
        expected = await begin(replicas[0], 0)
        for n in range(30):
            seen = await play_turn(replicas[n % 3 % 2], n, expected)
            whole = DialogueStateTracker.from_events("learner", expected, SLOTS)
            assert seen.current_slot_values() == whole.current_slot_values()
            assert seen.past_states(DOMAIN)[-8:] == whole.past_states(DOMAIN)[-8:]
        return expected, await replicas[1].retrieve_full_tracker("learner")

    expected, stored = asyncio.run(play())
    assert [e.as_dict() for e in stored.events] == [e.as_dict() for e in expected]


def test_an_erased_conversation_is_not_served_from_memory(tmp_path) -> None:
    replica = store(tmp_path)

    async def play() -> None:
        await begin(replica, 3)
        await erase(replica)
        assert await replica.retrieve("learner") is None

    asyncio.run(play())


def test_a_replica_does_not_serve_a_conversation_another_one_erased(tmp_path) -> None:
    first, second = store(tmp_path), store(tmp_path)

    async def play() -> DialogueStateTracker:
        await begin(first, 3)
        await erase(second)
        fresh = await begin(second, 0)
        await play_turn(second, 10, fresh)
        return await first.retrieve("learner")

    tracker = asyncio.run(play())
    assert [e.value for e in tracker.events if isinstance(e, SlotSet) and e.key == "place"] \
        == ["Town 10"]
