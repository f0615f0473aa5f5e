"""Journeys 3 and 4: career ladders with Oregon wages, and what a credential is."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue_access import catalogue, find_place
from actions.formatting import Choice, Reply, send
from actions.places import place_label
from actions.programs import (
    KB_EXTRACTOR,
    SOC_RE,
    ActionAnswerProgramQuestion,
    ActionShowProgram,
    program_list,
    showing,
)
from actions.slots import INTEREST, PLACE, PROGRAM_RESULTS, SELECTED_PROGRAM
from actions.wages import pay, wage_sentence
from actions.wording import catalogue_name, catalogue_text, say
from knowledge.search.text import content_words, stem


def find(tracker: Optional[Tracker]) -> Choice:
    return Choice(say(tracker, "say_services_find_program"), "/find_program")


def what_path(tracker: Optional[Tracker]) -> Choice:
    return Choice(say(tracker, "say_pathways_what_path"), "/ask_pathway")


def latest(tracker: Tracker, entity: str) -> Optional[str]:
    return next(iter(tracker.get_latest_entity_values(entity)), None)


def shown_program(tracker: Tracker) -> Optional[str]:
    """The program the learner chose, or the first of the list on screen."""
    return tracker.get_slot(SELECTED_PROGRAM) or next(
        iter(tracker.get_slot(PROGRAM_RESULTS) or []), None)


async def pathway_queries(tracker: Tracker) -> List[Dict[str, Any]]:
    """Where the ladder asked about may come from, most specific first: a job or
    credential named now, the program on screen, the job talked about, the words.
    A job word that fits the program on screen too ("what do mechanics make" about an
    auto mechanic program) means that program's job."""
    queries: List[Dict[str, Any]] = []
    named = {"occupation": latest(tracker, "occupation"),
             "credential_id": latest(tracker, "credential")}
    shown = shown_program(tracker)
    if shown and await fits_program(tracker, shown):
        queries.append({"program_id": shown})
    if any(named.values()):
        queries.append(named)
    if shown:
        queries.append({"program_id": shown})
    interest = tracker.get_slot(INTEREST)
    if interest and SOC_RE.match(interest):
        queries.append({"occupation": interest})
    elif interest:
        queries.append({"text": interest})
    if not any(named.values()) and not shown:
        # With a job known, a ladder that merely shares a word ("mechanic") is another job's.
        queries.append({"text": tracker.latest_message.get("text")})
    return queries


async def fits_program(tracker: Tracker, program_id: str) -> bool:
    """Every word of the job named now is a word of one of the program's jobs."""
    message = tracker.latest_message
    text = str(message.get("text") or "")
    spans = [text[e["start"]:e["end"]] for e in message.get("entities") or []
             if e.get("entity") == "occupation" and "start" in e]
    if not spans:
        return False
    program = await catalogue().program(program_id)
    jobs = [{stem(w) for w in content_words(title)} for title in
            (program.occupations if program else [])]
    return any(all({stem(w) for w in content_words(span)} <= job for span in spans)
               for job in jobs)


class ActionShowPathway(Action):
    """Shows the steps of a career ladder, with the credential and Oregon pay for each."""

    def name(self) -> str:
        return "action_show_pathway"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        ladders = []
        for query in await pathway_queries(tracker):
            ladders = await catalogue().pathway(**query)
            if ladders:
                break
        if not ladders and (latest(tracker, "occupation") or shown_program(tracker)):
            # A job with no ladder yet: what it pays is still an answer.
            dispatcher.utter_message(response="utter_no_path_for_job")
            return await ActionShowWages().run(dispatcher, tracker, domain)
        if not ladders:
            send(dispatcher, tracker, Reply(say(tracker, "say_pathways_none"), [find(tracker)]))
            return []
        ladder = ladders[0]
        lines = [say(tracker, "say_pathways_head", title=catalogue_name(tracker, ladder, "title"))]
        for step in ladder.steps:
            pays = pay(tracker, step.median_annual_wage, step.median_hourly_wage)
            job = catalogue_name(tracker, step, "occupation")
            if step.credential:
                lines.append(say(tracker, "say_pathways_step_with_credential", step=step.step,
                                 job=job, pay=pays,
                                 credential=catalogue_name(tracker, step, "credential")))
            else:
                lines.append(say(tracker, "say_pathways_step", step=step.step, job=job, pay=pays))
        lines.append(say(tracker, "say_pathways_median"))
        send(dispatcher, tracker, Reply("\n".join(lines), [find(tracker)]))
        return []


class ActionShowWages(Action):
    """Tells what a job pays in Oregon (median wage)."""

    def name(self) -> str:
        return "action_show_wages"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        text = latest(tracker, "occupation")
        shown = shown_program(tracker)
        if shown and (not text or await fits_program(tracker, shown)):
            # "what would i make after?", "what do mechanics make" (an auto mechanic
            # program on screen) ask about the job of the program on screen.
            program = await catalogue().program(shown)
            text = program.occupations[0] if program and program.occupations else None
        jobs = await catalogue().wages(text or tracker.latest_message.get("text") or "")
        if not jobs:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_pathways_pay_unknown"), [find(tracker)]
            ))
            return []
        job = jobs[0]
        place = await find_place(latest(tracker, PLACE)) if asks_for_classes(tracker) else None
        programs = (await catalogue().programs(occupation=job.soc, place=place, limit=3)
                    if place else [])
        if programs:
            # "cooking class lincoln city + how much do cooks make": both, in one answer.
            lines, choices = program_list(tracker, programs)
            near = say(tracker, "say_pathways_classes_near", place=place_label(tracker, place))
            send(dispatcher, tracker, Reply(
                "\n".join([wage_sentence(tracker, job), near, *lines]),
                [*choices, what_path(tracker)]))
            return [SlotSet(INTEREST, job.soc), *showing(programs)]
        send(dispatcher, tracker, Reply(
            wage_sentence(tracker, job),
            [what_path(tracker),
             Choice(say(tracker, "say_pathways_classes_to_be", job=job.title), "/find_program")
             if asks_for_classes(tracker) else find(tracker)],
        ))
        # The job stays the subject: "and what's the next step after that?"
        return [SlotSet(INTEREST, job.soc)]


CLASSES = re.compile(r"\b(class|classes|training|course|program|school|clases|curso)\b", re.I)


def asks_for_classes(tracker: Tracker) -> bool:
    """"how much do cooks make + cooking class in lincoln city": the classes are offered."""
    text = str(tracker.latest_message.get("text") or "")
    return not text.startswith("/") and bool(CLASSES.search(text))


class ActionShowCredential(Action):
    """Explains a credential: what it is, who gives it, what it leads to."""

    def name(self) -> str:
        return "action_show_credential"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        named = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        if "program" in named and "credential" not in named:
            # "tell me about the wind turbine technician bootcamp" names a program by its
            # title; a credential guessed from its words ("technician") would mislead.
            return await ActionShowProgram().run(dispatcher, tracker, domain)
        # A credential the catalogue matcher is sure of; otherwise the whole question,
        # which the catalogue's own name search reads better than a guessed span.
        named = [e for e in tracker.latest_message.get("entities") or []
                 if e.get("entity") == "credential"]
        sure = [e["value"] for e in named if e.get("extractor") == KB_EXTRACTOR
                and e.get("confidence", 1) >= 0.95]
        if not sure and tracker.get_slot(SELECTED_PROGRAM):
            # "what certificate do i get at the end" asks about the program on screen.
            return await ActionAnswerProgramQuestion().run(dispatcher, tracker, domain)
        keys = [*sure, tracker.latest_message.get("text"), *(e["value"] for e in named)]
        credential = None
        for key in (k for k in keys if k):
            credential = await catalogue().credential(str(key))
            if credential is not None:
                break
        if credential is None:
            send(dispatcher, tracker, Reply(
                say(tracker, "say_pathways_credential_unknown"), [find(tracker)]
            ))
            return []
        lines = [say(tracker, "say_pathways_credential",
                     credential=catalogue_name(tracker, credential, "name"),
                     description=catalogue_text(tracker, credential, "description"))]
        if credential.issuer:
            lines.append(say(tracker, "say_pathways_credential_issuer", issuer=credential.issuer))
        if credential.stacks_to:
            lines.append(say(tracker, "say_pathways_credential_leads_to",
                             credentials=", ".join(c.name for c in credential.stacks_to)))
        if credential.programs:
            # Several colleges teach a program of the same title: name each title once.
            titles = list(dict.fromkeys(p.title for p in credential.programs))[:3]
            lines.append(say(tracker, "say_pathways_credential_programs",
                             titles=", ".join(titles)))
        send(dispatcher, tracker, Reply(" ".join(lines), [find(tracker)]))
        return []
