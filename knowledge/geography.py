"""Where a learner is, offline: ZIP code, city or county (misspellings too) → Oregon place.

Built on the `zipcodes` package's data (it ships the US ZIP table), indexed once per
process on first use, so a lookup after warm-up is a dict hit or one rapidfuzz scan.

Names are compared by `name_key`, one spelling for the many a learner types: "St. Helens",
"saint helens" and "Saint-Helens" are all "sainthelens", "Mt Angel" is "mountangel",
"the dalles" and "Dalles" are "dalles".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from statistics import fmean
from typing import Dict, FrozenSet, List, Optional, Tuple

import zipcodes
from rapidfuzz import fuzz, process

from knowledge.oregon import OREGON_COUNTIES

__all__ = [
    "OREGON_COUNTIES",
    "Place",
    "distance_miles",
    "find_places",
    "locate",
    "name_key",
    "normalize_county",
    "spellings",
    "zip_coordinates",
]

EARTH_RADIUS_MILES = 3958.8
ZIP_RE = re.compile(r"(?<!\d)(9[7]\d{3})(?:-\d{4})?(?!\d)")  # Oregon ZIPs are 97xxx
ANY_ZIP_RE = re.compile(r"^\d{5}$")
WORD_RE = re.compile(r"[a-z0-9][a-z0-9.'-]*")
# A short answer's typo has to be this close to a name (rapidfuzz ratio, 0-100).
LOCATE_CUTOFF = 80
# Inside a longer message most words are not places, so a typo must be closer still.
MESSAGE_CUTOFF = 86
# Words around a place in a message that say "this is where I am" ("n" is how "in" is
# often texted: "i live n bend").
PLACE_CUES = frozenset({"in", "n", "near", "at", "around", "from", "to", "by", "live", "lives",
                        "living", "of", "outside", "close"})
# What a learner writes after a county's name: "lane county", "lane co.", "lane cnty".
COUNTY_WORDS = frozenset({"county", "co", "cnty"})
# What comes before the place in a short answer: "i live in", "im n", "near", "by".
ANSWER_START_RE = re.compile(
    r"^(?:(?:i live|we live|i'm|im|i am)\s+)?(?:in|n|near|at|around|from|by|close to)\s+"
)
# Abbreviations learners use for the first word of a place name, spelled out by the key.
_SHORT_FORMS = {"st": "saint", "mt": "mount", "ft": "fort"}
_LONG_FORMS = {long: short for short, long in _SHORT_FORMS.items()}
_KEY_WORD_RE = re.compile(r"[a-z0-9]+")
# Oregon place names that are also everyday English words or first names: inside a
# message they count only next to a cue ("in bend", "lane county"), never alone.
COMMON_WORD_PLACES = frozenset({
    "adams", "banks", "beaver", "bend", "boring", "burns", "cove", "crane", "dairy", "dallas",
    "dexter", "diamond", "douglas", "drain", "echo", "enterprise", "fields", "fossil",
    "gates", "glide", "grant", "halfway", "harbor", "harper", "helix", "hope",
    "independence", "jackson", "jasper", "jefferson", "joseph", "lake", "lane", "lincoln",
    "lowell", "marion", "mist", "monument", "murphy", "phoenix", "post", "powers",
    "prospect", "remote", "riddle", "riley", "rome", "sandy", "sisters", "spray", "talent",
    "timber", "trail", "turner", "union", "unity", "warren", "wheeler", "williams",
})
# Never places, however close the spelling ("train" is one letter from Drain).
NOT_PLACES = frozenset({
    "to", "in", "on", "at", "me", "the", "and", "for", "work", "help", "care", "day", "home",
    "school", "class", "classes", "job", "jobs", "mill", "rock", "sun", "star", "train",
    "online", "oregon", "county", "city", "near", "where", "there", "want", "would",
})


@dataclass(frozen=True)
class Place:
    kind: str  # "zip", "city" or "county"
    name: str
    county: str
    zip: Optional[str]
    latitude: float
    longitude: float

    @property
    def point(self) -> Tuple[float, float]:
        return self.latitude, self.longitude


@dataclass(frozen=True)
class _Index:
    by_zip: Dict[str, Place]
    cities: Dict[str, Place]  # name_key of the city -> place
    counties: Dict[str, Place]  # name_key of the county -> place
    city_names: Tuple[str, ...]  # the keys, for typo scans
    county_names: Tuple[str, ...]
    # The same names, words apart ("saint helens"), for typos in a phrase of a message:
    # run together, "not it" would be one letter from Noti.
    city_spaced: Tuple[str, ...]
    county_spaced: Tuple[str, ...]
    the_names: Tuple[str, ...]  # keys of the cities named "The …": "dalles"
    name_words: FrozenSet[str]  # every word of every name: "city", "rock", "the" …


@cache
def _index() -> _Index:
    rows = [r for r in zipcodes.filter_by(state="OR") if r.get("lat") and r.get("long")]
    # A few ZIP codes (a PO box, one firm's own ZIP) have no county in the table: they
    # take their city's, or a place found by them would name no county to search by.
    city_county: Dict[str, Counter] = {}
    for row in rows:
        if row["county"]:
            city_county.setdefault(row["city"], Counter())[row["county"]] += 1
    by_zip: Dict[str, Place] = {}
    city_points: Dict[Tuple[str, str], List[Tuple[float, float]]] = {}
    other_points: Dict[Tuple[str, str], List[Tuple[float, float]]] = {}
    county_points: Dict[str, List[Tuple[float, float]]] = {}
    for row in rows:
        county = row["county"] or (
            city_county[row["city"]].most_common(1)[0][0] if row["city"] in city_county else ""
        )
        county = county.removesuffix(" County")
        point = (float(row["lat"]), float(row["long"]))
        by_zip[row["zip_code"]] = Place("zip", row["zip_code"], county, row["zip_code"], *point)
        city_points.setdefault((_title(row["city"]), county), []).append(point)
        county_points.setdefault(county, []).append(point)
        for other in also_known_as(row):
            other_points.setdefault((_title(other), county), []).append(point)
    cities: Dict[str, Place] = {}
    # A city's own ZIP codes first, then the other names the table accepts for them;
    # a city name in two counties keeps the one with more ZIP codes (the main one).
    for group in (city_points, other_points):
        for (city, county), points in sorted(group.items(), key=lambda kv: -len(kv[1])):
            cities.setdefault(name_key(city), Place("city", city, county, None,
                                                    *_centre(points)))
    counties = {
        name_key(name): Place("county", name, name, None, *_centre(county_points[name]))
        for name in OREGON_COUNTIES
        if name in county_points
    }
    for key, place in list(cities.items()):
        if place.name.startswith("The "):
            cities.setdefault("the" + key, place)  # "thedalles": its "the" run in
        short = initialled(place.name)
        if short:
            cities.setdefault(name_key(short), place)
    the_names = tuple(key for key, place in cities.items() if place.name.startswith("The "))
    name_words = frozenset(w for p in (*cities.values(), *counties.values())
                           for w in p.name.lower().split())
    return _Index(by_zip, cities, counties, tuple(cities), tuple(counties),
                  tuple(name_key(p.name, " ") for p in cities.values()),
                  tuple(name_key(p.name, " ") for p in counties.values()), the_names, name_words)


def also_known_as(row: Dict) -> List[str]:
    """Other names the ZIP table accepts for a ZIP code: Tigard, Milwaukie and Wood Village
    are filed under Portland. Postal abbreviations ("Rockaway Bch") are left out."""
    return [name for name in row.get("acceptable_cities") or []
            if all(_VOWEL.search(word) for word in name.split())]


_VOWEL = re.compile(r"[aeiouy]", re.I)


# One letter a learner writes for a word ("n" for "in", "u" for "you") starts no short name.
_NOT_INITIALS = frozenset("ainu")


def initialled(name: str) -> Optional[str]:
    """The local short form of a two-word name, its first word cut to the initial:
    "Klamath Falls" → "k falls". None where that letter is a word in a message."""
    words = name.lower().split()
    if len(words) < 2 or words[0] in ("the", "saint", "mount", "fort") or len(words[0]) < 3:
        return None
    if words[0][0] in _NOT_INITIALS:
        return None
    return " ".join([words[0][0], *words[1:]])


def _title(city: str) -> str:
    return " ".join(w.capitalize() for w in city.split())


def name_key(text: str, sep: str = "") -> str:
    """One spelling for all the ways a place name is written: lower case, St/Mt/Ft spelled
    out, no leading "The", no spaces, hyphens, dots or apostrophes.

    "St. Helens", "saint-helens" → "sainthelens"; "the dalles", "Dalles" → "dalles";
    "O'Brien" → "obrien". Run-together words need no rule: "hoodriver" is the key of
    "Hood River" as typed. With `sep=" "` the words stay apart: "saint helens".
    """
    words = [_SHORT_FORMS.get(w, w) for w in _KEY_WORD_RE.findall(text.lower())]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return sep.join(words)


def spellings(name: str) -> List[str]:
    """The ways learners write a place name, in lower case, for matchers that compare
    words as written rather than `name_key`s (the entity matcher's spaCy phrases).

    "Saint Helens" → "saint helens", "st helens", "st. helens", "st.helens",
    "saint-helens", "saint  helens" (two spaces: spaCy reads the extra one as a word) …;
    "The Dalles" also → "dalles"; "O Brien" also → "o'brien".
    """
    words = name.lower().split()
    if not words:
        return []
    forms = [words]
    short = _LONG_FORMS.get(words[0])
    if short and len(words) > 1:
        rest = words[1:]
        forms += [[short, *rest], [f"{short}.", *rest], [f"{short}.{rest[0]}", *rest[1:]]]
    if words[0] == "the" and len(words) > 1:
        forms.append(words[1:])
    if len(words[0]) == 1 and len(words) > 1:
        forms.append([f"{words[0]}'{words[1]}", *words[2:]])
    short_name = initialled(name)
    if short_name:
        forms.append(short_name.split())
    found: List[str] = []
    for form in forms:
        found.append(" ".join(form))
        if len(form) > 1:
            if not any(word.endswith(".") for word in form):
                found.append("-".join(form))
            found += [" ".join(form[:i]) + "  " + " ".join(form[i:]) for i in range(1, len(form))]
    return list(dict.fromkeys(found))


def _centre(points: List[Tuple[float, float]]) -> Tuple[float, float]:
    return fmean(p[0] for p in points), fmean(p[1] for p in points)


def zip_coordinates(zip_code: Optional[str]) -> Optional[Tuple[float, float]]:
    """Latitude and longitude of a ZIP code (any US ZIP, Oregon ones from the index)."""
    code = (zip_code or "").strip()[:5]
    if not ANY_ZIP_RE.match(code):
        return None
    place = _index().by_zip.get(code)
    if place is not None:
        return place.point
    found = zipcodes.matching(code)
    if found and found[0].get("lat") and found[0].get("long"):
        return float(found[0]["lat"]), float(found[0]["long"])
    return None


def normalize_county(name: Optional[str]) -> Optional[str]:
    """The bundle's spelling of an Oregon county ("marion county", "multnoma" → …)."""
    key = name_key(_county_words(name or ""))
    if not key:
        return None
    index = _index()
    if key in index.counties:
        return index.counties[key].name
    if len(key) < 4:
        return None
    match = process.extractOne(key, index.county_names, scorer=fuzz.ratio,
                               score_cutoff=LOCATE_CUTOFF)
    return index.counties[match[0]].name if match else None


def _county_words(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower().rstrip(".,!?"))
    return re.sub(r"\s+(county|co\.?|cnty)$", "", text).strip()


def _county(name: str) -> Optional[Place]:
    county = normalize_county(name)
    return _index().counties[name_key(county)] if county else None


@lru_cache(maxsize=4096)
def locate(text: Optional[str]) -> Optional[Place]:
    """The place a short answer names: "97301", "Salem", "marion county", "Portlnd"."""
    if not text or not text.strip():
        return None
    text = re.sub(r"\s+", " ", text.strip().lower()).strip(" .,!?")
    index = _index()
    found = ZIP_RE.search(text)
    if found:
        return index.by_zip.get(found.group(1))
    # The state after the name, as a separate word: "salem, or", "Salem Oregon" (but
    # not the end of "Alvadore").
    text = re.sub(r"(?:,\s*|\s+)(?:oregon|or|ore)$", "", text).strip(" ,")
    text = spanish_county(ANSWER_START_RE.sub("", text))
    if re.search(r"\s(county|co\.?|cnty)$", text):
        return _county(text)
    key = name_key(text)
    # "the dalls" is The Dalles, not Dallas: its "the" says which.
    the_place = _the_place(key, LOCATE_CUTOFF) if text.startswith("the ") else None
    if the_place:
        return the_place
    # An exact county name wins over a same-named town ("Marion", "Union", "Jefferson").
    if key in index.counties:
        return index.counties[key]
    if key in index.cities:
        return index.cities[key]
    if len(key) < 4 or text in NOT_PLACES:
        return None
    return _closest(key, LOCATE_CUTOFF)


def _closest(text: str, cutoff: float, counties: bool = True,
             spaced: bool = False) -> Optional[Place]:
    """The city (or county) a mistyped key (or spaced key) is closest to: one scan of each
    table. On a tie the county wins, as it does for an exact name ("jefefrson").
    """
    index = _index()
    city = _best(text, index.city_spaced if spaced else index.city_names, cutoff)
    county = (_best(text, index.county_spaced if spaced else index.county_names, cutoff)
              if counties else None)
    if city and (not county or city[1] > county[1]):
        return index.cities[index.city_names[city[0]]]
    return index.counties[index.county_names[county[0]]] if county else None


def _best(text: str, names: Tuple[str, ...], cutoff: float) -> Optional[Tuple[int, float]]:
    """(position in names, score) of the name closest to text, if close enough."""
    found = process.extractOne(text, names, scorer=fuzz.ratio, score_cutoff=cutoff)
    if found is None or found[0][0] == text[0]:
        return found and (found[2], found[1])
    # Equally close names ("imber": Imbler or Timber): the one with the same first letter,
    # which learners mistype least. Only then a second scan, for the ties.
    ties = process.extract(text, names, scorer=fuzz.ratio, score_cutoff=found[1], limit=5)
    return next(((at, score) for name, score, at in ties if name[0] == text[0]),
                (found[2], found[1]))


def _the_place(key: str, cutoff: float) -> Optional[Place]:
    """A city named "The …" (The Dalles), for a name typed with its "the"."""
    index = _index()
    if key in index.the_names:
        return index.cities[key]
    found = _best(key, index.the_names, cutoff)
    return index.cities[index.the_names[found[0]]] if found else None


# "condado de lane", "el condado de Marion": the county, as "lane county" says it.
_SPANISH_COUNTY = re.compile(r"\b(?:el )?condado de(?:l)? ([a-z][a-z .'-]*?)"
                             r"(?=$|[,.;!?]| en | y | o | para | por | cerca )")


def spanish_county(text: str) -> str:
    return _SPANISH_COUNTY.sub(lambda m: f"{m.group(1).strip()} county", text)


def find_places(message: Optional[str]) -> List[Place]:
    """Places mentioned inside a longer message ("i want to b a welder in salem"), in order."""
    text = spanish_county((message or "").lower())
    index = _index()
    found: List[Tuple[int, Place]] = []
    for match in ZIP_RE.finditer(text):
        if match.group(1) in index.by_zip:
            found.append((match.start(), index.by_zip[match.group(1)]))
    words = [w.strip(".'-") for w in WORD_RE.findall(ZIP_RE.sub(" ", text))]
    used: set = set()
    for size in (3, 2, 1):  # longest first: "the dalles", "hood river county"
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            if used & span:
                continue
            place = _place_in_message(words, start, size)
            if place is not None:
                after = start + size
                if after < len(words) and words[after] in COUNTY_WORDS:
                    span.add(after)
                used |= span
                found.append((10_000 + start, place))
    found.sort(key=lambda item: item[0])
    places: List[Place] = []
    for _, place in found:
        if place not in places:
            places.append(place)
    return places


def _place_in_message(words: List[str], start: int, size: int) -> Optional[Place]:
    index = _index()
    phrase = " ".join(words[start:start + size])
    key = name_key(phrase)
    before = words[start - 1] if start else ""
    after = words[start + size] if start + size < len(words) else ""
    first, last = words[start], words[start + size - 1]
    if first in PLACE_CUES:
        return None  # no place name starts with "in", "near", "by": "by jefferson" is two
    if size > 1 and last in COUNTY_WORDS:  # "lane co", "baker cnty": a county or nothing
        return _county(" ".join(words[start:start + size - 1]))
    county = _county(phrase) if after in COUNTY_WORDS else None
    if county:
        return county
    cued = before in PLACE_CUES or after in ("oregon", "or")
    if size == 1 and phrase in COMMON_WORD_PLACES and not cued:
        return None
    cutoff = LOCATE_CUTOFF if cued else MESSAGE_CUTOFF
    if first == "the" and size > 1:
        # "The" belongs to The Dalles only; "around the bend" is not the town of Bend.
        return _the_place(key, cutoff)
    if key in index.counties:
        return index.counties[key]
    if key in index.cities:
        return index.cities[key]
    if first in NOT_PLACES:
        return None
    # "welder in salem", "go to class": a word no place name has, so no typo scan.
    if any(w in NOT_PLACES or w in PLACE_CUES for w in words[start + 1:start + size]
           if w not in index.name_words):
        return None
    if len(phrase) < 5 or (size == 1 and not phrase.isalpha()):
        return None
    # After a cue a typo may be a county too ("from multnmoah"); elsewhere only a city,
    # and closer: most words in a message are not places.
    place = _closest(name_key(phrase, " "), cutoff, counties=cued, spaced=size > 1)
    if place is None or (size == 1 and name_key(place.name) in COMMON_WORD_PLACES and not cued):
        return None
    # A typo in a message keeps its first letter: "to borrow" is not Morrow County.
    if name_key(place.name)[0] != key[0]:
        return None
    # "canon city" may be Canyon City, but "the city" or "for work" are no town.
    if last in NOT_PLACES and place.name.lower().split()[-1] != last:
        return None
    return place


def distance_miles(a: Tuple[float, float], b: Tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, h)))
