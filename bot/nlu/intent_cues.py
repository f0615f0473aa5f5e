"""Rasa NLU component: plain cues in a message settle what the classifier left open.

The intent classifier learned from the training data's wording; learners use other
words ("line cook class corvalis", "who watches my kids while im at class"). When a
message names a catalogue record or a need in so many words, that decides:

- not understood (or taken for a program search) but it names a need, and nothing says
  training ("my kid needs watching while im in class") → `find_service`;
- a program search or a need, and it names both a job and a need ("line cook class in
  corvallis, but who watches my kids") → whichever it names first (the other is offered);
- not understood but it names a program, job, credential or field the catalogue knows
  ("auto mechanic la grande") → `find_program`;
- taken for an explanation, but it asks for classes somewhere ("ged classes near mt
  angel") → `find_program`;
- taken for a search, but it is only a word that names a help and a line of work alike,
  maybe with a place ("day care in albany") → `need_or_career`, which asks;
- taken for "a need or a career?" but it names a job and no help ("security guard
  madras"), or anything but a search while it holds only a job and a place ("cdl
  lagrande") → `find_program`;
- taken for "a need or a career?" but it names two needs ("childcare + rides to class"),
  or a need in words that name no line of work ("a food pantry") → `find_service`;
- taken for a search for help, but it names a job or training and no need ("free
  customer service class prineville, i need work asap") → `find_program`;
- not understood (or taken for an answer, a search or a fresh start), and about the
  weather with no job or need named → `out_of_scope`; asking after what was sent
  ("alguien reviso lo que mande?") → `check_referral`;
- not understood, the classifier leaning off topic, and it asks for a decision ("which
  stocks should i buy") or names nothing the catalogue knows → `out_of_scope`;
- not understood, but it opens with a yes or a no ("yes call me at 503…", "nah changed
  my mind") → `affirm` or `deny`.

Out of scope stays out of scope when the message asks the navigator itself to do a
task or make a call ("can u check my ebt balance", "should i fight the ticket in
court"), even if it names a need: the reply says so and offers that kind of help.

In config.yml after the knowledge-base matcher and FallbackClassifier, before the
person-request and crisis detectors (which win over it).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import IntentOverride
from knowledge.search import jobs_and_needs

PROGRAM_ENTITIES = frozenset({"occupation", "program", "credential", "sector"})
# Words that say "I want to learn or work in it", as against "I need it to attend".
# "go to class" and "my shop class" are attending; "cook class" is training.
CAREER_CUE = re.compile(
    r"\b(learn\w*|becom\w*|be an? \w+|work (as|in|with|w/?|at) |job (as|in|at) |career|training|"
    r"trainings|(as|for) (a |my )?(job|living|career)|"
    r"course|courses|program|programs|apprentice\w*|certificate|certification|license|"
    r"degree|curso|cursos|clases de|aprender|estudiar para|escuela de|academia de|"
    r"(pa|para) ser)\b|"
    r"(?<!\bmy )(?<!\bour )(?<!\bthe )(?<!\bhis )(?<!\bher )"
    r"\b(?!(?:to|in|at|my|for|from|after|before|during|the|a|of|while|im|i'm)\b)[a-z]+ "
    r"class(es)?\b",
    re.IGNORECASE)
# The learner asks the navigator to do something or decide something for them.
TASK_CUE = re.compile(
    r"\b((can|could|would|will) (u|you|ya) (please |pls |plz )?(check|fill|order|write|fix|"
    r"translate|pick|look up|do my|file|book|pay|tell me if)|should i|"
    r"how (do|can|should) i (fix|fight|file for|invest)|w/?o (paying|a) (a )?lawyer|"
    r"c[oó]mo (le )?(arreglo|cambio|compongo|reparo|invierto)|"
    r"(me )?(puedes|puede|podr[ií]as?) (revisar|llenar|pagar|arreglar|traducir|escribir))\b",
    re.IGNORECASE)
# Words that name a help and a line of work alike: only these leave "a need or a career?"
# open. "food pantry", "despensa", "bus pass" name a help and nothing else.
BOTH_WAYS = re.compile(r"\b(food|comida|meals?|child ?care|cuidado de ni[nñ]os|day ?care|"
                       r"transportation|transporte|"
                       r"guarder[ií]a|driving|manejar|computers?|computadoras?|health|"
                       r"salud)\b", re.IGNORECASE)
# Weather and roads, which no catalogue answers ("va a llover manana en salem").
WEATHER = re.compile(r"\b(weather|forecast|rain\w*|snow\w*|storm|llover|lluvia|llueve|"
                     r"nieve|nevar|clima|tormenta|pron[oó]stico)\b", re.IGNORECASE)
# Asking after what was sent ("alguien reviso lo que mande?", "any news on my request").
STATUS = re.compile(r"\b(alguien|ya) (vio|vieron|reviso|revisaron|leyo|leyeron)\b|"
                    r"\blo que (mande|pedi|envie)\b|\bmi solicitud\b|\bmy request\b|"
                    r"\bany (news|updates?|word)\b", re.IGNORECASE)
# "ok", "va" and "sale" also open a new topic ("ok totally unrelated but..."): they
# answer only when they stand alone as a clause ("ok, call me", "ok").
YES_FIRST = re.compile(r"^\W*((yes|yeah|yea|yep|yup|sure|si|sí|claro|simon|[aá]ndale|[oó]rale|"
                       r"dale)\b(?!\s*(or|o)\b)|(ok|okay|sale|va)\s*([,.!]|$))",
                       re.IGNORECASE)
NO_FIRST = re.compile(r"^\W*(no|nah|nope|nel|never mind|nevermind)\b(?!\s*(or|o)\b)",
                      re.IGNORECASE)
NEEDS_OVER = frozenset({"nlu_fallback", "out_of_scope", "find_program", "not_sure"})
# Both a program and a need named: the first one named is answered, the other offered.
ORDERED = frozenset({"nlu_fallback", "find_program", "find_service"})
SEARCH_OVER = frozenset({"nlu_fallback"})
# What the classifier says when a message is unlike its training data: a weather
# question or a status check read there is read by its own words instead.
GUESSES = frozenset({"nlu_fallback", "inform", "start_over", "not_sure", "find_program",
                     "find_service", "need_or_career"})

# Words that say neither "I need it" nor "I want to work in it".
CONNECTORS = frozenset({"in", "n", "near", "around", "by", "at", "or", "oregon", "county",
                        "area", "en", "cerca", "de", "por", "pls", "please", "porfa",
                        "any", "algo"})
# Around a job and a place, the words for training add nothing either: "cdl classes in
# la grande pls".
FILLER = CONNECTORS | {"class", "classes", "program", "programs", "training", "clases",
                       "curso", "cursos"}


def words_outside(text: str, spans: List[Tuple[int, int]]) -> List[str]:
    """The words of a message outside the given character spans."""
    rest = list(text.lower())
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    return re.findall(r"[^\W\d_]+", "".join(rest))


def only_words_of_both_ways(text: str, entities: List[Dict[str, Any]]) -> bool:
    """The message is a word that names a help and a line of work ("child care",
    "transportation"), maybe with a place, and nothing that says which."""
    both = BOTH_WAYS.search(text)
    places = [(e["start"], e["end"]) for e in entities
              if e.get("entity") == "place" and "start" in e]
    return both is not None and all(
        word in CONNECTORS for word in words_outside(text, [both.span(), *places]))


def only_a_job_and_a_place(text: str, entities: List[Dict[str, Any]]) -> bool:
    """The message is a job, program or credential and a place, and nothing else."""
    spans = [e for e in entities if "start" in e
             and e.get("entity") in PROGRAM_ENTITIES | {"place"}]
    kinds = {e["entity"] for e in spans}
    return "place" in kinds and bool(kinds & PROGRAM_ENTITIES) and all(
        word in FILLER for word in words_outside(text, [(e["start"], e["end"]) for e in spans]))


def decided_intent(intent: Optional[str], text: str, entities: List[Dict[str, Any]],
                   best_guess: Optional[str] = None) -> Optional[str]:
    """The intent the message's own words call for, or None to keep the classifier's.

    `best_guess` is the classifier's first intent when it was too unsure to keep it.
    """
    if not text or text.startswith("/"):
        return None
    named = {e.get("entity") for e in entities}
    jobs, needs = jobs_and_needs(text, [(e["start"], e["end"]) for e in entities
                                        if e.get("entity") in PROGRAM_ENTITIES and "start" in e])
    about_training = bool(jobs) or bool(CAREER_CUE.search(text))
    both_ways = only_words_of_both_ways(text, entities)
    if intent in ("find_service", "find_program") and both_ways:
        return "need_or_career"  # "day care in albany": nothing says which, so ask
    if intent == "nlu_fallback" and best_guess == "out_of_scope" and (
            TASK_CUE.search(text) or not (jobs or needs or named & PROGRAM_ENTITIES)):
        # Leaning off topic, and it asks for a decision or names nothing we know:
        # "which stocks should i buy", "pick me some lotto numbers".
        return "out_of_scope"
    if intent in NEEDS_OVER and not about_training and needs:
        if intent == "out_of_scope" and TASK_CUE.search(text):
            return None
        return "find_service"
    if intent == "need_or_career" and (len(needs) > 1 or any(
            not BOTH_WAYS.fullmatch(text[start:end]) for start, end, _ in needs)):
        return "find_service"
    if intent == "need_or_career" and jobs and not needs and not both_ways:
        return "find_program"  # "security guard madras": a job, and no help named
    if intent != "find_program" and not both_ways and only_a_job_and_a_place(text, entities):
        return "find_program"  # "cdl lagrande", "teacher aide grants pas"
    if intent in ORDERED and jobs and needs:
        return "find_program" if min(jobs)[0] < needs[0][0] else "find_service"
    if intent == "find_service" and about_training and not needs:
        return "find_program"
    if intent in SEARCH_OVER and named & PROGRAM_ENTITIES:
        return "find_program"
    if intent == "faq" and "place" in named and about_training:
        return "find_program"
    if intent in GUESSES and not jobs and not needs and WEATHER.search(text):
        return "out_of_scope"
    if intent in GUESSES and STATUS.search(text):
        return "check_referral"
    if intent in SEARCH_OVER:
        # Unsure of the whole, but it opens with a yes or a no ("yes call me at 503…",
        # "nah changed my mind, dont share my stuff"): that is the answer.
        if YES_FIRST.match(text):
            return "affirm"
        if NO_FIRST.match(text):
            return "deny"
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=False)
class IntentCues(IntentOverride):
    def decide(self, message: Message, current: Optional[str]) -> Optional[str]:
        ranking = [r.get("name") for r in message.get(INTENT_RANKING_KEY) or []
                   if r.get("name") != "nlu_fallback"]
        return decided_intent(current, message.get(TEXT) or "", message.get(ENTITIES) or [],
                              ranking[0] if ranking else None)
