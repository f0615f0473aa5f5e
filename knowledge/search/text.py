"""Typo-tolerant word matching over a catalogue's own vocabulary.

Each index keeps an inverted list (word stem → documents) and the surface words it
saw. A query word is mapped to catalogue words once — exact stem, then prefix, then
rapidfuzz — and the mapping is memoised, so a search costs a few dict lookups even
at 100× the sample catalogue.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from rapidfuzz import fuzz, process

from knowledge.search.dictionary import is_common_word
from knowledge.search.terms import STOPWORDS, SYNONYMS

WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
PREFIX_SIMILARITY = 0.9
SYNONYM_SIMILARITY = 0.9
MEMO_LIMIT = 50_000
_SUFFIXES = ("ings", "ing", "ers", "ies", "es", "er", "ed", "s", "e")
# A licence class is one word: "class a cdl" is not the CDL Class B program, and no
# typo tolerance may turn one class into another.
LICENCE_CLASS = re.compile(
    r"\b(?:class|clase) ([abc])\b(?= (?:cdl|license|licence|licencia|permit))|"
    r"(?<=\bcdl )(?:class|clase) ([abc])\b")
CLASS_MARK = ":"


_ACCENTS = str.maketrans("áéíóúüñ", "aeiouun")


def folded(word: str) -> str:
    """A word without its Spanish accents: "técnico" → "tecnico"."""
    return word.translate(_ACCENTS)


def words(text: Optional[str]) -> List[str]:
    """Lower-case words of `text`, Spanish accents folded ("técnico" is "tecnico"),
    punctuation dropped; a licence class ("class a cdl") is the one word "class:a"."""
    plain = folded((text or "").lower().replace("’", "'"))
    found = []
    start = 0
    for match in LICENCE_CLASS.finditer(plain):
        found += WORD_RE.findall(plain[start:match.start()])
        found.append(f"class{CLASS_MARK}{match.group(1) or match.group(2)}")
        start = match.end()
    return found + WORD_RE.findall(plain[start:])


def licence_classes(text: Optional[str]) -> set:
    """The licence classes a text names: {"class:a"} for "need my class A cdl"."""
    return {word for word in words(text) if CLASS_MARK in word}


def shown_word(word: str) -> str:
    """A word of `words` as a learner reads it: "class:a" → "class a"."""
    return word.replace(CLASS_MARK, " ")


def content_words(text: Optional[str]) -> List[str]:
    """The words of a query that can say what is wanted (stopwords removed, order kept)."""
    seen: List[str] = []
    for word in words(text):
        if word not in STOPWORDS and folded(word) not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


def stem(word: str) -> str:
    """A crude suffix strip so welder/welders/welding and nurse/nursing meet."""
    if word.isdigit() or len(word) < 4:
        return word
    if len(word) == 4:
        # "cars", "kids", "jobs": a plain plural; "less", "plus", "this" are not.
        return word[:-1] if word.endswith("s") and word[2] not in "sui" else word
    for suffix in _SUFFIXES:
        base = word[: -len(suffix)]
        if not word.endswith(suffix) or len(base) < 4:
            continue
        if suffix == "s" and base.endswith("s"):
            return word  # "class", "business": the s is not a plural
        if suffix == "es" and not base.endswith(("s", "x", "ch", "sh")):
            continue  # "nurses": the plural s goes, then the e below
        if suffix == "s" and base.endswith("e") and len(base) > 4:
            return base[:-1]
        return base + "y" if suffix == "ies" else base
    return word


def _cutoff(word: str) -> float:
    # Short words need a closer spelling: one slip in four letters is a different word.
    return 88 if len(word) <= 5 else 83 if len(word) <= 7 else 80


@dataclass
class WordIndex:
    """Inverted index of documents by word stem, with each document's best field weight."""

    postings: Dict[str, Dict[str, float]] = field(default_factory=dict)
    surfaces: Dict[str, str] = field(default_factory=dict)  # surface word → stem
    display: Dict[str, Tuple[float, str]] = field(default_factory=dict)  # stem → best surface
    _sorted: Tuple[str, ...] = ()
    _memo: Dict[str, Tuple[Tuple[str, float], ...]] = field(default_factory=dict)

    def add(self, doc: str, text: Optional[str], weight: float) -> None:
        for word in words(text):
            if word in STOPWORDS:
                continue
            root = self.surfaces.setdefault(word, stem(word))
            docs = self.postings.setdefault(root, {})
            if weight > docs.get(doc, 0.0):
                docs[doc] = weight
            if weight > self.display.get(root, (0.0, ""))[0]:
                self.display[root] = (weight, word)

    def add_all(self, doc: str, texts: Iterable[Optional[str]], weight: float) -> None:
        for text in texts:
            self.add(doc, text, weight)

    def freeze(self) -> WordIndex:
        self._sorted = tuple(sorted(self.surfaces))
        return self

    def shown(self, root: str) -> str:
        return self.display.get(root, (0.0, root))[1]

    def expand(self, word: str) -> Tuple[Tuple[str, float], ...]:
        """Catalogue stems a query word stands for, each with a similarity in (0, 1]."""
        memo = self._memo.get(word)
        if memo is not None:
            return memo
        found: Dict[str, float] = {}
        root = stem(word)
        if root in self.postings:
            found[root] = 1.0
        elif word in SYNONYMS or folded(word) in SYNONYMS:
            for other in SYNONYMS.get(word) or SYNONYMS[folded(word)]:
                if stem(other) in self.postings:
                    found[stem(other)] = SYNONYM_SIMILARITY
        if not found and len(word) >= 4 and not word.isdigit() and CLASS_MARK not in word:
            self._prefix(word, found)
            # A real word is what the learner meant ("farming" is not "framing").
            candidates = () if is_common_word(word) else self._sorted
            for surface, score, _ in process.extract(
                word, candidates, scorer=fuzz.ratio, score_cutoff=_cutoff(word), limit=8
            ):
                key = self.surfaces[surface]
                found[key] = max(found.get(key, 0.0), score / 100)
        result = tuple(sorted(found.items(), key=lambda kv: -kv[1]))
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        self._memo[word] = result
        return result

    def _prefix(self, word: str, found: Dict[str, float]) -> None:
        start = bisect.bisect_left(self._sorted, word)
        for surface in self._sorted[start:start + 20]:
            if not surface.startswith(word):
                break
            key = self.surfaces[surface]
            found[key] = max(found.get(key, 0.0), PREFIX_SIMILARITY)

    def match(self, query_words: List[str]) -> Dict[str, Hit]:
        """Documents matching any query word, scored by the sum of each word's best match."""
        hits: Dict[str, Hit] = {}
        for word in query_words:
            best: Dict[str, Tuple[float, str]] = {}
            for root, similarity in self.expand(word):
                for doc, weight in self.postings[root].items():
                    value = weight * similarity
                    if value > best.get(doc, (0.0, ""))[0]:
                        best[doc] = (value, root)
            for doc, (value, root) in best.items():
                hit = hits.get(doc)
                if hit is None:
                    hit = hits[doc] = Hit()
                hit.score += value
                hit.matched.append(self.shown(root))
        return hits


@dataclass
class Hit:
    score: float = 0.0
    matched: List[str] = field(default_factory=list)


@dataclass
class NameIndex:
    """Finds a named thing (provider, credential, occupation) by any of its names.

    A name scores by how many query words it covers and how much of the name those
    words account for, so "chemeketa" finds "Chemeketa Community College" and not every
    college.
    """

    words: WordIndex = field(default_factory=WordIndex)
    owners: Dict[str, str] = field(default_factory=dict)  # form key → owner id
    sizes: Dict[str, int] = field(default_factory=dict)  # form key → content words
    exact: Dict[str, str] = field(default_factory=dict)  # normalised name → owner id

    def add(self, owner: str, names: Iterable[Optional[str]]) -> None:
        for i, name in enumerate(n for n in names if n):
            self.exact.setdefault(" ".join(words(name)), owner)
            key = f"{owner}\x1f{i}"
            self.owners[key] = owner
            self.sizes[key] = max(1, len({stem(w) for w in words(name) if w not in STOPWORDS}))
            self.words.add(key, name, 1.0)

    def freeze(self) -> NameIndex:
        self.words.freeze()
        return self

    def find(self, query: Optional[str], minimum: float = 0.5) -> List[Tuple[str, float]]:
        """Owners best first with a score in (0, 1]; 1 means an exact name."""
        plain = " ".join(words(query))
        if not plain:
            return []
        if plain in self.exact:
            return [(self.exact[plain], 1.0)]
        # Words no name contains ("how much do welders make") neither help nor hurt.
        wanted = [w for w in content_words(query) if self.words.expand(w)]
        if not wanted:
            return []
        best: Dict[str, float] = {}
        for key, hit in self.words.match(wanted).items():
            coverage = hit.score / len(wanted)
            precision = min(1.0, len(hit.matched) / self.sizes[key])
            score = coverage * (0.6 + 0.4 * precision)
            owner = self.owners[key]
            if score >= minimum and score > best.get(owner, 0.0):
                best[owner] = score
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
