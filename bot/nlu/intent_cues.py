"""Rasa NLU component: plain cues in a message settle what the classifier left open.

The intent classifier learned from the training data's wording; learners use other
words ("line cook class corvalis", "who watches my kids while im at class"). When a
message names a catalogue record or a need in so many words, that decides:

- not understood (or taken for a program search) but it names a need, and nothing says
  training ("my kid needs watching while im in class") → `find_service`;
- not understood but it names a program, job, credential or field the catalogue knows
  ("auto mechanic la grande") → `find_program`;
- taken for an explanation, but it asks for classes somewhere ("ged classes near mt
  angel") → `find_program`.

In config.yml after the knowledge-base matcher and FallbackClassifier, before the
person-request and crisis detectors (which win over it).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import IntentOverride
from knowledge.search import categories_in

PROGRAM_ENTITIES = frozenset({"occupation", "program", "credential", "sector"})
# Words that say "I want to learn or work in it", as against "I need it to attend".
# "go to class" and "while im in class" are attending; "cook class" is training.
CAREER_CUE = re.compile(
    r"\b(learn\w*|becom\w*|be an? \w+|work (as|in|with) |job (as|in) |career|training|trainings|"
    r"course|courses|program|programs|apprentice\w*|certificate|certification|license|"
    r"degree|curso|cursos|clases de|aprender|estudiar para)\b|"
    r"\b(?!(?:to|in|at|my|for|from|after|before|during|the|a|of|while|im|i'm)\b)[a-z]+ "
    r"class(es)?\b",
    re.IGNORECASE)
NEEDS_OVER = frozenset({"nlu_fallback", "out_of_scope", "find_program", "not_sure"})
SEARCH_OVER = frozenset({"nlu_fallback"})


def decided_intent(intent: Optional[str], text: str, entities: List[Dict[str, Any]]
                   ) -> Optional[str]:
    """The intent the message's own words call for, or None to keep the classifier's."""
    if not text or text.startswith("/"):
        return None
    named = {e.get("entity") for e in entities}
    about_training = bool(named & PROGRAM_ENTITIES) or bool(CAREER_CUE.search(text))
    if intent in NEEDS_OVER and not about_training and categories_in(text):
        return "find_service"
    if intent in SEARCH_OVER and named & PROGRAM_ENTITIES:
        return "find_program"
    if intent == "faq" and "place" in named and about_training:
        return "find_program"
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=False)
class IntentCues(IntentOverride):
    def decide(self, message: Message, current: Optional[str]) -> Optional[str]:
        return decided_intent(current, message.get(TEXT) or "", message.get(ENTITIES) or [])
