"""Rasa NLU component: which language the learner writes in, for the `language` slot.

A choice said in so many words decides ("en español", "in English please", "ESPAÑOL" by
SMS); otherwise an offline detector made for short texts (lingua, English and Spanish
only) decides when it is sure; the widget's `data-lang`, sent with the first message of
a conversation, says where it starts. A single
ambiguous word ("ok", "no", "taco") decides nothing, so it never flips the conversation:
the slot keeps the language the learner last wrote in.

The decision is the entity `reply_language` ("en" or "es"), which fills the slot; replies
follow it through the domain's conditional response variations. In config.yml anywhere
after the tokenizer:

    - name: bot.nlu.language.LanguageDetector
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

ENTITY = "reply_language"
LANGUAGES = ("en", "es")
EXTRACTOR = "LanguageDetector"
_CHOICES = (
    ("es", re.compile(r"^\W*(espa[nñ]ol|spanish|castellano)\W*$|"
                      r"\b(en|in) (espa[nñ]ol|spanish|castellano)\b|"
                      r"\b(habl\w*|speak|talk|write|escrib\w*) (en )?(espa[nñ]ol|spanish)\b|"
                      r"\bspanish,? (please|pls|plz)\b|\bespa[nñ]ol,? (por favor|porfa)\b",
                      re.IGNORECASE)),
    ("en", re.compile(r"^\W*(english|ingl[eé]s)\W*$|\b(en|in) (english|ingl[eé]s)\b|"
                      r"\b(habl\w*|speak|talk|write|escrib\w*) (en )?(english|ingl[eé]s)\b|"
                      r"\benglish,? (please|pls|plz)\b", re.IGNORECASE)),
)
# Greetings that say Spanish on their own, though the detector is unsure of one word.
_SPANISH_WORDS = frozenset({"hola", "holaa", "holaaa", "ola", "buenas", "buenos", "saludos",
                            "gracias", "adios", "adiós", "oye", "porfa"})
_SPANISH_STOP = SPANISH_STOP_WORDS - ENGLISH_STOP_WORDS
_ENGLISH_STOP = ENGLISH_STOP_WORDS - SPANISH_STOP_WORDS
_WORD = re.compile(r"[^\W\d_]+")
SURE = 0.8
SURE_ALONE = 0.95  # one word must be very clearly one language ("gracias", "thanks")


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.SPANISH).with_preloaded_language_models().build()


def chosen_language(text: str) -> Optional[str]:
    """The language a message asks for in so many words, or None."""
    for language, pattern in _CHOICES:
        if pattern.search(text):
            return language
    return None


def without_places(text: str) -> str:
    """The message less the Oregon places it names: "grants pass" or "the dalles" says
    nothing about the language the learner writes in."""
    from knowledge.geography import find_places

    plain = text.lower()
    for place in find_places(plain):
        for word in place.name.lower().split():
            plain = re.sub(rf"\b{re.escape(word)}\b", " ", plain)
    return plain


def written_language(text: str) -> Optional[str]:
    """The language a message is written in when that is clear, else None."""
    words = _WORD.findall(without_places(text))
    if not words:
        return None
    if words[0] in _SPANISH_WORDS:
        return "es"
    letters = sum(len(w) for w in words)
    if len(words) == 1 and letters < 5:
        return None
    spanish = sum(w in _SPANISH_STOP for w in words)
    english = sum(w in _ENGLISH_STOP for w in words)
    # English job names in a Spanish sentence ("el chairside dental assisting
    # certificate quien lo da") pull the detector to English; the small words do not lie.
    if spanish >= 2 and not english:
        return "es"
    values = {c.language.name: c.value
              for c in _detector().compute_language_confidence_values(" ".join(words))}
    sure = SURE_ALONE if len(words) == 1 else SURE
    if values.get("SPANISH", 0.0) >= sure:
        return "es"
    if values.get("ENGLISH", 0.0) >= sure:
        return "en"
    # Unsure, as with Spanglish ("quiero ser truck driver") or names ("vivo en eugene"):
    # the small words decide, when they lean the same way as the detector.
    if spanish >= 1 and not english and values.get("SPANISH", 0.0) > 0.5:
        return "es"
    if english >= 1 and not spanish and values.get("ENGLISH", 0.0) > 0.5:
        return "en"
    return None


def language_of(text: Optional[str], metadata: Optional[Dict[str, Any]] = None
                ) -> Optional[str]:
    """The reply language a message calls for: said, then written, then the page's.

    The page's language (the widget's `data-lang`) comes with the conversation's first
    message only, so it sets where the conversation starts and never undoes a choice.
    """
    text = text or ""
    page = str((metadata or {}).get("language") or "").lower()[:2]
    page = page if page in LANGUAGES else None
    if text.startswith("/"):
        return page  # a button says nothing about the language it was pressed in
    return chosen_language(text) or written_language(text) or page


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
                          is_trainable=False)
class LanguageDetector(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LanguageDetector:
        _detector()  # loaded with the model, not on a learner's first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            language = language_of(message.get(TEXT), message.get("metadata"))
            if language is None:
                continue
            entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ENTITY]
            entities.append({"entity": ENTITY, "value": language, "extractor": EXTRACTOR,
                             "confidence": 1.0})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
