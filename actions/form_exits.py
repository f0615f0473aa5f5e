"""Leaving a form by asking for something else.

While a form waits for an answer, Rasa gives it every message, and the form keeps the turn
whenever the message filled one of its slots. "welding classes in salem" names a place,
so a service search asking "what kind of help?" took the place and asked again, and the
program search never started. A message that asks for something of its own is not an
answer: the form rejects it, the slots of the form it filled go back to what they were,
and the rules answer it (data/rules/interruptions.yml): a new search ends the form, a
question gets its answer and the form asks again.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, FrozenSet, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

# Intents that ask for something of their own: another journey, a question with its own
# answer, a person, crisis words. Small talk, yes and no, and plain details ("inform")
# stay with the form, which takes what it can use.
OTHER_REQUESTS: FrozenSet[str] = frozenset({
    "find_program", "find_service", "not_sure", "ask_pathway", "ask_wages",
    "ask_credential", "ask_cost", "ask_schedule", "ask_program_detail", "faq",
    "human_handoff", "crisis", "start_over", "check_referral", "cancel_referral",
    "delete_my_data",
})
# Questions that may come with the very answer asked for ("free ones in salem?" to
# "where do you live?"): those keep the answer, as before; the question is let go only
# when the message answers something else or nothing.
QUESTIONS_WITH_ANSWERS: FrozenSet[str] = frozenset({
    "faq", "ask_cost", "ask_schedule", "ask_program_detail"})


def runs_on_the_learners_message(tracker: Tracker, form: str) -> bool:
    """Whether the form runs on the message just received, not on its way back to its
    question after another action answered one."""
    form_seen = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action":
            if not form_seen and event.get("name") == form:
                form_seen = True  # the run being validated now
                continue
            return event.get("name") == "action_listen"
    return False


def latest_user_index(events: List[Dict[str, Any]]) -> Optional[int]:
    return next((i for i in range(len(events) - 1, -1, -1)
                 if events[i].get("event") == "user"), None)


def filled_by_the_message(tracker: Tracker) -> List[str]:
    """The slots the latest message set (the domain's slot mappings), in order."""
    last_user = latest_user_index(tracker.events)
    if last_user is None:
        return []
    return list(dict.fromkeys(e["name"] for e in tracker.events[last_user:]
                              if e.get("event") == "slot" and e.get("name") != "requested_slot"))


# How sure the classifier must be that an answer is another request before the form lets
# it go: free-text answers read like requests now and then ("after school pickup" to
# "when can they reach you?" reads 0.59 like a question about careers), real requests
# score above 0.9.
LEAVE_CONFIDENCE = 0.8


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The latest message's intent when the classifier is sure of it."""
    # Not get_intent_of_latest_message(): it skips nlu_fallback for the runner-up.
    intent = tracker.latest_message.get("intent") or {}
    if (intent.get("confidence") or 0) < LEAVE_CONFIDENCE:
        return None
    return intent.get("name")


class LeavableFormValidation(FormValidationAction):
    """Base of the forms' validators: a message asking for something else is rejected."""

    # The requests that make this form let go; the one that opens it is an answer.
    leaves_for: FrozenSet[str] = OTHER_REQUESTS

    @abstractmethod
    def name(self) -> str:
        """Abstract, so rasa-sdk registers only the concrete forms' validators."""

    def asked_something_else(self, tracker: Tracker) -> bool:
        intent = latest_intent(tracker)
        asked = tracker.get_slot("requested_slot")
        return (intent in self.leaves_for
                and asked is not None
                and tracker.active_loop_name == self.form_name()
                and runs_on_the_learners_message(tracker, self.form_name())
                and not (intent in QUESTIONS_WITH_ANSWERS
                         and asked in filled_by_the_message(tracker)))

    def answers_undone(self, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """The form's slots the rejected message filled, set back to their values before
        it: a question asked in the middle leaves the search as it was (a new search
        reads its own slots from the message again when it starts)."""
        required = set(self.domain_slots(domain))
        filled = [name for name in filled_by_the_message(tracker) if name in required]
        last_user = latest_user_index(tracker.events) or 0
        before: Dict[str, Any] = {}
        for event in tracker.events[:last_user]:
            if event.get("event") == "slot" and event.get("name") in filled:
                before[event["name"]] = event.get("value")
        return [SlotSet(name, before.get(name)) for name in filled]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> List[EventType]:
        if self.asked_something_else(tracker):
            return [*self.answers_undone(tracker, domain),
                    ActionExecutionRejected(self.form_name())]
        return await super().run(dispatcher, tracker, domain)
