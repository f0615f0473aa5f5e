"""The typo pass: words nobody writes on purpose ("flebotomy", "Sallem") close to a term.

Only a token that is not an everyday English word can start a fuzzy match, so "train"
never becomes the town of Trail and "dates" never becomes Gates. Allowed edits grow
with length and start at five letters: short words are too easy to confuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.tokens import Doc, Token

from bot.nlu.words import WordFrequency

MIN_LENGTH = 5
MAX_WORDS = 4


def max_edits(length: int) -> int:
    if length < MIN_LENGTH:
        return 0
    if length <= 7:
        return 1
    if length <= 12:
        return 2
    return 3


@dataclass(frozen=True)
class FuzzyHit:
    start: int  # token indexes
    end: int
    term: str
    confidence: float


class FuzzyIndex:
    def __init__(self, terms: Iterable[str], words: WordFrequency) -> None:
        self._words = words
        self._by_size: Dict[int, List[str]] = {}
        for term in terms:
            size = len(term.split())
            if size <= MAX_WORDS and len(term) >= MIN_LENGTH and any(c.isalpha() for c in term):
                self._by_size.setdefault(size, []).append(term)

    def _looks_mistyped(self, token: Token) -> bool:
        text = token.lower_
        return (
            len(text) >= MIN_LENGTH
            and not self._words.is_stop_word(text)
            and not self._words.is_known(text)
        )

    def find(self, doc: Doc) -> List[FuzzyHit]:
        """Hits over windows holding a mistyped word; they may overlap exact matches.

        Overlap is what lets "portland comunity college" be the college: the caller keeps
        the longest of overlapping matches.
        """
        hits: List[FuzzyHit] = []
        for size, choices in self._by_size.items():
            for start in range(len(doc) - size + 1):
                window: Sequence[Token] = doc[start : start + size]
                if not self._worth_trying(window):
                    continue
                query = " ".join(token.lower_ for token in window)
                limit = max_edits(len(query))
                found = process.extractOne(query, choices, scorer=OSA.distance, score_cutoff=limit)
                if found is None:
                    continue
                term, distance = found[0], found[1]
                confidence = round(max(0.5, 1 - distance / max(len(term), 1)), 3)
                hits.append(FuzzyHit(start, start + size, term, confidence))
        return hits

    def _worth_trying(self, window: Sequence[Token]) -> bool:
        if not all(token.is_alpha for token in window):
            return False
        if self._words.is_stop_word(window[0].text) or self._words.is_stop_word(window[-1].text):
            return False
        return any(self._looks_mistyped(token) for token in window)
