"""Journeys 1 and 2 action by action: the form asks only for what is missing, the search
keeps the learner's filters, a result is picked by number, follow-ups answer about it,
and starting over forgets the search but not the place."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk.executor import CollectingDispatcher

from actions.programs import (
    ActionAnswerProgramQuestion,
    ActionSearchPrograms,
    ActionShowProgram,
    ActionStartOver,
    ValidateProgramSearchForm,
)
from actions.services import ValidateServiceSearchForm
from actions.slots import PLACE, PROGRAM_RESULTS, SEARCH_SLOTS, SELECTED_PROGRAM
from tests.actions.run_action import tracker

WELDING = "51-4121"
NURSING_ASSISTANT = "31-1131"
FORM_SLOTS = ["interest", "place"]


async def run(action, slots: Dict[str, Any], **message) -> tuple[List[dict], Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(slots, **message), {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def required(slots: Dict[str, Any]) -> List[str]:
    return await ValidateProgramSearchForm().required_slots(
        FORM_SLOTS, CollectingDispatcher(), tracker(slots), {}
    )


async def test_the_form_asks_only_for_what_is_missing(sample_catalogue) -> None:
    assert await required({}) == FORM_SLOTS
    # The interest quiz chose a field: no need to ask what they like.
    assert await required({"sector": "healthcare"}) == ["place"]
    # A program named by its title is in one place: no need to ask where.
    assert await required({"interest": "chemeketa-welding"}) == ["interest"]


async def test_a_place_is_understood_or_asked_again_kindly(sample_catalogue) -> None:
    form, dispatcher = ValidateProgramSearchForm(), CollectingDispatcher()
    assert await form.validate_place("97301", dispatcher, tracker({}), {}) == {
        "place": "97301", "county": "Marion"}
    assert await form.validate_place(" salem ", dispatcher, tracker({}), {}) == {
        "place": "Salem", "county": "Marion"}
    assert dispatcher.messages == []
    assert await form.validate_place("Atlantis", dispatcher, tracker({}), {}) == {
        "place": None, "county": None}
    assert "could not find that place in Oregon" in dispatcher.messages[0]["text"]


async def test_a_name_taken_for_a_place_is_dropped_quietly(sample_catalogue) -> None:
    """While the handoff asks for a name, "Amara" tagged as a place says nothing of places."""
    form, dispatcher = ValidateProgramSearchForm(), CollectingDispatcher()
    assert await form.validate_place("Amara", dispatcher, tracker({"requested_slot": "name"}),
                                     {}) == {"place": None}
    assert dispatcher.messages == []


async def test_results_are_numbered_with_a_button_each(sample_catalogue) -> None:
    [message], slots = await run(ActionSearchPrograms(),
                                 {"interest": NURSING_ASSISTANT, "place": "Portland"})
    lines = message["text"].splitlines()
    assert lines[0].startswith("I found 3 programs for") and "near Portland" in lines[0]
    assert [line[:3] for line in lines[1:]] == ["1. ", "2. ", "3. "]
    assert [b["payload"] for b in message["buttons"]][:3] == [
        f'/choose_option{{"number": "{i}"}}' for i in (1, 2, 3)]
    assert len(slots[PROGRAM_RESULTS]) == 3 and slots[SELECTED_PROGRAM] is None
    # No CNA class serves Multnomah County in the sample: the nearest are shown, and a
    # person is offered with them.
    assert message["buttons"][-1]["payload"] == "/human_handoff"


async def test_a_filter_is_kept_and_said_or_relaxed_and_said(sample_catalogue) -> None:
    [evening], _ = await run(ActionSearchPrograms(),
                             {"interest": WELDING, "place": "Salem", "schedule": "evening"})
    assert "near Salem (evenings):" in evening["text"]
    [online], slots = await run(ActionSearchPrograms(),
                                {"interest": WELDING, "place": "Salem", "modality": "online"})
    assert online["text"].startswith("None match all of: online. Here are the closest")
    assert slots[PROGRAM_RESULTS] == ["chemeketa-welding"]


async def test_nothing_found_says_so_and_offers_a_person(sample_catalogue) -> None:
    [message], slots = await run(ActionSearchPrograms(),
                                 {"interest": "basket weaving", "place": "Salem"})
    assert message["text"].startswith("I looked for basket weaving near Salem, but I did not")
    assert message["buttons"] == [{"title": "Talk to a person", "payload": "/human_handoff"},
                                  {"title": "Start over", "payload": "/start_over"}]
    assert slots[PROGRAM_RESULTS] == []


async def test_picking_the_second_then_asking_its_cost(sample_catalogue) -> None:
    _, found = await run(ActionSearchPrograms(),
                         {"interest": NURSING_ASSISTANT, "place": "Portland"})
    results = found[PROGRAM_RESULTS]
    second = await sample_catalogue.program(results[1])
    [details], picked = await run(ActionShowProgram(), {PROGRAM_RESULTS: results},
                                  intent="choose_option", text="the second one",
                                  entities=[{"entity": "number", "value": "second"}])
    assert details["text"].startswith(f"{second.title} at {second.provider_name}.")
    assert picked == {SELECTED_PROGRAM: second.id}
    [cost], _ = await run(ActionAnswerProgramQuestion(),
                          {PROGRAM_RESULTS: results, SELECTED_PROGRAM: second.id},
                          intent="ask_cost")
    assert cost["text"].startswith(f"{second.title}: ")
    assert ("$" in cost["text"] or "Free" in cost["text"]) and "weeks" not in cost["text"]


async def test_a_number_not_on_the_list_is_asked_again(sample_catalogue) -> None:
    [message], slots = await run(ActionShowProgram(), {PROGRAM_RESULTS: ["chemeketa-welding"]},
                                 intent="choose_option", text="tell me about 7")
    assert message["text"].startswith("Which one?") and slots == {}


async def test_a_follow_up_with_nothing_picked_offers_a_search(sample_catalogue) -> None:
    [message], _ = await run(ActionAnswerProgramQuestion(), {}, intent="ask_schedule")
    assert message["text"].startswith("Which program do you mean?")


async def test_starting_over_forgets_the_search_and_keeps_the_place() -> None:
    messages, slots = await run(ActionStartOver(), {PLACE: "Salem", "interest": WELDING})
    assert messages[0]["response"] == "utter_start_over"
    assert set(slots) == set(SEARCH_SLOTS) and all(v is None for v in slots.values())
    assert PLACE not in slots


async def test_a_service_category_outside_the_catalogue_is_asked_again() -> None:
    form, dispatcher = ValidateServiceSearchForm(), CollectingDispatcher()
    assert await form.validate_service_category("childcare", dispatcher, tracker({}), {}) == {
        "service_category": "childcare"}
    assert await form.validate_service_category("unicorns", dispatcher, tracker({}), {}) == {
        "service_category": None}
