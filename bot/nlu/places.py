"""Oregon place names for the matcher: cities and ZIP codes (zipcodes package), counties.

Values follow `knowledge.geography.locate`, which turns them back into places: a city
as the zipcodes table names it ("Salem"), a county as "Marion County" (so it is never
confused with the city of Marion), a ZIP code as its five digits.

Each name is listed in the spellings learners type (`knowledge.geography.spellings`):
"st. helens", "mt angel", "dalles", "hood-river", "lane co."; run-together words
("hoodriver") and typos are the matcher's own work.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Dict, Set, Tuple

import zipcodes

from bot.nlu.terms import PLACE, RANK_ALIAS, RANK_NAME, Target, TermIndex
from bot.nlu.words import WordFrequency
from knowledge.geography import also_known_as, spellings
from knowledge.oregon import OREGON_COUNTIES

# What learners write after a county's name.
COUNTY_WORDS = ("county", "co", "co.", "cnty")


@lru_cache(maxsize=1)
def _oregon_zips() -> Tuple[Tuple[str, str, str], ...]:
    """(zip, city, county) rows; the zipcodes table takes a moment to scan.

    A few ZIP codes have no county in the table (a PO box, one firm's own ZIP): they take
    their city's, as `locate` does, rather than being left out.
    """
    rows = zipcodes.filter_by(state="OR")
    votes: Dict[str, Counter] = {}
    for row in rows:
        if row["county"]:
            votes.setdefault(row["city"], Counter())[row["county"]] += 1
    return tuple(
        (row["zip_code"], row["city"].title(),
         (row["county"] or votes[row["city"]].most_common(1)[0][0]).removesuffix(" County"))
        for row in rows
        if row["county"] or row["city"] in votes
    )


def _city_counties() -> Dict[str, str]:
    """City -> the county holding most of its ZIP codes (Portland spans three).

    New Pine Creek's one ZIP code lies in Modoc County, California, by the table; it is
    kept, with that county, as `locate` keeps it.
    """
    votes: Dict[str, Counter] = {}
    for _zip, city, county in _oregon_zips():
        votes.setdefault(city, Counter())[county] += 1
    cities = {city: counter.most_common(1)[0][0] for city, counter in votes.items()}
    # Names the table accepts for other cities' ZIP codes (Tigard, Milwaukie), as
    # `locate` reads them: never in place of a city's own name.
    county_of_zip = {zip_code: county for zip_code, _city, county in _oregon_zips()}
    for row in zipcodes.filter_by(state="OR"):
        for name in also_known_as(row):
            if row["zip_code"] in county_of_zip:
                cities.setdefault(name.title(), county_of_zip[row["zip_code"]])
    return cities


def _near_a_cue(spelling: str, names: Set[str]) -> bool:
    """Whether a short form is too close to a cue and another place: "ft klamath" is two
    letters off "n klamath" (i live n Klamath County), which the matcher's typo pass
    would read as Fort Klamath. Left out; "Ft Klamath" as typed is one letter off
    "ft. klamath" and still found."""
    short, _, rest = spelling.partition(" ")
    return short in ("st", "mt", "ft") and rest.strip() in names


def place_terms(words: WordFrequency) -> TermIndex:
    index = TermIndex()
    cities = _city_counties()
    names = {name.lower() for name in (*cities, *OREGON_COUNTIES)}
    for city, county in cities.items():
        info = (("kind", "city"), ("county", county))
        for spelling in spellings(city):
            if not _near_a_cue(spelling, names):
                index.add_spelling(spelling, Target(PLACE, city, RANK_NAME, info))
        # "Bend", "Boring", "Sisters": everyday words that need a hint they mean a town.
        if " " not in city and words.is_everyday(city):
            index.context_required.add(city.lower())
    for zip_code, city, county in _oregon_zips():
        info = (("kind", "zip"), ("city", city), ("county", county))
        index.add(zip_code, Target(PLACE, zip_code, RANK_NAME, info))
    for county in OREGON_COUNTIES:
        value = f"{county} County"
        info = (("kind", "county"), ("county", county))
        for spelling in spellings(county):
            for word in COUNTY_WORDS:
                index.add_spelling(f"{spelling} {word}", Target(PLACE, value, RANK_NAME, info))
            # Spanish: "condado de lane", "el condado de Marion".
            index.add_spelling(f"condado de {spelling}", Target(PLACE, value, RANK_NAME, info))
        if county in cities:
            continue  # "Marion", "Hood River" alone already name a city in that county
        for spelling in spellings(county):
            index.add_spelling(spelling, Target(PLACE, value, RANK_ALIAS, info))
        # Bare county names are often people or states ("Jackson", "Washington").
        if words.is_known(county) or words.is_everyday(county):
            index.context_required.add(county.lower())
    return index
