"""The real search actions note each search's outcome, anonymously, on the sample
catalogue: the journey, the field or kind of help, the county, the conversation's
language and channel, how many were found, the day; nothing the learner typed, not
the conversation's id. A referral marks the conversation's searches. A database that
fails or hangs never costs the learner their answer."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any, Dict, List, Tuple

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import outcomes as noting
from actions import store_access
from actions.handoff import ActionCreateReferral
from actions.programs import ActionSearchPrograms
from actions.services import ActionSearchServices
from bot.records import outcomes, store
from bot.records.tables import search_outcomes
from knowledge.db import make_engine

pytestmark = pytest.mark.usefixtures("sample_catalogue")

SENDER = "learner-4711-ana"
NURSING_ASSISTANT = "31-1131"
TODAY = "2026-03-02"


def tracker(slots: Dict[str, Any], text: str, channel: str = "sms") -> Tracker:
    latest = {"intent": {"name": "inform", "confidence": 1.0},
              "intent_ranking": [{"name": "inform", "confidence": 1.0}],
              "entities": [], "text": text}
    said = {"event": "user", "text": text, "input_channel": channel, "parse_data": latest}
    return Tracker(SENDER, slots, latest, [said], False, None, {}, "action_listen")


async def run(action, slots, text, **kw) -> Tuple[List[dict], Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(slots, text, **kw), {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setenv("NAVIGATOR_TODAY", TODAY)
    engine = store_access.store_engine()  # the sample catalogue's copy (conftest)
    with engine.begin() as conn:
        conn.execute(search_outcomes.delete())
    return engine


def stored(engine) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(search_outcomes).order_by(search_outcomes.c.id)).mappings()]


def nothing_personal(row: Dict[str, Any], text: str) -> None:
    """No value holds the conversation's id, the words typed, a name or a number given."""
    values = [str(v).lower() for v in row.values() if v is not None]
    for personal in (SENDER, "learner", text, "rosa", "5035550142"):
        assert not any(personal.lower() in v for v in values), (personal, values)


async def test_a_program_search_notes_its_outcome(engine):
    text = "cna classes in portland please, my name is Rosa"
    messages, slots = await run(ActionSearchPrograms(), {
        "interest": NURSING_ASSISTANT, "place": "Portland", "language": "es"}, text)
    assert messages and messages[0]["text"].startswith("Encontré 3 programas")
    [row] = stored(engine)
    assert {k: v for k, v in row.items() if k != "id"} == {
        "day": dt.date(2026, 3, 2), "journey": "program", "sector": "healthcare",
        "service_category": None, "county": "Multnomah", "language": "es", "channel": "sms",
        "result_count": 3, "referral_followed": False}
    nothing_personal(row, text)
    assert slots["search_outcome_ids"] == [row["id"]]
    assert len(slots["program_results"]) == 3  # the answer's own slots are all still set


async def test_a_search_that_finds_nothing_counts_zero_and_keeps_earlier_ids(engine):
    text = "underwater basket weaving in salem, im Rosa"
    messages, slots = await run(ActionSearchPrograms(), {
        "interest": "underwater basket weaving", "place": "Salem",
        "search_outcome_ids": [41, 42]}, text, channel="socketio")
    assert "talk" in " ".join(b["title"].lower() for b in messages[0]["buttons"])
    [row] = stored(engine)
    assert (row["journey"], row["result_count"], row["county"], row["language"],
            row["channel"]) == ("program", 0, "Marion", "en", "socketio")
    nothing_personal(row, text)
    assert slots["search_outcome_ids"] == [41, 42, row["id"]]


async def test_a_service_search_notes_its_outcome(engine, sample_catalogue):
    text = "i need child care in eugene, Rosa, text 5035550142"
    found = await sample_catalogue.services(category="childcare", county="Lane", limit=3)
    messages, slots = await run(ActionSearchServices(), {
        "service_category": "childcare", "county": "Lane", "place": "Eugene"}, text,
        channel="rest")
    assert messages and found
    [row] = stored(engine)
    assert {k: v for k, v in row.items() if k != "id"} == {
        "day": dt.date(2026, 3, 2), "journey": "service", "sector": None,
        "service_category": "childcare", "county": "Lane", "language": "en",
        "channel": "rest", "result_count": len(found), "referral_followed": False}
    nothing_personal(row, text)
    assert slots == {"last_search": "services", "search_outcome_ids": [row["id"]]}


async def test_a_referral_marks_the_conversations_searches(engine):
    _, first = await run(ActionSearchServices(), {"service_category": "childcare",
                                                  "county": "Lane"}, "child care")
    _, second = await run(ActionSearchPrograms(), {
        "interest": NURSING_ASSISTANT, "place": "Eugene",
        "search_outcome_ids": first["search_outcome_ids"]}, "cna")
    await run(ActionSearchServices(), {"service_category": "food", "county": "Lane"}, "food")
    ids = second["search_outcome_ids"]
    assert len(ids) == 2
    messages, _ = await run(ActionCreateReferral(), {
        "handoff_consent": True, "handoff_confirmed": True, "first_name": "Rosa",
        "contact_method": "text", "contact_value": "+15035550142", "best_time": "after 5",
        "preferred_language": "English", "county": "Lane", "place": "Eugene",
        "search_outcome_ids": ids}, "yes send it")
    assert "code" in messages[0]["text"].lower()
    followed = {r["id"]: r["referral_followed"] for r in stored(engine)}
    assert [followed[i] for i in ids] == [True, True]
    assert sorted(followed.values()) == [False, True, True]  # another conversation's stays
    assert store.learner_referrals(engine, SENDER)


async def test_a_failing_database_costs_the_learner_nothing(engine, tmp_path, monkeypatch):
    slots = {"interest": NURSING_ASSISTANT, "place": "Portland"}
    expected, expected_slots = await run(ActionSearchPrograms(), slots, "cna")
    broken = make_engine(f"sqlite:///{tmp_path / 'no-tables.db'}")
    monkeypatch.setattr(store_access, "_engine", broken)
    try:
        messages, got = await run(ActionSearchPrograms(), slots, "cna")
        assert messages == expected
        assert got == {k: v for k, v in expected_slots.items() if k != "search_outcome_ids"}
        messages, got = await run(ActionSearchServices(), {
            "service_category": "childcare", "county": "Lane"}, "child care")
        assert messages and got == {"last_search": "services"}
        await noting.note_referral(tracker({"search_outcome_ids": [1, 2]}, "yes"))  # no raise
    finally:
        broken.dispose()


async def test_a_referral_is_made_even_when_its_searches_cannot_be_marked(engine,
                                                                          monkeypatch):
    def fail(*_args):
        raise RuntimeError("database gone")

    monkeypatch.setattr(outcomes, "mark_referral_followed", fail)
    messages, slots = await run(ActionCreateReferral(), {
        "handoff_consent": True, "handoff_confirmed": True, "first_name": "Rosa",
        "contact_method": "text", "contact_value": "+15035550142", "best_time": "after 5",
        "preferred_language": "English", "county": "Lane", "search_outcome_ids": [1]}, "yes")
    newest = store.learner_referrals(engine, SENDER)[0]
    assert newest["code"] in messages[0]["text"]
    assert slots["first_name"] is None  # the form is done


async def test_a_hanging_database_delays_the_answer_a_moment_at_most(engine, monkeypatch):
    def hang(*_args):
        time.sleep(1.0)
        return 1

    monkeypatch.setattr(noting, "WAIT_SECONDS", 0.1)
    monkeypatch.setattr(outcomes, "record", hang)
    began = asyncio.get_running_loop().time()
    messages, slots = await run(ActionSearchServices(), {
        "service_category": "childcare", "county": "Lane"}, "child care")
    assert asyncio.get_running_loop().time() - began < 0.9
    assert messages and slots == {"last_search": "services"}
