"""Journey 5: help that makes attending possible, in the learner's county."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue_access import catalogue
from actions.formatting import Choice, Reply, send
from actions.places import PlaceFormValidation
from actions.slots import COUNTY, LAST_SEARCH, SERVICE_CATEGORY

CATEGORY_WORDS = {
    "transportation": "rides", "childcare": "child care", "disability": "disability help",
    "food": "food", "housing": "housing", "technology": "computers and internet",
    "health": "health", "legal": "legal help", "financial": "money for school",
    "language": "English classes", "basic_needs": "basic needs", "career": "job help",
}


class ValidateServiceSearchForm(PlaceFormValidation):
    """Asks only for what is missing: the kind of help and a place (reused if known)."""

    def name(self) -> str:
        return "validate_service_search_form"

    async def validate_service_category(
        self, slot_value: Any, dispatcher: CollectingDispatcher,
        tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        if slot_value in CATEGORY_WORDS:
            return {SERVICE_CATEGORY: slot_value}
        return {SERVICE_CATEGORY: None}


class ActionSearchServices(Action):
    """Lists services in the learner's county, local ones first, then statewide."""

    def name(self) -> str:
        return "action_search_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        category = tracker.get_slot(SERVICE_CATEGORY)
        county = tracker.get_slot(COUNTY)
        services = await catalogue().services(category=category, county=county, limit=3)
        what = CATEGORY_WORDS.get(category, "help")
        where = f" in {county} County" if county else ""
        more = [Choice("Other help", "/find_service"), Choice("Find a program", "/find_program")]
        if not services:
            send(dispatcher, tracker, Reply(
                f"Sorry, I don't know of {what}{where} yet. You can call 211 to ask.", more
            ))
            return [SlotSet(SERVICE_CATEGORY, None), SlotSet(LAST_SEARCH, "services")]
        lines = [f"Here is {what}{where}:"]
        for i, service in enumerate(services, start=1):
            contact = " ".join(
                bit for bit in (
                    f"Call {service.phone}." if service.phone else "",
                    f"Text {service.text_number}." if service.text_number else "",
                ) if bit
            )
            lines.append(f"{i}. {service.name}: {service.description} "
                         f"How to get it: {service.how_to_apply} {contact}".strip())
        send(dispatcher, tracker, Reply("\n".join(lines), more))
        # The category is cleared so "other help" asks again; the place stays.
        return [SlotSet(SERVICE_CATEGORY, None), SlotSet(LAST_SEARCH, "services")]
