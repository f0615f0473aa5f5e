"""The vocabulary the matcher looks for: phrase -> the knowledge-base records it names.

A phrase can name several records ("welding" is a keyword of every welding program),
so each phrase keeps all its targets and `resolve` decides what to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Set, Tuple

PROGRAM = "program"
CREDENTIAL = "credential"
OCCUPATION = "occupation"
PROVIDER = "provider"
SERVICE_CATEGORY = "service_category"
PLACE = "place"
ENTITY_TYPES = frozenset({PROGRAM, CREDENTIAL, OCCUPATION, PROVIDER, SERVICE_CATEGORY, PLACE})

# Lower rank wins when one phrase names records in different ways.
RANK_NAME = 0  # the record's own title or name
RANK_ALIAS = 1  # an alias or an acronym given in the name: "(CNA)"
RANK_KEYWORD = 2  # a keyword staff listed for the record
RANK_DERIVED = 3  # inferred: a program keyword pointing at the program's occupation

_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Target:
    entity: str
    value: str
    rank: int
    info: Tuple[Tuple[str, str], ...] = ()


@dataclass
class TermIndex:
    targets: Dict[str, List[Target]] = field(default_factory=dict)
    # Place names that are also everyday words ("bend"): places only where they read so.
    context_required: Set[str] = field(default_factory=set)

    def add(self, phrase: Optional[str], target: Target) -> None:
        for term, rank_offset in variants(phrase):
            rank = min(target.rank + rank_offset, RANK_DERIVED)
            known = self.targets.setdefault(term, [])
            entry = Target(target.entity, target.value, rank, target.info)
            if entry not in known:
                known.append(entry)

    def add_spelling(self, spelling: str, target: Target) -> None:
        """A phrase exactly as typed but for case, without `normalise`: "hood  river"
        (two spaces) and "lane co." are other tokens to spaCy than "hood river" and
        "lane co", so they need their own entries to be found as learners type them."""
        known = self.targets.setdefault(spelling.lower(), [])
        if target not in known:
            known.append(target)

    def update(self, other: TermIndex) -> None:
        for term, targets in other.targets.items():
            self.targets.setdefault(term, []).extend(targets)
        self.context_required |= other.context_required

    def __len__(self) -> int:
        return len(self.targets)


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" \t\n.,;:!?\"'").lower()


def variants(phrase: Optional[str]) -> List[Tuple[str, int]]:
    """The phrase, and for "Child Development Associate (CDA)" also both halves."""
    if not phrase:
        return []
    found = [(normalise(phrase), 0)]
    inner = _PARENTHESES.findall(phrase)
    if inner:
        found.append((normalise(_PARENTHESES.sub(" ", phrase)), 0))
        found.extend((normalise(part), 1) for part in inner)
    return [(term, offset) for term, offset in found if term]


@dataclass(frozen=True)
class Resolved:
    entity: str
    value: str
    candidates: Tuple[str, ...]
    info: Mapping[str, str]


def resolve(targets: Iterable[Target]) -> List[Resolved]:
    """One answer per entity type: the best-ranked record, the first by id on a tie.

    A phrase shared by several programs at the best rank ("welding") names an interest,
    not one program, so it yields no `program` (its occupation still comes through).
    """
    by_entity: Dict[str, List[Target]] = {}
    for target in targets:
        by_entity.setdefault(target.entity, []).append(target)
    answers = []
    for entity in sorted(by_entity):
        group = sorted(by_entity[entity], key=lambda t: (t.rank, t.value))
        best = {t.value for t in group if t.rank == group[0].rank}
        if entity == PROGRAM and len(best) > 1:
            continue
        candidates = tuple(dict.fromkeys(t.value for t in group))
        answers.append(Resolved(entity, group[0].value, candidates, dict(group[0].info)))
    return answers
