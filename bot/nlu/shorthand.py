"""Rasa NLU component: text-speak, drawn-out words and missing accents read as plain words.

Learners on a phone write "thx u", "w my kids", "2morrow", "thaaanks", "q onda", "pa mi
hijo", "guarderia". The featurizers then see words the training data rarely shows, and
the classifier guesses. This component writes each token's plain form into its lemma
("thanks you", "with", "tomorrow", "thanks", "que", "para", "guarderia"): Rasa's
CountVectorsFeaturizer reads the lemma (its `use_lemma`, on by default) and so does the
sentence featurizer. The token's text is left as written, so the entity extractors and
their character offsets see exactly what the learner typed.

What changes, and only that:
- the common English and Spanish shorthand below, word by word (a number or a
  one-letter word outside the list is never touched: "1" stays an option number);
- a letter written three or more times in a row ("sooo", "holaaa"), down to two when
  the sentence model knows that spelling ("goood"), else to one ("thaaanks");
- accents on vowels, which learners often leave out: both spellings read the same;
- acronyms written with dots ("e.s.l.", "g.e.d"): the letters alone.

In config.yml right after the tokenizer:

    - name: bot.nlu.shorthand.ShorthandNormalizer
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any, Dict, FrozenSet, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_assets import require

# Shorthand with one reading in a learner's message, in either language. Contractions
# without the apostrophe ("dont", "whats") and slang words ("nah", "yep") are left alone:
# the training data is full of them, and spelling them out made the held-out scores worse.
SHORTHAND: Dict[str, str] = {
    # English
    "u": "you", "ur": "your", "r": "are", "pls": "please",
    "plz": "please", "pleas": "please", "thx": "thanks", "thnx": "thanks", "tnx": "thanks",
    "thanx": "thanks", "ty": "thank you", "tysm": "thank you so much", "idk": "i do not know",
    "dunno": "do not know", "wanna": "want to", "gonna": "going to", "gotta": "got to",
    "gimme": "give me", "lemme": "let me", "b4": "before", "2day": "today",
    "2morrow": "tomorrow", "2moro": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tomoro": "tomorrow", "2nite": "tonight", "tonite": "tonight", "nite": "night",
    "w": "with", "w/": "with", "w/o": "without", "ppl": "people", "cuz": "because",
    "bc": "because", "b/c": "because", "rn": "right now", "abt": "about", "bout": "about",
    "msg": "message", "txt": "text", "yr": "year", "yrs": "years", "hr": "hour",
    "hrs": "hours", "wk": "week", "wks": "weeks", "thru": "through", "tho": "though",
    "kk": "ok", "sry": "sorry", "govt": "government", "thnk": "thank", "thnks": "thanks",
    "thks": "thanks", "gm": "good morning", "gn": "good night", "ttyl": "talk to you later",
    "cya": "see you", "nvm": "never mind", "np": "no problem", "lmk": "let me know",
    "fyi": "for your information", "btw": "by the way", "tbh": "to be honest",
    "hbu": "how about you", "wyd": "what are you doing",
    "info": "information", "appt": "appointment", "asap": "as soon as possible",
    # Spanish
    "q": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "xk": "porque", "pa": "para", "pal": "para el", "porfa": "por favor",
    "porfis": "por favor", "xfa": "por favor", "xfavor": "por favor", "tmb": "tambien",
    "tmbn": "tambien", "tambn": "tambien", "d": "de", "bn": "bien",
    "msj": "mensaje", "dnd": "donde", "cdo": "cuando", "ntp":
    "no te preocupes", "grax": "gracias", "grasias": "gracias", "graxias": "gracias",
    "salu2": "saludos", "aki": "aqui", "ola": "hola", "pos": "pues", "pus": "pues",
    "nomas": "nada mas", "ps": "pues",
}
_RUN = re.compile(r"([^\W\d_])\1{2,}")
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}[^\W\d_]?\.?")  # "e.s.l.", "g.e.d", "c.n.a."


@cache
def _known_words() -> FrozenSet[str]:
    """Whole words of the sentence model's vocabulary: the spellings it reads well."""
    vocab = (require() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(word for word in vocab if word.isalpha())


def _strip_accents(word: str) -> str:
    # ñ is a letter of its own in Spanish ("año" is not "ano"): only vowels lose accents.
    return "".join(
        char for char in unicodedata.normalize("NFD", word)
        if unicodedata.category(char) != "Mn" or char == "\u0303"
    ).replace("n\u0303", "ñ")


def _shorten_runs(word: str, known: FrozenSet[str]) -> str:
    if not _RUN.search(word):
        return word
    double = _RUN.sub(r"\1\1", word)
    single = _RUN.sub(r"\1", word)
    return double if double in known else single


def plain(word: str, known: FrozenSet[str] = frozenset()) -> str:
    """The plain form of one written word (lower case)."""
    lowered = _strip_accents(word.lower())
    if _DOTTED.fullmatch(lowered):
        return lowered.replace(".", "")
    return SHORTHAND.get(lowered) or _shorten_runs(lowered, known)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class ShorthandNormalizer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ShorthandNormalizer:
        return cls()

    def __init__(self, known: Optional[FrozenSet[str]] = None) -> None:
        self._known = known if known is not None else _known_words()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                token.lemma = plain(token.text, self._known)
        return messages
