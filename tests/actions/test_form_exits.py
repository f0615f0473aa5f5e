"""A form lets go of a message that asks for something else, even when the message also
names a place; a real answer, and the form's way back after a question, stay with it.
The need a learner was helped with stays known for a new place."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ValidateHandoffForm
from actions.programs import ValidateInterestQuizForm, ValidateProgramSearchForm
from actions.services import ValidateServiceSearchForm
from bot.settings import ROOT
from tests.actions.run_action import tracker

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
FORMS = {"program_search_form": ValidateProgramSearchForm,
         "service_search_form": ValidateServiceSearchForm,
         "interest_quiz_form": ValidateInterestQuizForm,
         "handoff_form": ValidateHandoffForm}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def mid_form(form: str, asked: Optional[str], intent: str, text: str,
             entities: List[Dict[str, Any]] = (), before: List[Dict[str, Any]] = (),
             filled: Dict[str, Any] = None, after: Optional[str] = None,
             confidence: float = 0.9) -> Tracker:
    """The tracker Rasa sends a form's validator: the slots so far, the learner's
    message and what it filled, then (`after`) any action that ran before the form."""
    latest = {"intent": {"name": intent, "confidence": confidence},
              "intent_ranking": [{"name": intent, "confidence": confidence}],
              "entities": list(entities), "text": text}
    filled = filled or {}
    events = [*before, action("action_listen"),
              {"event": "user", "text": text, "parse_data": latest},
              *[slot(k, v) for k, v in filled.items()],
              {"event": "user_featurization", "use_text_for_featurization": False}]
    if after:
        events.append(action(after))
    events += [slot("requested_slot", asked), action(form)]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    active_loop = {"name": form} if asked else {}
    return Tracker("learner", slots, latest, events, False, None, active_loop, form)


WELDING_IN_SALEM = dict(
    intent="find_program", text="welding classes in salem",
    entities=[{"entity": "occupation", "value": "51-4121"},
              {"entity": "place", "value": "salem"}],
    filled={"interest": "51-4121", "place": "salem"})
HELPED_IN_EUGENE = [slot("place", "Eugene"), slot("county", "Lane"),
                    slot("last_search", "services")]


async def test_a_new_search_while_the_service_form_asks_is_not_an_answer():
    """The reported case: "welding classes in salem" while the form asks which help."""
    events = await ValidateServiceSearchForm().run(
        CollectingDispatcher(),
        mid_form("service_search_form", "service_category", before=HELPED_IN_EUGENE,
                 **WELDING_IN_SALEM), DOMAIN)
    # The place it named goes back to what the form had; the rules start the new search,
    # which reads the place from the message again.
    assert events == [SlotSet("place", "Eugene"),
                      ActionExecutionRejected("service_search_form")]


@pytest.mark.parametrize("form, intent", [
    ("program_search_form", "find_service"), ("program_search_form", "not_sure"),
    ("program_search_form", "ask_wages"), ("service_search_form", "find_program"),
    ("service_search_form", "ask_pathway"), ("service_search_form", "human_handoff"),
    ("interest_quiz_form", "find_program"), ("interest_quiz_form", "find_service"),
    ("handoff_form", "find_program"), ("handoff_form", "find_service"),
    ("handoff_form", "start_over"), ("handoff_form", "crisis"),
])
def test_every_form_lets_go_of_another_request(form, intent):
    tracker = mid_form(form, "place", intent=intent, text="...", filled={"place": "salem"})
    assert FORMS[form]().asked_something_else(tracker)


@pytest.mark.parametrize("form, intent", [
    ("program_search_form", "find_program"), ("program_search_form", "inform"),
    ("service_search_form", "find_service"), ("service_search_form", "inform"),
    ("interest_quiz_form", "inform"), ("interest_quiz_form", "not_sure"),
    # The handoff's answers are free text that may read like a question: "english" like
    # one about ESL, "mornings r best" like one about class times.
    ("handoff_form", "faq"), ("handoff_form", "ask_schedule"), ("handoff_form", "ask_cost"),
    ("handoff_form", "not_sure"), ("handoff_form", "inform"), ("handoff_form", "affirm"),
    ("handoff_form", "deny"), ("handoff_form", "nlu_fallback"),
])
def test_an_answer_stays_with_the_form(form, intent):
    tracker = mid_form(form, "place", intent=intent, text="...", filled={"place": "salem"})
    assert not FORMS[form]().asked_something_else(tracker)


@pytest.mark.parametrize("form, intent, text", [
    ("handoff_form", "ask_pathway", "after school pickup"),  # when to call
    ("handoff_form", "find_program", "welding at night"),
    ("program_search_form", "ask_wages", "something that pays"),
])
def test_an_answer_that_only_reads_a_little_like_a_request_stays_an_answer(form, intent, text):
    tracker = mid_form(form, "best_time", intent=intent, text=text, confidence=0.59)
    assert not FORMS[form]().asked_something_else(tracker)


def test_a_question_about_a_program_keeps_the_answer_it_brings():
    """"free ones in salem?" to "where do you live?" answers it; "what is a CNA?" to the
    same question does not, and is explained first."""
    with_place = mid_form("program_search_form", "place", intent="ask_cost",
                          text="free ones in salem?", filled={"place": "salem"})
    assert not ValidateProgramSearchForm().asked_something_else(with_place)
    with_job = mid_form("program_search_form", "place", intent="faq", text="what is a CNA?",
                        filled={"interest": "31-1131"})
    assert ValidateProgramSearchForm().asked_something_else(with_job)


def test_the_way_back_after_a_question_is_not_rejected():
    """"how much do welders make" was answered; the form now asks its question again."""
    tracker = mid_form("service_search_form", "service_category", intent="ask_wages",
                       text="how much do welders make", after="action_show_wages")
    assert not ValidateServiceSearchForm().asked_something_else(tracker)


def test_a_form_starting_on_a_request_takes_it():
    """At activation nothing is asked yet: the message that opened the form is its own."""
    tracker = mid_form("service_search_form", None, **WELDING_IN_SALEM)
    assert not ValidateServiceSearchForm().asked_something_else(tracker)


async def extracted(slots: Dict[str, Any], **message) -> Dict[str, Any]:
    return await ValidateServiceSearchForm().extract_service_category(
        CollectingDispatcher(), tracker(slots, **message), DOMAIN)


async def test_a_new_place_after_help_was_found_keeps_the_need():
    assert await extracted({"service_category": "childcare"}, intent="inform", text="eugene",
                           entities=[{"entity": "place", "value": "eugene"}]) == {}
    assert await extracted({"service_category": "childcare"}, intent="find_service",
                           text="any in eugene?",
                           entities=[{"entity": "place", "value": "eugene"}]) == {}


async def test_other_help_asks_which_and_a_new_need_replaces_the_old_one():
    assert await extracted({"service_category": "childcare"}, intent="find_service",
                           text="/find_service") == {"service_category": None}
    assert await extracted({"service_category": "childcare"}, intent="find_service",
                           text="i got no ride to school") == {
        "service_category": "transportation"}
    # While the search asks where, asking for help again keeps the need it has.
    assert await extracted({"service_category": "childcare", "requested_slot": "place"},
                           intent="find_service", text="i need help pls") == {}
    # A need the entity extractor found is the slot mapping's, checked by validation.
    assert await extracted({"service_category": "food"}, intent="find_service",
                           text="i need food",
                           entities=[{"entity": "service_category", "value": "food"}]) == {}
