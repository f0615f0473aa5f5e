"""The typo pass: words nobody writes on purpose ("flebotomy", "Sallem") close to a term.

Only a token that is not an everyday English word can start a fuzzy match, so "train"
never becomes the town of Trail and "dates" never becomes Gates. Allowed edits grow
with length and start at five letters: short words are too easy to confuse.

Two more slips are common in names of several words and in names written as they
sound, and each gets a narrow pass of its own:
- a letter dropped or doubled in an everyday word of a longer name ("grants pas"): a
  window of everyday words may be one edit from a term of eight letters or more, where
  the edit is inside a word, not a letter or number of its own ("class b", "class a");
- a place spelled by ear ("wudburn", "medfrd"): an unknown word whose first letter and
  consonants, in order, are those of exactly one place name's ("woodburn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Set

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.tokens import Doc, Token

from bot.nlu.words import WordFrequency

MIN_LENGTH = 5
MAX_WORDS = 4
PLAIN_WORDS_MIN_LENGTH = 8  # a window of everyday words: one edit, this long or longer
SOUND_MIN_LENGTH = 6
SOUND_MIN_KEY = 5  # first letter and four consonants: shorter keys collide
_SOUND_RULES = (("ph", "f"), ("ck", "k"), ("q", "k"), ("z", "s"))


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


def sound_key(word: str) -> str:
    """First letter, then the consonants in order, doubles once: "woodburn" -> "wdbrn"."""
    word = word.lower()
    for written, said in _SOUND_RULES:
        word = word.replace(written, said)
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k")
    rest = re.sub(r"[aeiouyhw\W\d_]", "", word[1:])
    return word[:1] + re.sub(r"(.)\1+", r"\1", rest)


def _slip_in_a_long_word(written: str, term: str) -> bool:
    """The words that differ are real words, not a letter or number ("class b" is not
    "class a")."""
    words, term_words = written.split(), term.split()
    return len(words) == len(term_words) and all(
        a == b or min(len(a), len(b)) >= 3 for a, b in zip(words, term_words, strict=True))


class FuzzyIndex:
    def __init__(self, terms: Iterable[str], words: WordFrequency,
                 said_by_ear: Iterable[str] = ()) -> None:
        """`said_by_ear`: the terms learners write as they sound (place names); a job
        spelled by ear is too easily another job ("beekeeping", "bookkeeping")."""
        self._words = words
        self._by_size: Dict[int, List[str]] = {}
        for term in terms:
            size = len(term.split())
            if size <= MAX_WORDS and len(term) >= MIN_LENGTH and any(c.isalpha() for c in term):
                self._by_size.setdefault(size, []).append(term)
        sounds: Dict[str, Set[str]] = {}
        for term in said_by_ear:
            if term.isalpha() and len(term) >= SOUND_MIN_LENGTH:
                sounds.setdefault(sound_key(term), set()).add(term)
        # A sound shared by two terms names neither.
        self._by_sound = {
            key: next(iter(found)) for key, found in sounds.items()
            if len(found) == 1 and len(key) >= SOUND_MIN_KEY
        }

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
                if any(self._looks_mistyped(token) for token in window):
                    limit = max_edits(len(query))
                elif size > 1 and len(query) >= PLAIN_WORDS_MIN_LENGTH:
                    limit = 1
                else:
                    continue
                found = process.extractOne(query, choices, scorer=OSA.distance, score_cutoff=limit)
                if found is not None and (limit > 1 or _slip_in_a_long_word(query, found[0])):
                    term, distance = found[0], found[1]
                    confidence = round(max(0.5, 1 - distance / max(len(term), 1)), 3)
                    hits.append(FuzzyHit(start, start + size, term, confidence))
                elif size == 1:
                    hits.extend(self._by_ear(start, window[0]))
        return hits

    def _by_ear(self, start: int, token: Token) -> List[FuzzyHit]:
        if len(token.text) < SOUND_MIN_LENGTH:
            return []
        term = self._by_sound.get(sound_key(token.lower_))
        return [FuzzyHit(start, start + 1, term, 0.6)] if term else []

    def _worth_trying(self, window: Sequence[Token]) -> bool:
        if not all(token.is_alpha for token in window):
            return False
        return not (self._words.is_stop_word(window[0].text)
                    or self._words.is_stop_word(window[-1].text))
