"""Journey 5: help that makes attending possible, in the learner's county."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue_access import catalogue
from actions.form_exits import OTHER_REQUESTS, latest_intent
from actions.formatting import Choice, Reply, send
from actions.outcomes import note_service_search
from actions.places import PlaceFormValidation
from actions.slots import COUNTY, LAST_SEARCH, PLACE, SERVICE_CATEGORY
from actions.wording import catalogue_name, catalogue_text, say
from knowledge.search import categories_in, category_of

# The kinds of help the catalogue knows, each with its words in the message catalogue.
NEED_ENTRIES = {
    "transportation": "say_services_need_transportation",
    "childcare": "say_services_need_childcare",
    "disability": "say_services_need_disability",
    "food": "say_services_need_food",
    "housing": "say_services_need_housing",
    "technology": "say_services_need_technology",
    "health": "say_services_need_health",
    "legal": "say_services_need_legal",
    "financial": "say_services_need_financial",
    "language": "say_services_need_language",
    "basic_needs": "say_services_need_basic_needs",
    "career": "say_services_need_career",
    "other": "say_services_need_other",
}
NEED_CATEGORIES = tuple(NEED_ENTRIES)


def need_words(tracker: Optional[Tracker], category: Optional[str]) -> str:
    """A kind of help as the learner reads it ("rides"); "help" for one not known."""
    return say(tracker, NEED_ENTRIES.get(category or "", "say_services_need_any"))


def need_title(tracker: Optional[Tracker], category: Optional[str]) -> str:
    """The words of a need at the start of a button ("Child care")."""
    words = need_words(tracker, category)
    return words[:1].upper() + words[1:]


def search_payload(category: str) -> str:
    """The button payload that searches for one kind of help."""
    return f'/find_service{{"service_category": "{category}"}}'


def service_choice(tracker: Optional[Tracker], category: str) -> Choice:
    return Choice(say(tracker, "say_services_also", need=need_words(tracker, category)),
                  search_payload(category))


PROGRAM_ENTITIES = ("occupation", "program", "credential", "sector")


def also_wanted(tracker: Tracker, answered: Optional[str]) -> List[Choice]:
    """The other needs of a message that asked for two things ("child care and a ride",
    "a ride to my welding class"), offered as buttons so none is dropped."""
    message = tracker.latest_message
    if str(message.get("text") or "").startswith("/"):
        return []  # a button press says one thing
    choices = [service_choice(tracker, c) for c in categories_in(message.get("text"))
               if c != answered and c in NEED_ENTRIES]
    named = [e for e in message.get("entities") or [] if e.get("entity") in PROGRAM_ENTITIES]
    if named:
        words = str(message.get("text"))[named[0]["start"]:named[0]["end"]]
        choices.append(Choice(say(tracker, "say_services_also_classes", words=words),
                              "/find_program"))
    return choices[:2]


class ValidateServiceSearchForm(PlaceFormValidation):
    """Asks only for what is missing: the kind of help and a place (reused if known)."""

    leaves_for = OTHER_REQUESTS - {"find_service"}

    def name(self) -> str:
        return "validate_service_search_form"

    async def extract_service_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        """The need in the learner's own words ("i got no ride"), when no entity named it.

        The need answered last stays for a new place ("eugene" after child care in Salem
        looks for child care in Eugene); asking for help again without naming a need or a
        place ("other help") asks which.
        """
        message = tracker.latest_message
        entities = message.get("entities") or []
        if any(e.get("entity") == SERVICE_CATEGORY for e in entities):
            return {}  # the slot mapping took it; validate_service_category checks it
        known = tracker.get_slot(SERVICE_CATEGORY)
        text = str(message.get("text") or "")
        category = None if text.startswith("/") else category_of(text)
        if category:
            return {SERVICE_CATEGORY: category} if category != known else {}
        # Only when the search starts: "i need help pls" while it asks where is no new need.
        asked_again = (tracker.get_slot("requested_slot") is None
                       and latest_intent(tracker) == "find_service"
                       and not any(e.get("entity") == PLACE for e in entities))
        return {SERVICE_CATEGORY: None} if asked_again and known else {}

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
        if slot_value in NEED_ENTRIES:
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
        noted = await note_service_search(tracker, services)  # anonymous, for the dashboard
        what = need_words(tracker, category)
        where = say(tracker, "say_services_in_county", county=county) if county else ""
        more = [Choice(say(tracker, "say_services_other_help"), "/find_service"),
                Choice(say(tracker, "say_services_find_program"), "/find_program")]
        if not services:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_services_none_known", what=what, where=where),
                [Choice(say(tracker, "say_services_talk_to_person"), "/human_handoff"), *more],
            ))
            return [SlotSet(LAST_SEARCH, "services"), *noted]
        more = [*also_wanted(tracker, category), *more]
        lines = [say(tracker, "say_services_found", what=what, where=where)]
        for i, service in enumerate(services, start=1):
            contact = " ".join(
                bit for bit in (
                    say(tracker, "say_services_call", phone=service.phone)
                    if service.phone else "",
                    say(tracker, "say_services_text", number=service.text_number)
                    if service.text_number else "",
                ) if bit
            )
            lines.append(say(tracker, "say_services_line", number=i,
                             service=catalogue_name(tracker, service, "name"),
                             description=catalogue_text(tracker, service, "description"),
                             how=catalogue_text(tracker, service, "how_to_apply"),
                             contact=contact).strip())
        send(dispatcher, tracker, Reply("\n".join(lines), more))
        # The need and the place stay: a new place or a new need looks again with the
        # other one (ValidateServiceSearchForm.extract_service_category).
        return [SlotSet(LAST_SEARCH, "services"), *noted]


# A help and the line of work that shares its words: "child care" is both. Each maps to
# the sector of that work and the catalogue entry that names the work.
CAREER_TWINS = {
    "childcare": ("early_childhood", "say_services_field_childcare"),
    "food": ("hospitality", "say_services_field_food"),
    "transportation": ("transportation", "say_services_field_transportation"),
    "technology": ("information_technology", "say_services_field_technology"),
    "health": ("healthcare", "say_services_field_health"),
}


_SEARCHES = {search_payload(category): category for category in NEED_ENTRIES}


def offered_help(tracker: Tracker) -> List[str]:
    """The kinds of help the bot's reply before this message offered as buttons."""
    offered: List[str] = []
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                break
        elif event.get("event") == "bot" and users_seen == 1:
            buttons = (event.get("data") or {}).get("buttons") or []
            offered += [_SEARCHES[b["payload"]] for b in buttons if b.get("payload") in _SEARCHES]
    return offered


class ActionAskNeedOrCareer(Action):
    """"child care" alone: help while studying, or classes to work in it? Asks once,
    with a button for each reading."""

    def name(self) -> str:
        return "action_ask_need_or_career"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        named = list(tracker.get_latest_entity_values(SERVICE_CATEGORY))
        category = next(iter(named), None) or category_of(tracker.latest_message.get("text"))
        offered = offered_help(tracker)
        asked_for = [c for c in [*named, *categories_in(tracker.latest_message.get("text"))]
                     if c in offered]
        if asked_for:
            # "y lo de la comida?" right after the help was offered as a button: that help.
            return [SlotSet(SERVICE_CATEGORY, asked_for[0]), FollowupAction("service_search_form")]
        if category not in CAREER_TWINS:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_services_need_or_career"),
                [Choice(say(tracker, "say_services_get_help_to_attend"), "/find_service"),
                 Choice(say(tracker, "say_services_find_classes"), "/find_program")]))
            return []
        sector, field_entry = CAREER_TWINS[category]
        field = say(tracker, field_entry)
        send(dispatcher, tracker, Reply(
            say(tracker, "say_services_need_or_field", need=need_words(tracker, category),
                field=field),
            [Choice(say(tracker, "say_services_need_while_you_study",
                        need=need_title(tracker, category)),
                    search_payload(category)),
             Choice(say(tracker, "say_services_classes_for_field", field=field),
                    f'/find_program{{"sector": "{sector}"}}')]))
        return []
