"""What learners answer to the navigator's own messages, and the reminders they ask for:
the follow-up's "1 yes, 2 no" (bot/follow_ups.py sends it; the status action hands the
answer here), and "remind me before it starts" on a program's details."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue_access import catalogue
from actions.formatting import Choice, Reply, send
from actions.programs import date_text
from actions.slots import REPLY_LANGUAGE, SELECTED_PROGRAM
from actions.store_access import store_engine
from actions.wording import catalogue_name, say
from bot.follow_ups import plan_class_reminder, reminder_day
from bot.records import store
from bot.wording import known
from knowledge.clock import today

NOT_REACHED_NOTE = "Follow-up: the learner says nobody has reached them yet."
REACHED_NOTE = "Follow-up: the learner says a navigator reached them."
FOLLOW_UP_ENTITY = "followup"


def follow_up_answer(tracker: Tracker) -> Optional[str]:
    """"reached" or "not_reached" when the message answers the follow-up, else None."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == FOLLOW_UP_ENTITY and entity.get("value") in (
                "reached", "not_reached"):
            return entity["value"]
    return None


async def answer_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker,
                           answer: str) -> None:
    """Nobody reached them: their open referrals are flagged for the team lead.
    Somebody did: the referral's history says so."""
    if answer == "not_reached":
        await asyncio.to_thread(store.flag, store_engine(), tracker.sender_id,
                                NOT_REACHED_NOTE)
        send(dispatcher, tracker, Reply(say(tracker, "say_followup_sorry")))
        return
    for referral in await asyncio.to_thread(store.learner_referrals, store_engine(),
                                            tracker.sender_id):
        if referral["status"] in store.OPEN_STATUSES:
            await asyncio.to_thread(store.add_note, store_engine(), referral["id"],
                                    "learner", REACHED_NOTE)
    send(dispatcher, tracker, Reply(say(tracker, "say_followup_thanks")))


class ActionRemindClassStart(Action):
    def name(self) -> str:
        return "action_remind_class_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[str, Any]]:
        program_id = tracker.get_slot(SELECTED_PROGRAM)
        program = await catalogue().program(program_id) if program_id else None
        if program is None:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_programs_which_program"),
                [Choice(say(tracker, "say_programs_find_program"), "/find_program")]))
            return []
        contact = program.provider_phone or program.url or program.provider_name
        if program.next_start is None or program.start_passed:
            send(dispatcher, tracker, Reply(say(tracker, "say_reminder_no_date",
                                                contact=contact)))
            return []
        starts = date_text(tracker, program.next_start)
        if reminder_day(program.next_start) <= today():
            send(dispatcher, tracker, Reply(say(tracker, "say_reminder_too_late",
                                                date=starts, contact=contact)))
            return []
        title = catalogue_name(tracker, program, "title")
        channel = "sms" if tracker.get_latest_input_channel() == "sms" else (
            tracker.get_latest_input_channel() or "socketio")
        await asyncio.to_thread(
            plan_class_reminder, store_engine(), sender_id=tracker.sender_id,
            channel=channel, language=known(tracker.get_slot(REPLY_LANGUAGE)),
            program_id=program.id, starts=program.next_start,
            facts={"program": title, "date": starts, "contact": contact})
        send(dispatcher, tracker, Reply(say(
            tracker, "say_reminder_set", program=title,
            date=date_text(tracker, reminder_day(program.next_start)))))
        return []
