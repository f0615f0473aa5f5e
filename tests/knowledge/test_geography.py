"""Offline geography: ZIP, city and county lookups, typos, places inside messages."""

from __future__ import annotations

import time

import pytest

from knowledge.geography import (
    OREGON_COUNTIES,
    distance_miles,
    find_places,
    locate,
    normalize_county,
    zip_coordinates,
)


def test_thirty_six_counties():
    assert len(OREGON_COUNTIES) == 36 and "Hood River" in OREGON_COUNTIES


def test_zip_coordinates():
    lat, lon = zip_coordinates("97301")
    assert 44.8 < lat < 45.1 and -123.2 < lon < -122.8
    assert zip_coordinates("97301-1234") == (lat, lon)
    assert zip_coordinates("hello") is None
    assert zip_coordinates(None) is None


@pytest.mark.parametrize("text, kind, name, county", [
    ("97301", "zip", "97301", "Marion"),
    ("Salem", "city", "Salem", "Marion"),
    ("salem, or", "city", "Salem", "Marion"),
    ("Portland", "city", "Portland", "Multnomah"),
    ("the dalles", "city", "The Dalles", "Wasco"),
    ("Marion", "county", "Marion", "Marion"),
    ("marion county", "county", "Marion", "Marion"),
    ("Hood River County", "county", "Hood River", "Hood River"),
    ("Portlnd", "city", "Portland", "Multnomah"),
    ("Sallem", "city", "Salem", "Marion"),
    ("eugen", "city", "Eugene", "Lane"),
    ("multnoma", "county", "Multnomah", "Multnomah"),
    ("multnoma county", "county", "Multnomah", "Multnomah"),
    # A two-word name's local short form: the first word cut to its initial.
    ("K-Falls", "city", "Klamath Falls", "Klamath"),
    ("w linn", "city", "West Linn", "Clackamas"),
    # The Spanish way to name a county.
    ("condado de lane", "county", "Lane", "Lane"),
    ("el condado de Hood River", "county", "Hood River", "Hood River"),
])
def test_locate(text, kind, name, county):
    place = locate(text)
    assert place is not None, text
    assert (place.kind, place.name, place.county) == (kind, name, county)


@pytest.mark.parametrize("text", ["", "   ", "xyz", "welding", "10001", "97"])
def test_locate_nothing(text):
    assert locate(text) is None


def test_county_centre_is_inside_oregon():
    place = locate("Lane County")
    assert 43.4 < place.latitude < 44.4 and -124.2 < place.longitude < -122.0


def test_normalize_county():
    assert normalize_county("marion county") == "Marion"
    assert normalize_county("Multnoma") == "Multnomah"
    assert normalize_county("hood river") == "Hood River"
    assert normalize_county("Narnia") is None
    assert normalize_county(None) is None


@pytest.mark.parametrize("message, names", [
    ("i want to b a welder in salem", ["Salem"]),
    ("i want to b a welder salem", ["Salem"]),
    ("looking for evening classes in the dalles", ["The Dalles"]),
    ("i live in lane county and want cna", ["Lane"]),
    ("im in portlnd", ["Portland"]),
    ("need daycare near 97402", ["97402"]),
    ("grants pass or medford", ["Grants Pass", "Medford"]),
    ("i live in bend", ["Bend"]),
    ("cna classes n k falls", ["Klamath Falls"]),
    ("i live n bend", ["Bend"]),  # "n" is "in", not North Bend's initial
    ("vivo en el condado de umatilla y necesito raite", ["Umatilla"]),
    ("online classes so i can work remote", []),
    ("i want to train as a nurse", []),
    ("how much do welders make", []),
    ("my kid needs daycare when i go to class", []),
    ("cuanto cuesta", []),
])
def test_find_places(message, names):
    assert [p.name for p in find_places(message)] == names


def test_distance_portland_salem():
    miles = distance_miles(locate("Portland").point, locate("Salem").point)
    assert 35 <= miles <= 55
    assert distance_miles((45.0, -123.0), (45.0, -123.0)) == 0


def test_fast_after_warm_up():
    locate("Salem")
    find_places("warm up")
    started = time.perf_counter()
    for word in ["Portlnd", "Sallem", "eugen", "multnoma", "97301"] * 40:
        locate.__wrapped__(word)  # skip the memo: measure the real lookup
    per_call = (time.perf_counter() - started) / 200
    assert per_call < 0.001
