"""The rule joining knowledge-base entities with DIET's (see bot.nlu.merge)."""

from __future__ import annotations

from bot.nlu.merge import merge_entities

KB = "KnowledgeBaseEntityMatcher"
DIET = "DIETClassifier"


def entity(kind: str, start: int, end: int, value: str, extractor: str) -> dict:
    return {"entity": kind, "start": start, "end": end, "value": value, "extractor": extractor}


def test_same_type_keeps_diets_entity_with_the_kb_value() -> None:
    diet = [{**entity("occupation", 0, 14, "welder classes", DIET), "confidence_entity": 0.7}]
    found = [{**entity("occupation", 0, 6, "51-4121", KB), "additional_info": {"matched": "x"}}]
    assert merge_entities(diet, found, KB) == [
        {
            **diet[0],
            "value": "51-4121",
            "processors": [KB],
            "additional_info": {"matched": "x"},
        }
    ]
    assert diet[0]["value"] == "welder classes"  # the caller's dicts are not changed


def test_other_kb_types_on_the_same_words_are_added() -> None:
    diet = [entity("program", 0, 3, "cna", DIET)]
    found = [entity("credential", 0, 3, "cna-1", KB)]
    assert merge_entities(diet, found, KB) == diet + found


def test_types_outside_the_kb_stay_and_the_kb_entity_steps_aside() -> None:
    diet = [entity("language", 0, 7, "spanish", DIET)]
    found = [entity("service_category", 0, 7, "language", KB)]
    assert merge_entities(diet, found, KB) == diet


def test_entities_that_do_not_overlap_are_all_kept_in_text_order() -> None:
    diet = [entity("occupation", 10, 16, "nurse", DIET)]
    found = [entity("place", 0, 5, "Salem", KB)]
    assert merge_entities(diet, found, KB) == found + diet


def test_entities_without_offsets_are_kept() -> None:
    loose = {"entity": "place", "value": "Salem", "extractor": "RegexEntityExtractor"}
    found = [entity("place", 0, 5, "Salem", KB)]
    assert merge_entities([loose], found, KB) == [loose, *found]


def test_a_second_pass_gives_the_same_result() -> None:
    diet = [entity("place", 0, 5, "salem", DIET)]
    found = [entity("place", 0, 5, "Salem", KB), entity("provider", 9, 12, "pcc", KB)]
    once = merge_entities(diet, found, KB)
    assert merge_entities(once, found, KB) == once


def test_a_kb_type_made_only_of_function_words_is_dropped() -> None:
    # "welding classes in salem": a DIET training once tagged "in" as an occupation,
    # and the search then looked for programs "for in".
    welding = entity("occupation", 0, 7, "welding", DIET)
    stray = entity("occupation", 16, 18, "in", DIET)
    schedule = entity("schedule", 20, 22, "on", DIET)  # not a knowledge-base type: DIET's call
    found = [entity("occupation", 0, 7, "51-4121", KB)]
    merged = merge_entities([welding, stray, schedule], found, KB)
    assert [(e["entity"], e["value"]) for e in merged] == [
        ("occupation", "51-4121"), ("schedule", "on")]


def test_a_longer_name_holding_a_diet_find_is_the_name() -> None:
    """"im in john day": the place John Day, not a daytime schedule."""
    diet = [entity("schedule", 11, 14, "day", DIET)]
    found = [entity("place", 6, 14, "John Day", KB)]
    assert merge_entities(diet, found, KB) == found


def test_a_word_of_a_job_name_is_no_place_unless_the_place_matcher_says_so() -> None:
    """"3 yrs in call center": DIET read "center" as a place; "hood river welding" names
    a real place the place matcher confirms, so it stays."""
    stray = entity("place", 16, 22, "center", DIET)
    job = entity("occupation", 11, 22, "43-4051", KB)
    assert merge_entities([stray], [job], KB) == [job]
    town = entity("place", 0, 10, "hood river", DIET)
    confirmed = entity("place", 0, 10, "Hood River", KB)
    program = entity("program", 0, 18, "hr-welding", KB)
    merged = merge_entities([town], [confirmed, program], KB)
    assert [(e["entity"], e["value"]) for e in merged] == [
        ("place", "Hood River"), ("program", "hr-welding")]
