"""Journey 5: help that makes attending possible, in the learner's county."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue_access import catalogue
from actions.formatting import Choice, Reply, send
from actions.places import PlaceFormValidation
from actions.slots import COUNTY, LAST_SEARCH, SERVICE_CATEGORY
from knowledge.search import categories_in, category_of

CATEGORY_WORDS = {
    "transportation": "rides", "childcare": "child care", "disability": "disability help",
    "food": "food", "housing": "housing", "technology": "computers and internet",
    "health": "health", "legal": "legal help", "financial": "money for school",
    "language": "English classes", "basic_needs": "basic needs", "career": "job help",
    "other": "other help",
}


PROGRAM_ENTITIES = ("occupation", "program", "credential", "sector")


def also_wanted(tracker: Tracker, answered: Optional[str]) -> List[Choice]:
    """The other needs of a message that asked for two things ("child care and a ride",
    "a ride to my welding class"), offered as buttons so none is dropped."""
    message = tracker.latest_message
    if str(message.get("text") or "").startswith("/"):
        return []  # a button press says one thing
    choices = [Choice(f"Also: {CATEGORY_WORDS[c]}", f'/find_service{{"service_category": "{c}"}}')
               for c in categories_in(message.get("text")) if c != answered and c in CATEGORY_WORDS]
    named = [e for e in message.get("entities") or [] if e.get("entity") in PROGRAM_ENTITIES]
    if named:
        words = str(message.get("text"))[named[0]["start"]:named[0]["end"]]
        choices.append(Choice(f"Classes: {words}", "/find_program"))
    return choices[:2]


class ValidateServiceSearchForm(PlaceFormValidation):
    """Asks only for what is missing: the kind of help and a place (reused if known)."""

    def name(self) -> str:
        return "validate_service_search_form"

    async def extract_service_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        """The need in the learner's own words ("i got no ride"), when no entity named it."""
        if tracker.get_slot(SERVICE_CATEGORY):
            return {}
        category = category_of(tracker.latest_message.get("text"))
        return {SERVICE_CATEGORY: category} if category else {}

    async def validate_service_category(
        self, slot_value: Any, dispatcher: CollectingDispatcher,
        tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        text = str(tracker.latest_message.get("text") or "")
        named = [] if text.startswith("/") else categories_in(text)
        if named and slot_value not in named[:1]:
            # "food n rent help": the need named first is answered first (the other is
            # offered), whatever the entity extractor tagged.
            slot_value = named[0]
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
                f"Sorry, I don't know of {what}{where} yet. You can call 211 to ask, or a "
                "navigator, a real person, can help you look.",
                [Choice("Talk to a person", "/human_handoff"), *more],
            ))
            return [SlotSet(SERVICE_CATEGORY, None), SlotSet(LAST_SEARCH, "services")]
        more = [*also_wanted(tracker, category), *more]
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


# A help and the line of work that shares its words: "child care" is both.
CAREER_TWINS = {
    "childcare": ("early_childhood", "child care"), "food": ("hospitality", "food service"),
    "transportation": ("transportation", "driving"),
    "technology": ("information_technology", "computers"), "health": ("healthcare", "health care"),
}


class ActionAskNeedOrCareer(Action):
    """"child care" alone: help while studying, or classes to work in it? Asks once,
    with a button for each reading."""

    def name(self) -> str:
        return "action_ask_need_or_career"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        category = (next(iter(tracker.get_latest_entity_values(SERVICE_CATEGORY)), None)
                    or category_of(tracker.latest_message.get("text")))
        if category not in CAREER_TWINS:
            send(dispatcher, tracker, Reply("Do you need help to go to school, or classes "
                                            "for a job?", [Choice("Get help to attend",
                                                                  "/find_service"),
                                                           Choice("Find classes",
                                                                  "/find_program")]))
            return []
        sector, field = CAREER_TWINS[category]
        need = CATEGORY_WORDS[category]
        send(dispatcher, tracker, Reply(
            f"Do you need {need} so you can go to school, or do you want classes to work "
            f"in {field}?",
            [Choice(f"{need.capitalize()} while you study",
                    f'/find_service{{"service_category": "{category}"}}'),
             Choice(f"Classes to work in {field}", f'/find_program{{"sector": "{sector}"}}')]))
        return []
