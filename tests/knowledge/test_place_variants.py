"""Every Oregon city, county and ZIP code resolves in the spellings learners type.

Walks the whole offline list (the `zipcodes` rows for Oregon and `OREGON_COUNTIES`),
makes the common spellings of each name and checks that `locate` (a short answer) and
`find_places` (a longer message) find the right place. The entity matcher gets the
same cases in tests/nlu_components/test_place_variants_in_messages.py.

Spellings, per place ("kind" in the failure report):
- case: lower, UPPER, Title.
- abbreviation: Saint/St/St., Mount/Mt/Mt., Fort/Ft/Ft.; also run together ("St.Helens").
- the: "The Dalles" without "The".
- spacing (names of two words or more): run together, hyphens, one doubled space;
  "O Brien" also as "O'Brien".
- typo: one per name of 6+ letters, in its longest word (if that has 4+), chosen from
  the name's CRC so it never changes: two middle letters swapped, one dropped, one
  doubled, or one replaced by its right-hand neighbour on the keyboard.
- county: the county name followed by "county", "County", "co", "Co.", "cnty", any case.
- zip: the five digits.

What counts as right:
- a ZIP code: that ZIP code;
- a city: that city, or its county (a coarser but right answer);
- a county: that county.
Collisions: a bare name that is also another place's name can be read either way. "Wasco"
is a city (in Sherman County) and a county, "Union" a city and a county: any place whose
name spells the same (ignoring case, spaces, hyphens, St/Saint, Mt/Mount, Ft/Fort, a
leading "The") is a right answer. A typo may be read as anything its name may, or as the
place it happens to spell exactly. Names followed by "county" or "co" mean the county only.
"""

from __future__ import annotations

import re
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import pytest
import zipcodes

from knowledge.geography import Place, also_known_as, find_places, locate
from knowledge.oregon import OREGON_COUNTIES

MAX_FAILURE_RATE = 0.01
# Sentence frames, one per cue a learner puts before a place.
CUES = (
    "welding classes in {}",
    "i live n {}",
    "near {}",
    "im around {}",
    "from {}",
    "by {}",
)
_ABBREVIATIONS = {
    "saint": ("Saint", "St", "St."),
    "mount": ("Mount", "Mt", "Mt."),
    "fort": ("Fort", "Ft", "Ft."),
}
_KEY_WORDS = {"st": "saint", "mt": "mount", "ft": "fort"}
_COUNTY_SUFFIXES = ("{l} county", "{t} County", "{u} COUNTY", "{l} co", "{t} Co.", "{l} cnty")
_KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm "

Reading = Tuple[str, str]  # (kind, name), both lower case: ("county", "lane")


@dataclass(frozen=True)
class Target:
    kind: str  # "city", "county" or "zip"
    name: str  # "Saint Helens", "Hood River" (a county, without "County"), "97301"
    counties: FrozenSet[str]  # the counties it lies in, per the data


@dataclass(frozen=True)
class Case:
    target: Target
    kind: str  # the kind of spelling: "case", "typo", …
    text: str
    right: FrozenSet[Reading]  # every answer that counts as right


def _title(name: str) -> str:
    return " ".join(word.capitalize() for word in name.split())


@lru_cache(maxsize=1)
def oregon_targets() -> Tuple[Target, ...]:
    """Every city, county and ZIP code of Oregon in the offline data."""
    rows = zipcodes.filter_by(state="OR")
    city_counties: Dict[str, Set[str]] = {}
    for row in rows:
        county = row["county"].removesuffix(" County")
        city_counties.setdefault(_title(row["city"]), set())
        if county:
            city_counties[_title(row["city"])].add(county)
    # Names the table accepts for other cities' ZIP codes (Tigard, Milwaukie) are places
    # learners name too.
    for row in rows:
        county = row["county"].removesuffix(" County")
        for name in also_known_as(row):
            if _title(name) not in city_counties and county:
                city_counties[_title(name)] = {county}
    targets = [Target("city", city, frozenset(c)) for city, c in sorted(city_counties.items())]
    targets += [Target("county", county, frozenset({county})) for county in OREGON_COUNTIES]
    for row in sorted(rows, key=lambda r: r["zip_code"]):
        # A few ZIP codes (PO boxes, one firm's own ZIP) have no county: their city's.
        county = row["county"].removesuffix(" County")
        counties = {county} if county else city_counties[_title(row["city"])]
        targets.append(Target("zip", row["zip_code"], frozenset(counties)))
    return tuple(targets)


def key(text: str) -> str:
    """How a name spells, for the collision rule: 'St. Helens' == 'saint-helens'."""
    words = [_KEY_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+", text.lower())]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


@lru_cache(maxsize=1)
def _readings_by_key() -> Dict[str, FrozenSet[Reading]]:
    found: Dict[str, Set[Reading]] = {}
    for target in oregon_targets():
        if target.kind != "zip":
            found.setdefault(key(target.name), set()).add((target.kind, target.name.lower()))
    return {k: frozenset(v) for k, v in found.items()}


def typo(name: str) -> Optional[str]:
    """One realistic typo in the longest word of a name of 6+ letters; the same every run.

    Shorter names are left alone: one letter off, "Bend" is "Band" or "Bent".
    """
    words = name.lower().split()
    at = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[at]
    if len("".join(words)) < 6 or len(word) < 4 or not word.isalpha():
        return None
    middle = len(word) // 2
    how = zlib.crc32(name.encode()) % 4
    if how == 0:  # swapped: "slaem"; a swap of equal letters is none, so move along
        i = next(i for i in range(middle, len(word)) if word[i - 1] != word[i])
        word = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    elif how == 1:  # dropped: "portlnd"
        word = word[:middle] + word[middle + 1 :]
    elif how == 2:  # doubled: "sallem"
        word = word[:middle] + word[middle] + word[middle:]
    else:  # the key next to it: "portkand"
        neighbour = _KEYBOARD[_KEYBOARD.index(word[middle]) + 1].strip() or "a"
        word = word[:middle] + neighbour + word[middle + 1 :]
    words[at] = word
    return " ".join(words)


def spellings(name: str) -> List[Tuple[str, str]]:
    """(kind of spelling, text) for one city or county name."""
    found = [("case", name.lower()), ("case", name.upper()), ("case", name)]
    words = name.split()
    first = words[0].lower()
    rest = words[1:]
    if first in _ABBREVIATIONS and rest:
        for form in _ABBREVIATIONS[first][1:]:
            short = " ".join([form, *rest])
            found += [("abbreviation", short), ("abbreviation", short.lower())]
        # No space after the dot: "St.Helens", "Mt.Hood Parkdale".
        found.append(("abbreviation", " ".join([_ABBREVIATIONS[first][2] + rest[0], *rest[1:]])))
        found.append(("abbreviation", (_ABBREVIATIONS[first][1] + "".join(rest)).lower()))
    if first == "the" and rest:
        found += [("the", " ".join(rest)), ("the", " ".join(rest).lower())]
    if len(words) > 1:
        found += [
            ("spacing", "".join(words).lower()),
            ("spacing", "".join(words)),
            ("spacing", "-".join(words)),
            ("spacing", "-".join(words).lower()),
        ]
        found += [("spacing", " ".join(words[:i]) + "  " + " ".join(words[i:]))
                  for i in range(1, len(words))]
        if len(words[0]) == 1:  # "O Brien"
            found += [("spacing", words[0] + "'" + "".join(rest))]
    mistyped = typo(name)
    if mistyped:
        found.append(("typo", mistyped))
    return found


def cases(target: Target) -> List[Case]:
    """The spellings of one place, each with the answers that count as right."""
    if target.kind == "zip":
        return [Case(target, "zip", target.name, frozenset({("zip", target.name)}))]
    own: Set[Reading] = {(target.kind, target.name.lower())}
    if target.kind == "city":
        own |= {("county", county.lower()) for county in target.counties}
    readings = _readings_by_key()
    found = []
    for kind, text in spellings(target.name):
        right = own | readings.get(key(text), frozenset())
        if kind == "typo":  # "wsaco" may be Wasco the city or the county, as "wasco" may
            right |= readings.get(key(target.name), frozenset())
        found.append(Case(target, kind, text, frozenset(right)))
    if target.kind == "county":
        county = frozenset({("county", target.name.lower())})
        forms = {"l": target.name.lower(), "t": target.name, "u": target.name.upper()}
        for suffix in _COUNTY_SUFFIXES:
            found.append(Case(target, "county", suffix.format(**forms), county))
        for kind, text in spellings(target.name):
            if kind in ("spacing", "typo"):
                found.append(Case(target, kind, f"{text} county", county))
    return found


def all_cases() -> List[Case]:
    return [case for target in oregon_targets() for case in cases(target)]


def sentences(targets: Sequence[Target] = ()) -> List[Tuple[Case, str]]:
    """Each place's spellings inside messages: every spelling once, every cue at least once.

    Spellings and cues are paired round-robin (the full product would be six times
    longer and find nothing more); the offset varies which spelling meets which cue.
    """
    found = []
    for offset, target in enumerate(targets or oregon_targets()):
        spelled = cases(target)
        for i in range(max(len(spelled), len(CUES))):
            case = spelled[i % len(spelled)]
            found.append((case, CUES[(i + offset) % len(CUES)].format(case.text)))
    return found


def reading(place: Optional[Place]) -> Optional[Reading]:
    if place is None:
        return None
    return place.kind, place.name.lower()


def is_right(case: Case, place: Optional[Place]) -> bool:
    if place is None or reading(place) not in case.right:
        return False
    # The county a ZIP code carries is what the actions search by: it has to be its own
    # ("" would find nothing).
    return place.kind != "zip" or place.county in case.target.counties


def check_rate(path: str, total: int, failures: List[str]) -> None:
    """Prints the failures and the rate; fails when more than 1 % of the cases fail."""
    rate = len(failures) / total
    print(f"\n{path}: {len(failures)} of {total} fail ({rate:.2%})")
    for line in failures:
        print("  " + line)
    assert rate <= MAX_FAILURE_RATE, f"{path}: {rate:.2%} of {total} fail:\n" + "\n".join(
        failures[:200]
    )


def describe(case: Case, text: str, got: Iterable[Optional[Place]]) -> str:
    answers = ", ".join(f"{p.kind} {p.name} ({p.county})" for p in got if p) or "nothing"
    return f"{case.kind:12} {text!r}: want {case.target.kind} {case.target.name}, got {answers}"


def test_the_list_is_whole():
    targets = oregon_targets()
    counted = Counter(t.kind for t in targets)
    assert counted["county"] == 36 and counted["city"] > 300 and counted["zip"] > 400
    assert len(all_cases()) > 2500


def test_every_spelling_of_every_place_is_located():
    started = time.perf_counter()
    checked = all_cases()
    failures = [
        describe(case, case.text, [locate(case.text)])
        for case in checked
        if not is_right(case, locate(case.text))
    ]
    check_rate("locate", len(checked), failures)
    assert time.perf_counter() - started < 30


def test_every_spelling_of_every_place_is_found_in_a_message():
    checked = sentences()
    failures = []
    for case, message in checked:
        found = find_places(message)
        if not found or not all(is_right(case, place) for place in found):
            failures.append(describe(case, message, found))
    check_rate("find_places", len(checked), failures)


def test_the_collision_rule_reads_both_ways():
    wasco = next(c for c in cases(Target("city", "Wasco", frozenset({"Sherman"})))
                 if c.text == "wasco")
    assert {("city", "wasco"), ("county", "wasco"), ("county", "sherman")} <= wasco.right
    union_county = next(c for c in all_cases() if c.text == "union county")
    assert union_county.right == {("county", "union")}


def test_typos_are_realistic_and_fixed():
    assert typo("Salem") is None  # under six letters: left alone
    assert typo("Portland") == typo("Portland") != "portland"
    assert len(typo("Portland")) in (7, 8, 9)
    assert typo("Hood River") is not None and typo("Hood River").startswith("hood ")


@pytest.mark.parametrize("text, kind, name", [
    ("salem or", "city", "Salem"),
    ("Salem, OR", "city", "Salem"),
    ("salem, oregon", "city", "Salem"),
    ("Salem Oregon", "city", "Salem"),
    ("portland 97211", "zip", "97211"),
    ("Portland, OR 97211", "zip", "97211"),
    ("97211-1234", "zip", "97211"),
    ("i live in st helens", "city", "Saint Helens"),
    ("near mt. angel", "city", "Mount Angel"),
    ("dalles", "city", "The Dalles"),
    ("Hood-River County", "county", "Hood River"),
    ("milton-freewater", "city", "Milton Freewater"),
])
def test_answers_with_state_or_zip(text, kind, name):
    place = locate(text)
    assert place is not None and (place.kind, place.name) == (kind, name), text


@pytest.mark.parametrize("message, names", [
    ("salem or", ["Salem"]),
    ("i live in salem, oregon", ["Salem"]),
    ("portland 97211", ["97211", "Portland"]),
    ("classes near st. helens or hood-river", ["Saint Helens", "Hood River"]),
])
def test_messages_with_state_or_zip(message, names):
    assert [p.name for p in find_places(message)] == names
