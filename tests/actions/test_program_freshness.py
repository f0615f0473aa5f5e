"""A learner hears when a quoted cost or start date was last checked, once it is older than
NAVIGATOR_STALE_DAYS; fresh facts, and facts nobody dated, come without the note."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from actions import program_questions as q
from actions.programs import ActionAnswerProgramQuestion, answer, details_reply
from tests.actions.run_action import replies, tracker

ENGLISH_NOTE = "We last checked these facts with the school in Nov 2026."
SPANISH_NOTE = "Revisamos estos datos con la escuela en noviembre de 2026."


async def test_a_cost_checked_long_ago_says_when(sample_catalogue, monkeypatch):
    # Lane's Adult Basic Skills: free, no start date, checked 2026-11-01.
    monkeypatch.setenv("NAVIGATOR_TODAY", "2027-06-01")  # 212 days later
    said = await replies(ActionAnswerProgramQuestion(), {"selected_program": "lane-abs"},
                         intent="ask_cost", text="how much is it?")
    assert said[0].endswith(ENGLISH_NOTE)
    program = await sample_catalogue.program("lane-abs")
    assert details_reply(None, program).text.count(ENGLISH_NOTE) == 1
    assert answer(tracker({"language": "es"}), program, q.COST).endswith(SPANISH_NOTE)


async def test_recent_facts_come_without_the_note(sample_catalogue, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_TODAY", "2027-04-30")  # 180 days: not yet stale
    program = await sample_catalogue.program("lane-abs")
    assert "last checked" not in details_reply(None, program).text
    assert "last checked" not in answer(None, program, q.COST)
    monkeypatch.setenv("NAVIGATOR_STALE_DAYS", "30")  # a stricter setting: stale again
    assert answer(None, program, q.COST).endswith(ENGLISH_NOTE)


async def test_a_start_date_checked_long_ago_says_when_once(sample_catalogue, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_TODAY", "2026-12-01")
    welding = await sample_catalogue.program("chemeketa-welding")  # starts 2027-01-05
    assert welding.last_verified is None
    # Never dated: nothing to say (there is no month to name).
    assert "last checked" not in details_reply(None, welding).text
    checked = replace(welding, last_verified=dt.date(2025, 3, 10))
    start = answer(None, checked, q.START)
    assert "Jan 5, 2027" in start and start.endswith(
        "We last checked these facts with the school in Mar 2025.")
    details = details_reply(tracker({"language": "es"}), checked).text
    assert details.count("Revisamos estos datos con la escuela en marzo de 2025.") == 1
    # A start date that has passed is not quoted, so only the cost carries the note.
    passed = replace(checked, start_passed=True)
    assert details_reply(None, passed).text.count("in Mar 2025.") == 1
    assert "in Mar 2025" not in answer(None, passed, q.START)
