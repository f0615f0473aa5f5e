"""How ordinary an English word is: the guard against matching everyday words as names."""

from __future__ import annotations

from typing import Optional, Tuple

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from bot.nlu.spacy_assets import COMMON_WORD_LOG_PROB, WORD_PROB_TABLE

# Words this frequent (log probability) are everyday words even when three letters long.
VERY_COMMON_LOG_PROB = -12.5
# About the thousand most frequent words ("help", "work", "care"): too plain to be keywords.
STOCK_LOG_PROB = -9.0
# A word counts as a proper noun when its capitalised form is this much more frequent.
PROPER_NOUN_MARGIN = 1.0


class WordFrequency:
    """Answers from the word-frequency table built into the spaCy pipeline."""

    def __init__(self, nlp: Language) -> None:
        self._table = (
            nlp.vocab.lookups.get_table(WORD_PROB_TABLE)
            if nlp.vocab.lookups.has_table(WORD_PROB_TABLE)
            else {}
        )

    def _probs(self, word: str) -> Optional[Tuple[float, float]]:
        found = self._table.get(word.lower())
        return (found[0], found[1]) if found else None

    def is_known(self, word: str) -> bool:
        """Common in some spelling: an everyday word, or a frequent name ("Jackson")."""
        return self._probs(word) is not None

    def is_everyday(self, word: str) -> bool:
        """Common written in lower case, and not mainly a name: "bend" yes, "portland" no."""
        probs = self._probs(word)
        if probs is None:
            return False
        lower, title = probs
        return lower >= COMMON_WORD_LOG_PROB and lower >= title - PROPER_NOUN_MARGIN

    def is_very_common(self, word: str) -> bool:
        probs = self._probs(word)
        return probs is not None and probs[0] >= VERY_COMMON_LOG_PROB

    def is_stock(self, word: str) -> bool:
        probs = self._probs(word)
        return probs is not None and probs[0] >= STOCK_LOG_PROB

    @staticmethod
    def is_stop_word(word: str) -> bool:
        return word.lower() in STOP_WORDS
