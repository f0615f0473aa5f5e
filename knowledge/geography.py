"""Where a learner is, offline: ZIP code, city or county (misspellings too) → Oregon place.

Built on the `zipcodes` package's data (it ships the US ZIP table), indexed once per
process on first use.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from statistics import fmean
from typing import Dict, List, Optional, Tuple

import zipcodes
from rapidfuzz import fuzz, process

from knowledge.oregon import OREGON_COUNTIES

EARTH_RADIUS_MILES = 3958.8
ZIP_RE = re.compile(r"\b(9[78]\d{3})\b")  # Oregon ZIPs start 97 (and a few 98/99 nearby)
WORD_RE = re.compile(r"[a-z][a-z.'-]*")
# Short or common words that happen to be place names would give false matches.
NOT_PLACES = frozenset({"to", "in", "on", "at", "me", "the", "and", "for", "work", "help",
                        "care", "day", "home", "school", "class", "classes", "job", "lake",
                        "union", "grant", "mill", "rock", "sun", "star"})


@dataclass(frozen=True)
class Place:
    kind: str  # "zip", "city" or "county"
    name: str
    county: str
    zip: Optional[str]
    latitude: float
    longitude: float


@dataclass(frozen=True)
class _Index:
    by_zip: Dict[str, Place]
    cities: Dict[str, Place]  # lower-case city name -> place
    counties: Dict[str, Place]  # lower-case county name -> place


@lru_cache(maxsize=1)
def _index() -> _Index:
    rows = [r for r in zipcodes.filter_by(state="OR") if r.get("lat") and r.get("long")]
    by_zip: Dict[str, Place] = {}
    city_points: Dict[Tuple[str, str], List[Tuple[float, float]]] = {}
    county_points: Dict[str, List[Tuple[float, float]]] = {}
    for row in rows:
        county = row["county"].removesuffix(" County")
        point = (float(row["lat"]), float(row["long"]))
        by_zip[row["zip_code"]] = Place("zip", row["zip_code"], county, row["zip_code"], *point)
        city_points.setdefault((row["city"].title(), county), []).append(point)
        county_points.setdefault(county, []).append(point)
    cities: Dict[str, Place] = {}
    for (city, county), points in sorted(city_points.items(), key=lambda kv: -len(kv[1])):
        # A city name in two counties keeps the one with more ZIP codes (the main one).
        cities.setdefault(city.lower(), Place(
            "city", city, county, None, fmean(p[0] for p in points), fmean(p[1] for p in points)
        ))
    counties = {
        name.lower(): Place("county", name, name, None,
                            fmean(p[0] for p in county_points[name]),
                            fmean(p[1] for p in county_points[name]))
        for name in OREGON_COUNTIES if name in county_points
    }
    return _Index(by_zip, cities, counties)


def zip_coordinates(zip_code: Optional[str]) -> Optional[Tuple[float, float]]:
    if not zip_code:
        return None
    place = _index().by_zip.get(zip_code.strip()[:5])
    if place is None:
        found = zipcodes.matching(zip_code.strip()[:5]) if zip_code.strip()[:5].isdigit() else []
        if found and found[0].get("lat"):
            return float(found[0]["lat"]), float(found[0]["long"])
        return None
    return place.latitude, place.longitude


def normalize_county(name: str) -> Optional[str]:
    text = re.sub(r"\s+county$", "", name.strip().lower())
    place = _index().counties.get(text)
    if place:
        return place.name
    match = process.extractOne(text, list(_index().counties), scorer=fuzz.ratio,
                               score_cutoff=80)
    return _index().counties[match[0]].name if match else None


def locate(text: str) -> Optional[Place]:
    """The place a short answer names: "97301", "Salem", "marion county", "Portlnd"."""
    if not text or not text.strip():
        return None
    text = text.strip().lower().rstrip(".,!?")
    index = _index()
    found = ZIP_RE.search(text)
    if found:
        return index.by_zip.get(found.group(1))
    text = re.sub(r",?\s*(oregon|or)$", "", text).strip()
    text = re.sub(r"^(in|near|at|around|from)\s+", "", text)
    if text.endswith(" county") or text.endswith(" co"):
        county = normalize_county(re.sub(r"\s+co(unty)?$", "", text))
        return index.counties[county.lower()] if county else None
    if text in index.cities:
        return index.cities[text]
    if text in index.counties:
        return index.counties[text]
    if len(text) < 4 or text in NOT_PLACES:
        return None
    match = process.extractOne(text, list(index.cities), scorer=fuzz.ratio, score_cutoff=80)
    if match:
        return index.cities[match[0]]
    county = normalize_county(text)
    return index.counties[county.lower()] if county else None


def find_places(message: str) -> List[Place]:
    """Places mentioned inside a longer message ("i want to b a welder in salem")."""
    text = message.lower()
    places: List[Place] = [p for z in ZIP_RE.findall(text) if (p := _index().by_zip.get(z))]
    words = WORD_RE.findall(text)
    used = set()
    for size in (3, 2, 1):  # longest first: "the dalles", "hood river county"
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            if used.intersection(span):
                continue
            phrase = " ".join(words[start:start + size])
            if size == 1 and (phrase in NOT_PLACES or len(phrase) < 4):
                continue
            nxt = words[start + size] if start + size < len(words) else ""
            place = locate(phrase + (" county" if nxt == "county" else ""))
            if place and (size > 1 or phrase in _index().cities or phrase in _index().counties
                          or len(phrase) >= 5):
                places.append(place)
                used.update(span)
    return places


def distance_miles(a: Tuple[float, float], b: Tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))
