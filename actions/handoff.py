"""Journeys 7 and 8: reaching a person, and the learner's control over their request.

Consent comes first and nothing is stored without it. The referral goes to the
navigator team of the chosen program's provider, else of a provider serving the
learner's county, else the statewide team.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Dict, List, Optional

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.catalogue_access import catalogue
from actions.follow_ups import answer_follow_up, follow_up_answer
from actions.formatting import Choice, Reply, is_sms, send
from actions.outcomes import note_referral
from actions.places import PlaceFormValidation
from actions.slots import (
    COUNTY,
    INTEREST,
    PLACE,
    PROGRAM_RESULTS,
    REPLY_LANGUAGE,
    SELECTED_PROGRAM,
)
from actions.store_access import store_engine
from actions.wording import say
from bot.follow_ups import plan_follow_up
from bot.records import store

logger = logging.getLogger(__name__)

CONSENT = "handoff_consent"
FIRST_NAME = "first_name"
CONTACT_METHOD = "contact_method"
CONTACT_VALUE = "contact_value"
BEST_TIME = "best_time"
LANGUAGE = "preferred_language"
CONFIRMED = "handoff_confirmed"
HANDOFF_SLOTS = (CONSENT, FIRST_NAME, CONTACT_METHOD, CONTACT_VALUE, BEST_TIME, LANGUAGE,
                 CONFIRMED)

CONSENT_TEXT = (
    "Shared with the navigator team for the learner's area or program: this conversation "
    "and the name, contact details, best time, language and place the learner gave next, "
    "so a navigator can reach out about school and support, and short messages to the "
    "learner when the request's status changes."
)
METHODS = {
    "text": "text", "txt": "text", "sms": "text", "texto": "text", "mensaje": "text",
    "text me": "text", "call": "call", "phone": "call", "call me": "call", "llamar": "call",
    "llamada": "call", "email": "email", "e-mail": "email", "mail": "email",
    "correo": "email", "e-mail me": "email", "email me": "email",
    # Spanish, as learners answer: "que me llamen", "por mensaje", "textos porfa".
    "llame": "call", "llamen": "call", "llamenme": "call", "llámenme": "call",
    "llamadas": "call", "marquen": "call", "marque": "call", "marcar": "call",
    "telefono": "call", "teléfono": "call", "mensajes": "text", "mensajito": "text",
    "textos": "text", "textear": "text", "texteen": "text", "texteo": "text",
    "imeil": "email", "electronico": "email", "electrónico": "email",
}
LANGUAGES = {"english": "English", "inglés": "English", "ingles": "English", "en": "English",
             "spanish": "Spanish", "español": "Spanish", "espanol": "Spanish", "es": "Spanish"}
THIS_NUMBER = re.compile(r"\b(this|same|my)\s+(number|phone|one)\b|\beste\b", re.I)
NAME = re.compile(r"^[^\W\d_][^\W\d_'’ .-]*(?:[ '’.-][^\W\d_]+)*$")
# "my name is Ana", "im ana", "me llamo Ana": the name is what follows.
NAME_LEAD = re.compile(
    r"^(?:(?:hi|hello|hey|hola)[,!. ]+)?(?:my name is|my name's|name is|name's|i am|i'm|im|"
    r"it's|its|this is|call me|me llamo|mi nombre es|mi nombre:?|me dicen|yo soy|soy)\s+",
    re.I)
EMAIL_IN_TEXT = re.compile(r"[^\s@<>(),;:\"]+@[^\s@<>(),;:\"]+\.[a-z]{2,}", re.I)
# Said in the middle of the form, these mean "I don't want this after all".
LEAVE_WORDS = frozenset({
    "no", "nope", "nah", "stop", "cancel", "quit", "exit", "never mind", "nevermind",
    "nvm", "forget it", "no thanks", "no thank you", "not now", "maybe later", "later",
    "i changed my mind", "dont", "don't", "no gracias", "olvidalo", "olvídalo", "cancelar",
    "ya no",
})
# How a navigator will reach the learner, by contact method (catalogue entries).
REACH = {"text": "say_handoff_reach_text", "call": "say_handoff_reach_call",
         "email": "say_handoff_reach_email"}
# The language the learner chose, as stored in `preferred_language`, as they read it.
LANGUAGE_NAMES = {"English": "say_handoff_language_english",
                  "Spanish": "say_handoff_language_spanish"}
# A referral's status, as the learner reads it (the staff's words are store.STATUS_WORDS).
STATUS_SENTENCES = {
    "new": "say_handoff_status_new", "contacted": "say_handoff_status_contacted",
    "cancelled": "say_handoff_status_cancelled", "enrolled": "say_handoff_status_enrolled",
    "referred_elsewhere": "say_handoff_status_referred_elsewhere",
    "unable_to_reach": "say_handoff_status_unable_to_reach",
    "not_interested": "say_handoff_status_not_interested",
    "closed": "say_handoff_status_closed",
}


def reach(tracker: Optional[Tracker], method: Optional[str], contact: Optional[str]) -> str:
    """"text you at +15035550134": how the navigator will get in touch."""
    return say(tracker, REACH.get(method or "", "say_handoff_reach_other"), contact=contact)


def language_name(tracker: Optional[Tracker], chosen: Optional[str]) -> str:
    """The chosen language in the learner's words ("Spanish" → "español"); a language
    the learner typed themselves is shown as they typed it."""
    entry = LANGUAGE_NAMES.get(chosen or "")
    return say(tracker, entry) if entry else str(chosen)


LEAVE_PHRASES = re.compile(
    r"\b(forget (it|about it)|never ?mind|nvm|changed my mind|no longer need|"
    r"(don'?t|do not) (want|need) (a |the |any |this |that )?(call|text|help|it|this|that|"
    r"anyone|anybody)( anymore)?|ya no (quiero|necesito)|olvid[ae]lo)\b", re.I)


def wants_to_leave(text: str) -> bool:
    words = re.sub(r"[^\w' ]+", " ", text.lower()).split()
    return " ".join(words) in LEAVE_WORDS or bool(LEAVE_PHRASES.search(text))


def phone_in(text: str) -> Optional[str]:
    """The first valid phone number anywhere in the text ("text me at 503 555 0134")."""
    for match in phonenumbers.PhoneNumberMatcher(text, "US"):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return phone_e164(text)


def email_in(text: str) -> Optional[str]:
    match = EMAIL_IN_TEXT.search(text)
    return email_address(match.group(0)) if match else None


def contact_method(text: str) -> Optional[str]:
    words = text.strip().lower().strip(".!")
    if words in METHODS:
        return METHODS[words]
    return next((method for word, method in METHODS.items() if word in words.split()), None)


def phone_e164(text: str) -> Optional[str]:
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(text: str) -> Optional[str]:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


# What a learner may say about themselves when asking for a person ("can someone text me
# at 541-555-0143, im Dolores, mornings r best"): kept, so the form does not ask again.
NAME_IN_TEXT = re.compile(r"\b(?:i'?m|i am|my name is|name's|this is|me llamo|soy)\s+"
                          r"([A-Z][a-z]+)\b")
TIME_IN_TEXT = re.compile(
    r"\b((?:weekday |weekend )?(?:mornings?|afternoons?|evenings?|nights?|weekends?|"
    r"lunch ?time)|after \d{1,2}(?: ?[ap]m)?|before \d{1,2}(?: ?[ap]m)?|any ?time|"
    r"por la (?:mañana|manana|tarde|noche))\b", re.I)


def details_given(text: str) -> Dict[str, Any]:
    """Name, contact and best time the learner volunteered in one message."""
    found: Dict[str, Any] = {}
    address = email_in(text)
    number = None if address else phone_in(text)
    if address or number:
        method = "email" if address else contact_method(text)
        found[CONTACT_METHOD] = method if method in ("text", "call", "email") else "text"
        found[CONTACT_VALUE] = address or number
    name = NAME_IN_TEXT.search(text)
    if name:
        found[FIRST_NAME] = name.group(1)
    when = TIME_IN_TEXT.search(text)
    if when:
        found[BEST_TIME] = when.group(1)
    return found


# Leaving counts as withdrawing consent: the form ends and nothing is stored.
LEAVE = {CONSENT: False}


PLACE_CUE = re.compile(r"\b(in|near|from|live|living|around|by|close to|en|vivo)\b", re.I)


class ValidateHandoffForm(PlaceFormValidation):
    # Answers here are free text that may read like a question: "english" like one about
    # ESL, "mornings r best" like one about class times, "idk" like not being sure what
    # to do, "call" or "ya no, olvidalo" like cancelling a request (the form's own
    # leave words end it). Only another journey, a question of its own, crisis words and
    # the learner's other requests let go.
    leaves_for = frozenset({
        "find_program", "find_service", "ask_pathway", "ask_wages", "ask_credential",
        "crisis", "start_over", "check_referral", "delete_my_data",
    })

    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher,
        tracker: Tracker, domain: DomainDict,
    ) -> List[str]:
        if tracker.get_slot(CONSENT) is False:
            return []
        if tracker.get_slot(COUNTY):
            return [slot for slot in domain_slots if slot != PLACE]
        return domain_slots

    async def extract_first_name(self, dispatcher, tracker, domain):
        return self._volunteered(tracker, FIRST_NAME)

    async def extract_contact_method(self, dispatcher, tracker, domain):
        return self._volunteered(tracker, CONTACT_METHOD, CONTACT_VALUE)

    async def extract_best_time(self, dispatcher, tracker, domain):
        return self._volunteered(tracker, BEST_TIME)

    async def extract_handoff_confirmed(self, dispatcher, tracker, domain):
        """"no the number is wrong, its 503-555-0166" at the read-back: the new number
        (or address) replaces the old one and the details are read back again."""
        if tracker.get_slot("requested_slot") != CONFIRMED:
            return {}
        text = str(tracker.latest_message.get("text") or "")
        address = email_in(text)
        if address:
            return {CONTACT_METHOD: "email", CONTACT_VALUE: address, CONFIRMED: None}
        number = phone_in(text)
        if number and number != tracker.get_slot(CONTACT_VALUE):
            method = tracker.get_slot(CONTACT_METHOD)
            return {CONTACT_METHOD: method if method in ("text", "call") else "call",
                    CONTACT_VALUE: number, CONFIRMED: None}
        return {}

    @staticmethod
    def _volunteered(tracker: Tracker, *slots: str) -> Dict[str, Any]:
        """Details in the message that asked for a person, for slots not yet answered;
        a phone number or e-mail address is taken from any answer ("yes call me at ...")."""
        if tracker.get_slot(slots[0]):
            return {}
        if (tracker.get_intent_of_latest_message() != "human_handoff"
                and slots[0] != CONTACT_METHOD):
            return {}
        given = details_given(tracker.latest_message.get("text") or "")
        return {slot: given[slot] for slot in slots if slot in given}

    async def validate_handoff_consent(self, value, dispatcher, tracker, domain):
        return {CONSENT: value if isinstance(value, bool) else None}

    async def validate_first_name(self, value, dispatcher, tracker, domain):
        if wants_to_leave(str(value or "")):
            return LEAVE
        said = " ".join(str(value or "").split())
        method = contact_method(said)
        if method and len(said.split()) > 1 and not NAME_LEAD.match(said):
            # "que me llamen" answers the next question, not this one: kept for it.
            dispatcher.utter_message(text=say(tracker, "say_handoff_first_name_again"))
            return {FIRST_NAME: None, CONTACT_METHOD: method}
        name = NAME_LEAD.sub("", said)[:40].strip(" .!")
        if not NAME.match(name):
            dispatcher.utter_message(text=say(tracker, "say_handoff_first_name_again"))
            return {FIRST_NAME: None}
        return {FIRST_NAME: name.split()[0].capitalize()}

    async def validate_contact_method(self, value, dispatcher, tracker, domain):
        text = str(value or "")
        if wants_to_leave(text):
            return LEAVE
        # A number or an address typed instead of a choice answers both questions.
        address = email_in(text)
        if address:
            return {CONTACT_METHOD: "email", CONTACT_VALUE: address}
        number = phone_in(text)
        method = contact_method(text)
        if number:
            default = "text" if is_sms(tracker) else "call"
            return {CONTACT_METHOD: method if method in ("text", "call") else default,
                    CONTACT_VALUE: number}
        if method is None:
            dispatcher.utter_message(text=say(tracker, "say_handoff_choose_method"))
        return {CONTACT_METHOD: method}

    async def validate_contact_value(self, value, dispatcher, tracker, domain):
        text = str(value or "").strip()
        if wants_to_leave(text):
            return LEAVE
        if tracker.get_slot(CONTACT_METHOD) == "email":
            address = email_address(text)
            if address is None:
                dispatcher.utter_message(text=say(tracker, "say_handoff_email_invalid"))
            return {CONTACT_VALUE: address}
        if is_sms(tracker) and THIS_NUMBER.search(text):
            text = tracker.sender_id
        number = phone_in(text)
        if number is None:
            dispatcher.utter_message(text=say(tracker, "say_handoff_phone_invalid"))
        return {CONTACT_VALUE: number}

    async def validate_best_time(self, value, dispatcher, tracker, domain):
        if wants_to_leave(str(value or "")):
            return LEAVE
        return {BEST_TIME: " ".join(str(value or "").split())[:120] or None}

    async def validate_preferred_language(self, value, dispatcher, tracker, domain):
        text = " ".join(str(value or "").split())[:40]
        if wants_to_leave(text):
            return LEAVE
        named = [LANGUAGES[w] for w in re.findall(r"[^\W\d_]+", text.lower()) if w in LANGUAGES
                 and len(w) > 2]
        # "en español", "spanish please": the language named; else the words as typed.
        chosen = LANGUAGES.get(text.lower()) or (named[0] if named else text.capitalize()) or None
        # The language asked for with the navigator is the conversation's from now on.
        reply = {"English": "en", "Spanish": "es"}.get(chosen or "")
        return {LANGUAGE: chosen, **({REPLY_LANGUAGE: reply} if reply else {})}

    async def validate_place(self, value, dispatcher, tracker, domain):
        if wants_to_leave(str(value or "")):
            return LEAVE
        asked = tracker.get_slot("requested_slot")
        text = str(tracker.latest_message.get("text") or "")
        if asked not in (None, PLACE) and not PLACE_CUE.search(text):
            # "Florence" typed as a first name is a name: a place given while the form
            # asks something else comes with its cue ("i live in florence").
            return {PLACE: None}
        return await super().validate_place(value, dispatcher, tracker, domain)

    async def validate_handoff_confirmed(self, value, dispatcher, tracker, domain):
        return {CONFIRMED: value if isinstance(value, bool) else None}


class ActionAskHandoffConfirmed(Action):
    """Reads the details back before anything is stored."""

    def name(self) -> str:
        return "action_ask_handoff_confirmed"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        where = tracker.get_slot(PLACE) or tracker.get_slot(COUNTY)
        details = {
            "first_name": tracker.get_slot(FIRST_NAME),
            "reach": reach(tracker, tracker.get_slot(CONTACT_METHOD),
                           tracker.get_slot(CONTACT_VALUE)),
            "time": tracker.get_slot(BEST_TIME),
            "chosen_language": language_name(tracker, tracker.get_slot(LANGUAGE)),
        }
        if where:
            text = say(tracker, "say_handoff_check_with_place", place=where, **details)
        else:
            text = say(tracker, "say_handoff_check", **details)
        send(dispatcher, tracker, Reply(text, [
            Choice(say(tracker, "say_handoff_button_send"), "/affirm"),
            Choice(say(tracker, "say_handoff_button_no"), "/deny")]))
        return []


def explored(tracker: Tracker) -> Dict[str, Any]:
    """What the learner looked at, for the navigator's summary."""
    programs: List[str] = []
    services: List[str] = []
    for event in tracker.events:
        if event.get("event") != "slot" or not event.get("value"):
            continue
        if event["name"] == PROGRAM_RESULTS:
            programs.extend(p for p in event["value"] if p not in programs)
        elif event["name"] == "service_category" and event["value"] not in services:
            services.append(event["value"])
    return {"programs": programs, "selected_program": tracker.get_slot(SELECTED_PROGRAM),
            "services": services, "interest": tracker.get_slot(INTEREST)}


class ActionCreateReferral(Action):
    def name(self) -> str:
        return "action_create_referral"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        if tracker.get_slot(CONSENT) is False:
            send(dispatcher, tracker, Reply(say(tracker, "say_handoff_nothing_shared")))
            return reset
        if tracker.get_slot(CONFIRMED) is not True:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_handoff_not_sent"),
                [Choice(say(tracker, "say_handoff_button_talk"), "/human_handoff")]))
            return reset
        try:
            new = await self._referral(tracker)
            code = await asyncio.to_thread(store.create_referral, store_engine(), new)
            await asyncio.to_thread(plan_follow_up, store_engine(), code)
        except SQLAlchemyError:
            logger.exception("Could not store a referral; the learner's answers are kept.")
            # Every answer stays in the slots: sending again completes the form at once.
            send(dispatcher, tracker, Reply(
                say(tracker, "say_handoff_send_failed"),
                [Choice(say(tracker, "say_handoff_button_send_again"), "/human_handoff")]))
            return []
        await note_referral(tracker)  # this conversation's searches led to a referral
        send(dispatcher, tracker, Reply(say(
            tracker, "say_handoff_done", first_name=new.first_name, code=code,
            spelled=" ".join(code),
            reach=reach(tracker, new.contact_method, new.email or new.phone))))
        return reset

    async def _referral(self, tracker: Tracker) -> store.NewReferral:
        program_id = tracker.get_slot(SELECTED_PROGRAM)
        county = tracker.get_slot(COUNTY)
        team = await catalogue().navigator_team(program_id, county) or store.STATEWIDE_TEAM
        summary = explored(tracker)
        program = await catalogue().program(program_id) if program_id else None
        topic = (program.title if program else None) or summary["interest"] or (
            ", ".join(summary["services"]) if summary["services"] else "General help")
        method = tracker.get_slot(CONTACT_METHOD)
        value = tracker.get_slot(CONTACT_VALUE)
        return store.NewReferral(
            sender_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "web",
            team=team, consent_text=CONSENT_TEXT,
            first_name=tracker.get_slot(FIRST_NAME), contact_method=method,
            phone=value if method != "email" else None,
            email=value if method == "email" else None,
            best_time=tracker.get_slot(BEST_TIME), language=tracker.get_slot(LANGUAGE),
            county=county, place=tracker.get_slot(PLACE), program_id=program_id,
            topic=str(topic)[:200], summary=summary, updates_ok=True,  # CONSENT_TEXT says so
        )


class ActionReferralStatus(Action):
    def name(self) -> str:
        return "action_referral_status"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        answer = follow_up_answer(tracker)
        if answer:
            await answer_follow_up(dispatcher, tracker, answer)
            return []
        rows = await asyncio.to_thread(store.learner_referrals, store_engine(),
                                       tracker.sender_id)
        if not rows:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_handoff_no_request"),
                [Choice(say(tracker, "say_handoff_button_talk"), "/human_handoff")]))
            return []
        lines = [say(tracker, "say_handoff_status_line", code=r["code"],
                     status=status_sentence(tracker, r["status"])) for r in rows[:3]]
        send(dispatcher, tracker, Reply("\n".join(lines)))
        return []


def status_sentence(tracker: Optional[Tracker], status: str) -> str:
    entry = STATUS_SENTENCES.get(status)
    if entry:
        return say(tracker, entry)
    return say(tracker, "say_handoff_status_other", status=store.STATUS_WORDS.get(status, status))


class ActionCancelReferral(Action):
    def name(self) -> str:
        return "action_cancel_referral"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        codes = await asyncio.to_thread(store.cancel_learner_referrals, store_engine(),
                                        tracker.sender_id)
        if codes:
            text = say(tracker, "say_handoff_cancelled", codes=", ".join(codes))
        else:
            text = say(tracker, "say_handoff_nothing_to_cancel")
        send(dispatcher, tracker, Reply(text))
        return []


class ActionDeleteMyData(Action):
    """Erases the learner's details from referrals; the tracker store (bot.tracker_store)
    then erases this conversation when it saves this turn."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(self, dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        await asyncio.to_thread(store.erase_learner, store_engine(), tracker.sender_id)
        send(dispatcher, tracker, Reply(say(tracker, "say_handoff_deleted")))
        return [SlotSet(slot, None) for slot in (*HANDOFF_SLOTS, PLACE, COUNTY)]
