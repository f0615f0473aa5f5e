"""The cues that settle a message's intent: job or need, and which comes first."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from bot.nlu.intent_cues import decided_intent


def entity(text: str, words: str, kind: str = "occupation") -> Dict[str, Any]:
    start = text.index(words)
    return {"entity": kind, "start": start, "end": start + len(words), "value": words}


def decide(intent: str, text: str, *named: tuple) -> Any:
    entities: List[Dict[str, Any]] = [entity(text, words, *rest) for words, *rest in named]
    return decided_intent(intent, text, entities)


@pytest.mark.parametrize("intent, text, named, wanted", [
    # Both a job and a need: the first one named is answered.
    ("find_service", "line cook class in corvallis, but who watches my kids while im there",
     [("line cook",)], "find_program"),
    ("find_program", "i need child care while i do my welding class", [("welding",)],
     "find_service"),
    # A job found inside the words of a need is the need ...
    ("find_program", "what about daycare money", [("daycare", "sector")], "find_service"),
    ("find_program", "dental class, i have 2 kids who need care at night",
     [("dental",), ("care",)], "find_program"),
    # ... and a need inside a job's name is the job.
    ("find_service", "bus driver training and a bus pass", [("bus driver",)], "find_program"),
    # "my shop class" is a class the learner attends, not training wanted.
    ("find_program", "i need steel toe boots for my shop class", [], "find_service"),
    # Taken for a search for help, but only a job is named.
    ("find_service", "free customer service class prineville, i need work asap",
     [("customer service",)], "find_program"),
    # Two needs named: help to attend, not a career in child care.
    ("need_or_career", "childcare + rides to class in bend", [], "find_service"),
    # A need in words that name no line of work; "food" alone is both.
    ("need_or_career", "is there a food pantry in gresham", [], "find_service"),
    ("need_or_career", "food", [], None),
    # A word that is both, with nothing that says which: ask.
    ("find_service", "day care in hood river", [("hood river", "place")], "need_or_career"),
    ("find_program", "transportation pls", [], "need_or_career"),
    ("find_service", "i need day care in hood river", [("hood river", "place")], None),
    # Out of scope, but it names a need it wants help with ...
    ("out_of_scope", "my kid needs watching while im in class", [], "find_service"),
    # ... unless it asks the navigator to do the task or make the call itself.
    ("out_of_scope", "could you fill out my snap application for me", [], None),
    ("out_of_scope", "my landlord took me to court, should i pay him", [], None),
    ("out_of_scope", "se me descompuso el carro, como le cambio el aceite", [], None),
    # Training asked for in Spanish words: a program, not a help.
    ("find_service", "quiero ir a una escuela de estilistas en bend", [], "find_program"),
    ("find_service", "i want to work w little kids in a classroom", [], "find_program"),
    # A job and no help named is a job, whatever else it could be.
    ("need_or_career", "security guard madras", [("security guard",)], "find_program"),
    ("need_or_career", "computers in bend", [("computers",), ("bend", "place")], None),
    # A job and a place and nothing else is a search.
    ("ask_cost", "cdl lagrande", [("cdl",), ("lagrande", "place")], "find_program"),
    ("ask_cost", "cdl cost in la grande", [("cdl",), ("la grande", "place")], None),
    # The weather is nobody's catalogue.
    ("nlu_fallback", "va a nevar el viernes en la pine?", [], "out_of_scope"),
    # Asking after what was sent.
    ("nlu_fallback", "oiga ya vieron lo que pedi?", [], "check_referral"),
    ("start_over", "oiga ya vieron lo que pedi la otra vez?", [], "check_referral"),
    ("inform", "sabe si va a nevar el lunes en bend", [], "out_of_scope"),
    # ... but a cancelled class is a program question, and cancelling is cancelling.
    ("ask_schedule", "is class cancelled for the snow", [], None),
    ("cancel_referral", "cancel my request", [], None),
    # Not understood, but it opens with a yes or a no.
    ("nlu_fallback", "yeah sure, my cell is 541-555-0100", [], "affirm"),
    ("nlu_fallback", "nope, forget it, keep my info private", [], "deny"),
    ("nlu_fallback", "ok, my cell is 541-555-0100", [], "affirm"),
    # "ok" opening a new topic is not a yes.
    ("nlu_fallback", "ok random question whats a good name for a cat", [], None),
    ("nlu_fallback", "no car and no bus where i live", [], "find_service"),
    # Nothing to decide: the classifier's intent stays.
    ("find_program", "welding classes in salem", [("welding",)], None),
    ("greet", "hi there", [], None),
])
def test_the_words_decide(intent, text, named, wanted):
    assert decide(intent, text, *named) == wanted


@pytest.mark.parametrize("text, named, wanted", [
    ("which stocks should i put my savings in", [], "out_of_scope"),
    ("got a parking ticket in salem, should i fight it", [("salem", "place")], "out_of_scope"),
    ("pick me some lotto numbers im feeling lucky", [], "out_of_scope"),
    # Leaning off topic but naming a job: a search, as without the lean.
    ("idk maybe welding or something", [("welding",)], "find_program"),
])
def test_unsure_and_leaning_off_topic(text, named, wanted):
    entities = [entity(text, words, *rest) for words, *rest in named]
    assert decided_intent("nlu_fallback", text, entities, "out_of_scope") == wanted
    if wanted == "out_of_scope":
        assert decided_intent("nlu_fallback", text, entities, "find_program") != wanted


def test_a_button_payload_is_never_second_guessed():
    assert decided_intent("find_program", '/find_service{"service_category": "food"}', []) is None
