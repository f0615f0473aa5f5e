"""Finds knowledge-base phrases in a message: exact, by lemma, run together, or mistyped.

Built once per catalogue version; `find` is pure CPU work on one message (no I/O).
Overlapping finds are settled longest first, so "Portland Community College" is the
college, not the city of Portland.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Iterator, List, Optional, Set, Tuple

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlu.fuzzy import FuzzyIndex
from bot.nlu.terms import PLACE, RANK_DERIVED, RANK_KEYWORD, Target, TermIndex
from bot.nlu.words import WordFrequency
from knowledge.search.terms import FORM_WORDS

EXACT, LEMMA, PLURAL, JOINED, FUZZY = "exact", "lemma", "plural", "joined", "fuzzy"
_CONFIDENCE = {EXACT: 1.0, LEMMA: 0.95, PLURAL: 0.95, JOINED: 0.95}
_PREFERENCE = {EXACT: 0, LEMMA: 1, PLURAL: 1, JOINED: 2, FUZZY: 3}
# Acronyms take a plain "s" (or "'s") in the plural: "CNAs", "MA's". The lemmatizer
# knows words, not acronyms, so these are matched by their singular.
_ACRONYM_LETTERS = 5
# Words that make the next one read as a place: "classes in bend", "near sisters",
# "clases en bend", "cerca de vale". Not "to": "how to bend pipe"; not "a": "voy a echo".
_PLACE_CUES_BEFORE = frozenset({
    "in", "n", "near", "around", "from", "at", "by", "outside",
    "en", "cerca", "de", "desde", "por",
})
_PLACE_CUES_AFTER = frozenset({"or", "oregon", "county", "area"})
# A term that is also a Spanish function word ("para", short for paraeducator, is "for"
# in "curso para cuidar ancianos") names the record only after an English article:
# "i want to be a para".
_SPANISH_FUNCTION_WORDS = frozenset(SPANISH_STOP_WORDS - ENGLISH_STOP_WORDS)
_ENGLISH_ARTICLES = frozenset({"a", "an", "the"})


@dataclass(frozen=True)
class Match:
    start: int  # character offsets in the message
    end: int
    term: str
    method: str
    confidence: float
    # False where a place name is just an everyday word here ("how to bend"): the phrase
    # may still name something else ("Lane" the college), never the place.
    as_place: bool = True


class TermMatcher:
    def __init__(
        self, nlp: Language, index: TermIndex, words: WordFrequency, fuzzy: bool = True
    ) -> None:
        self.nlp = nlp
        self.index = index
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._capitals_only: Set[str] = set()
        terms = [t for t in index.targets if not _too_plain(t, index.targets[t], words)]
        for term, doc in zip(terms, nlp.pipe(terms), strict=True):
            self._lower.add(term, [doc])
            self._lemma.add(term, [doc])
            if len(doc) == 1 and (_needs_capitals(term, words)
                                  or _everyday_acronym(term, index.targets[term], words)):
                self._capitals_only.add(term)
        # "child care" written "childcare" and the reverse.
        self._squeezed: Dict[str, str] = {term.replace(" ", ""): term for term in terms}
        places = [t for t in terms if all(x.entity == PLACE for x in index.targets[t])]
        self._fuzzy = FuzzyIndex(terms, words, said_by_ear=places) if fuzzy else None

    def find(self, text: str) -> List[Match]:
        lowered = text.lower()
        # Lower-casing a few characters (e.g. "İ") changes the length; offsets must hold.
        doc = self.nlp(lowered if len(lowered) == len(text) else text)
        found = list(self._exact(doc))
        if self._fuzzy is not None:
            for hit in self._fuzzy.find(doc):
                span = doc[hit.start : hit.end]
                found.append(Match(span.start_char, span.end_char, hit.term, FUZZY, hit.confidence))
        plausible = [m for m in (self._checked(m, doc, text) for m in found) if m is not None]
        return _longest_first(plausible)

    def _exact(self, doc: Doc) -> Iterator[Match]:
        for method, matcher in ((EXACT, self._lower), (LEMMA, self._lemma)):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                term = self.nlp.vocab.strings[match_id]
                yield Match(span.start_char, span.end_char, term, method, _CONFIDENCE[method])
        for token in doc:
            singular = _acronym_singular(token.lower_)
            if singular and singular in self.index.targets:
                yield Match(token.idx, token.idx + len(token.text), singular, PLURAL,
                            _CONFIDENCE[PLURAL])
        for start in range(len(doc)):
            for size in (1, 2):
                span = doc[start : start + size]
                if len(span) < size or not all(t.is_alpha for t in span):
                    continue
                term = self._squeezed.get("".join(t.lower_ for t in span))
                # Equal to the words as written is an exact match, found above.
                if term is not None and term != " ".join(t.lower_ for t in span):
                    yield Match(span.start_char, span.end_char, term, JOINED, _CONFIDENCE[JOINED])

    def _checked(self, match: Match, doc: Doc, text: str) -> Optional[Match]:
        """The match as it may count here, or None when it cannot count at all."""
        written = text[match.start : match.end]
        if match.method == PLURAL:
            written = written.removesuffix("s").removesuffix("'")
        if match.term in self._capitals_only and not written.isupper():
            return None
        if match.term in _SPANISH_FUNCTION_WORDS and not _after_an_article(match, doc):
            return None
        if match.term in self.index.context_required and not _reads_as_place(match, doc, text):
            if all(t.entity == PLACE for t in self.index.targets[match.term]):
                return None
            return replace(match, as_place=False)
        return match


def _acronym_singular(word: str) -> Optional[str]:
    for suffix in ("'s", "’s", "s"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and 2 <= len(base) <= _ACRONYM_LETTERS and base.isalpha():
            return base
    return None


def _too_plain(term: str, targets: List[Target], words: WordFrequency) -> bool:
    """A keyword like "help" or "care" would tag half of all messages, and one like
    "apprenticeship" or "aide" says the kind of training, not which; names still count.

    Three letters or fewer are left to the capitals rule instead: "IT" is a fine keyword.
    """
    return (
        " " not in term
        and len(term) > 3
        and all(t.rank >= RANK_KEYWORD for t in targets)
        and (words.is_stock(term) or words.is_stop_word(term) or term in FORM_WORDS)
    )


def _needs_capitals(term: str, words: WordFrequency) -> bool:
    """Lower-case "it" or "ma" is a word, not the acronym IT or MA."""
    return words.is_stop_word(term) or (len(term) <= 3 and words.is_very_common(term))


def _everyday_acronym(term: str, targets: List[Target], words: WordFrequency) -> bool:
    """An everyday word known only at second hand (the "STEP" in a service named
    "SNAP 50/50 (STEP) travel help") names the record only in capitals: "the next step"
    is not that service. Names, aliases and keywords staff listed still count."""
    return all(t.rank == RANK_DERIVED for t in targets) and words.is_everyday(term)


def _after_an_article(match: Match, doc: Doc) -> bool:
    span = doc.char_span(match.start, match.end)
    return span is not None and span.start > 0 and doc[span.start - 1].lower_ in _ENGLISH_ARTICLES


def _reads_as_place(match: Match, doc: Doc, text: str) -> bool:
    span = doc.char_span(match.start, match.end)
    if span is None:
        return False
    before = [t.lower_ for t in doc[: span.start] if not t.is_punct]
    after = [t.lower_ for t in doc[span.end :] if not t.is_punct]
    if before and before[-1] in _PLACE_CUES_BEFORE:
        return True
    if after and after[0] in _PLACE_CUES_AFTER:
        return True
    if not before and all(word in _PLACE_CUES_AFTER for word in after):
        return True  # the whole answer is the place: "bend", "Sisters, OR"
    # Capitalised mid-sentence: "classes close to Sisters".
    return span.start > 0 and text[match.start].isupper()


def _longest_first(found: List[Match]) -> List[Match]:
    chosen: List[Match] = []
    taken: List[Tuple[int, int]] = []
    for match in sorted(
        found, key=lambda m: (-(m.end - m.start), _PREFERENCE[m.method], -m.confidence, m.start)
    ):
        if all(match.end <= start or match.start >= end for start, end in taken):
            chosen.append(match)
            taken.append((match.start, match.end))
    return sorted(chosen, key=lambda m: m.start)
