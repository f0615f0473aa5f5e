"""Where a learner is, offline: ZIP code, city or county (misspellings too) → Oregon place.

Built on the `zipcodes` package's data (it ships the US ZIP table), indexed once per
process on first use, so a lookup after warm-up is a dict hit or one rapidfuzz scan.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from statistics import fmean
from typing import Dict, List, Optional, Tuple

import zipcodes
from rapidfuzz import fuzz, process

from knowledge.oregon import OREGON_COUNTIES

__all__ = [
    "OREGON_COUNTIES",
    "Place",
    "distance_miles",
    "find_places",
    "locate",
    "normalize_county",
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
# Words around a place in a message that say "this is where I am".
PLACE_CUES = frozenset({"in", "near", "at", "around", "from", "to", "by", "live", "lives",
                        "living", "of", "outside", "close"})
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
    cities: Dict[str, Place]  # lower-case city name -> place
    counties: Dict[str, Place]  # lower-case county name -> place
    city_names: Tuple[str, ...]
    county_names: Tuple[str, ...]


@cache
def _index() -> _Index:
    rows = [r for r in zipcodes.filter_by(state="OR") if r.get("lat") and r.get("long")]
    by_zip: Dict[str, Place] = {}
    city_points: Dict[Tuple[str, str], List[Tuple[float, float]]] = {}
    county_points: Dict[str, List[Tuple[float, float]]] = {}
    for row in rows:
        county = row["county"].removesuffix(" County")
        point = (float(row["lat"]), float(row["long"]))
        by_zip[row["zip_code"]] = Place("zip", row["zip_code"], county, row["zip_code"], *point)
        city_points.setdefault((_title(row["city"]), county), []).append(point)
        county_points.setdefault(county, []).append(point)
    cities: Dict[str, Place] = {}
    for (city, county), points in sorted(city_points.items(), key=lambda kv: -len(kv[1])):
        # A city name in two counties keeps the one with more ZIP codes (the main one).
        cities.setdefault(city.lower(), Place("city", city, county, None, *_centre(points)))
    counties = {
        name.lower(): Place("county", name, name, None, *_centre(county_points[name]))
        for name in OREGON_COUNTIES
        if name in county_points
    }
    return _Index(by_zip, cities, counties, tuple(cities), tuple(counties))


def _title(city: str) -> str:
    return " ".join(w.capitalize() for w in city.split())


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
    text = _county_words(name or "")
    if not text:
        return None
    index = _index()
    if text in index.counties:
        return index.counties[text].name
    if len(text) < 4:
        return None
    match = process.extractOne(text, index.county_names, scorer=fuzz.ratio,
                               score_cutoff=LOCATE_CUTOFF)
    return index.counties[match[0]].name if match else None


def _county_words(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower().rstrip(".,!?"))
    return re.sub(r"\s+(county|co\.?|cnty)$", "", text).strip()


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
    text = re.sub(r",?\s*(oregon|or|ore)$", "", text).strip(" ,")
    text = re.sub(r"^(i live in|i'm in|im in|in|near|at|around|from)\s+", "", text)
    if re.search(r"\s(county|co\.?|cnty)$", text):
        county = normalize_county(text)
        return index.counties[county.lower()] if county else None
    # An exact county name wins over a same-named town ("Marion", "Union", "Jefferson").
    if text in index.counties:
        return index.counties[text]
    if text in index.cities:
        return index.cities[text]
    if len(text) < 4 or text in NOT_PLACES:
        return None
    city = process.extractOne(text, index.city_names, scorer=fuzz.ratio,
                              score_cutoff=LOCATE_CUTOFF)
    county = process.extractOne(text, index.county_names, scorer=fuzz.ratio,
                                score_cutoff=LOCATE_CUTOFF)
    if city and (not county or city[1] >= county[1]):
        return index.cities[city[0]]
    return index.counties[county[0]] if county else None


def find_places(message: Optional[str]) -> List[Place]:
    """Places mentioned inside a longer message ("i want to b a welder in salem"), in order."""
    text = (message or "").lower()
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
                if after < len(words) and words[after] == "county":
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
    before = words[start - 1] if start else ""
    after = words[start + size] if start + size < len(words) else ""
    if after == "county":
        county = normalize_county(phrase)
        return index.counties[county.lower()] if county else None
    cued = before in PLACE_CUES or after in ("oregon", "or")
    if size == 1 and phrase in COMMON_WORD_PLACES and not cued:
        return None
    if phrase in index.counties:
        return index.counties[phrase]
    if phrase in index.cities:
        return index.cities[phrase]
    if words[start] in NOT_PLACES or words[start + size - 1] in NOT_PLACES:
        return None
    if len(phrase) < 5 or (size == 1 and not phrase.isalpha()):
        return None
    cutoff = LOCATE_CUTOFF if cued else MESSAGE_CUTOFF
    match = process.extractOne(phrase, index.city_names, scorer=fuzz.ratio, score_cutoff=cutoff)
    if match and (size > 1 or match[0] not in COMMON_WORD_PLACES or cued):
        return index.cities[match[0]]
    return None


def distance_miles(a: Tuple[float, float], b: Tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, h)))
