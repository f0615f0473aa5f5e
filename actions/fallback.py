"""Journey 9: what the bot does when it did not understand."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.explanations import explain_named_term
from actions.program_questions import aspect_of
from actions.programs import ActionAnswerProgramQuestion
from actions.services import NEED_CATEGORIES, need_title, need_words, search_payload
from actions.slots import PROGRAM_RESULTS, SELECTED_PROGRAM
from actions.wording import say
from knowledge.search import category_of

MISSES_BEFORE_OFFER = 2
FALLBACK_INTENTS = frozenset({"nlu_fallback"})
REPEATED_MISS = "repeated_miss"


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the learner's latest messages in a row the bot did not understand.

    Read from the events rather than counted in a slot, so nothing has to reset a
    counter when a message is understood.
    """
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in FALLBACK_INTENTS:
            break
        misses += 1
    return misses


class ActionCountMisses(Action):
    """Sets `repeated_miss` so the rules can apologise once, then offer a way forward."""

    def name(self) -> str:
        return "action_count_misses"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        return [SlotSet(REPEATED_MISS, consecutive_misses(tracker) >= MISSES_BEFORE_OFFER)]


class ActionNotUnderstood(Action):
    """The first miss: a question about the program on screen, in words the model never
    saw ("will a background check be a problem?"), is still answered, and a term the
    message names ("wait b4 that, wat is iet") explained; anything else gets the
    ask-again reply."""

    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        on_screen = tracker.get_slot(SELECTED_PROGRAM) or len(
            tracker.get_slot(PROGRAM_RESULTS) or []) == 1
        text = tracker.latest_message.get("text")
        if on_screen and aspect_of(text, None):
            return await ActionAnswerProgramQuestion().run(dispatcher, tracker, domain)
        if not explain_named_term(dispatcher, text):
            dispatcher.utter_message(response="utter_default")
        return []


class ActionOutOfScope(Action):
    """Says what the navigator cannot do; when the message touches a kind of help the
    catalogue has ("can u check my ebt balance", "should i fight the ticket in court"),
    offers that help instead of leaving the learner with a no."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        category = category_of(tracker.latest_message.get("text"))
        if category not in NEED_CATEGORIES:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        dispatcher.utter_message(
            response="utter_out_of_scope_offer_help", need=need_words(tracker, category),
            buttons=[{"title": need_title(tracker, category),
                      "payload": search_payload(category)},
                     {"title": say(tracker, "say_services_find_program"),
                      "payload": "/find_program"}])
        return []
