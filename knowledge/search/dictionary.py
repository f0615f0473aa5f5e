"""Which words are ordinary English: a real word is never "corrected" into another.

"farming" must not become "framing", nor "hair" "chair": only a word that is not in the
dictionary ("flebotomy", "carpintry") may be a typo. The word probabilities come from
the installed `spacy-lookups-data` package (no download); the set of common words is
read once per process, when the catalogue index is first built (about a second).
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Dict, FrozenSet

# Log probability above which a word counts as ordinary English ("welding" -13.2,
# "cosmetology" -15.9; typos such as "comunity" -15.6 and "mecanic" -18.3 fall below).
COMMON_WORD_LOG_PROB = -15.0


def lexeme_probs() -> Dict[str, float]:
    """spaCy's English word log probabilities (about a million entries, ~1 s to read)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@functools.lru_cache(maxsize=1)
def common_words() -> FrozenSet[str]:
    return frozenset(word for word, prob in lexeme_probs().items()
                     if prob >= COMMON_WORD_LOG_PROB and word.isalpha() and word.islower())


def is_common_word(word: str) -> bool:
    return word in common_words()
