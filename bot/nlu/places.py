"""Oregon place names for the matcher: cities and ZIP codes (zipcodes package), counties.

Values follow `knowledge.geography.locate`, which turns them back into places: a city
as the zipcodes table names it ("Salem"), a county as "Marion County" (so it is never
confused with the city of Marion), a ZIP code as its five digits.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Dict, Tuple

import zipcodes

from bot.nlu.terms import PLACE, RANK_ALIAS, RANK_NAME, Target, TermIndex
from bot.nlu.words import WordFrequency
from knowledge.oregon import OREGON_COUNTIES


@lru_cache(maxsize=1)
def _oregon_zips() -> Tuple[Tuple[str, str, str], ...]:
    """(zip, city, county) rows; the zipcodes table takes a moment to scan."""
    return tuple(
        (row["zip_code"], row["city"].title(), row["county"].removesuffix(" County"))
        for row in zipcodes.filter_by(state="OR")
    )


def _city_counties() -> Dict[str, str]:
    """City -> the county holding most of its ZIP codes (Portland spans three)."""
    votes: Dict[str, Counter] = {}
    for _zip, city, county in _oregon_zips():
        if county in OREGON_COUNTIES:
            votes.setdefault(city, Counter())[county] += 1
    return {city: counter.most_common(1)[0][0] for city, counter in votes.items()}


def place_terms(words: WordFrequency) -> TermIndex:
    index = TermIndex()
    cities = _city_counties()
    for city, county in cities.items():
        info = (("kind", "city"), ("county", county))
        index.add(city, Target(PLACE, city, RANK_NAME, info))
        # "Bend", "Boring", "Sisters": everyday words that need a hint they mean a town.
        if " " not in city and words.is_everyday(city):
            index.context_required.add(city.lower())
    for zip_code, city, county in _oregon_zips():
        if county in OREGON_COUNTIES:
            info = (("kind", "zip"), ("city", city), ("county", county))
            index.add(zip_code, Target(PLACE, zip_code, RANK_NAME, info))
    for county in OREGON_COUNTIES:
        value = f"{county} County"
        info = (("kind", "county"), ("county", county))
        for phrase in (value, f"{county} Co", f"{county} Co."):
            index.add(phrase, Target(PLACE, value, RANK_NAME, info))
        if county in cities:
            continue  # "Marion", "Hood River" alone already name a city in that county
        index.add(county, Target(PLACE, value, RANK_ALIAS, info))
        # Bare county names are often people or states ("Jackson", "Washington").
        if words.is_known(county) or words.is_everyday(county):
            index.context_required.add(county.lower())
    return index
