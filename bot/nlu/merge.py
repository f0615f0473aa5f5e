"""How knowledge-base entities join the ones earlier extractors (the trained CRF) found.

The rule, for a knowledge-base entity K (types: program, credential, occupation,
provider, service_category, place) and the earlier entities E whose spans overlap it:

1. E has K's type: E stays (span, extractor, confidence) and takes K's value, the way
   EntitySynonymMapper normalises one; K's name is added to E's `processors`. The
   value is then a record id checked against the database, not the words typed, and the
   slot sees one value, not two. K itself is not added.
2. E has another knowledge-base type: both stay (one phrase can name a credential and
   the program that leads to it).
3. E has a type outside the knowledge base (schedule, modality, cost, language…): E
   stays and K is dropped. Those are the CRF's to decide; one span gets one reading. But
   when K is a longer name holding E ("John Day" holding the "day" of a schedule), K
   is the name and E goes.

Earlier entities that overlap nothing are untouched, so the CRF still covers phrasings the
catalogue does not list, and its own scores in `rasa test nlu` keep its spans. One
exception: an earlier entity of a knowledge-base type made only of function words ("in"
as an occupation, which a DIET training once produced) is dropped, as no record is named so;
and so is an earlier place inside a longer job, program or credential name that the
place matcher did not confirm ("center" in "call center").
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from spacy.lang.en.stop_words import STOP_WORDS

from bot.nlu.terms import ENTITY_TYPES

Entity = Dict[str, Any]
JOB_TYPES = frozenset({"occupation", "program", "credential"})


def _overlap(a: Entity, b: Entity) -> bool:
    if None in (a.get("start"), a.get("end"), b.get("start"), b.get("end")):
        return False  # an entity without offsets cannot be placed, so it conflicts with none
    return a["start"] < b["end"] and b["start"] < a["end"]


def _within(inner: Entity, outer: Entity) -> bool:
    """`inner` lies inside `outer`, which is longer."""
    return (outer["start"] <= inner["start"] and inner["end"] <= outer["end"]
            and outer["end"] - outer["start"] > inner["end"] - inner["start"])


def _normalised(earlier: Entity, found: Entity, extractor: str) -> Entity:
    processors = list(earlier.get("processors", []))
    if extractor not in processors:
        processors.append(extractor)
    return {
        **earlier,
        "value": found["value"],
        "processors": processors,
        "additional_info": found.get("additional_info", {}),
    }


def _names_nothing(entity: Entity) -> bool:
    value = entity.get("value")
    return (entity.get("entity") in ENTITY_TYPES and isinstance(value, str)
            and all(word in STOP_WORDS for word in value.lower().split()))


def merge_entities(earlier: Iterable[Entity], found: List[Entity], extractor: str) -> List[Entity]:
    # Our own entities from an earlier pass over the same message are redone, not doubled.
    merged = [e for e in earlier if e.get("extractor") != extractor and not _names_nothing(e)]
    others = [e for e in merged if e.get("entity") not in ENTITY_TYPES]
    added = []
    for entity in found:
        clashing = [other for other in others if _overlap(entity, other)]
        if clashing and not all(_within(other, entity) for other in clashing):
            continue
        # A longer name holding the CRF's find ("john day", not the "day" of a schedule)
        # is the name.
        merged = [e for e in merged if not any(e is other for other in clashing)]
        others = [e for e in others if not any(e is other for other in clashing)]
        same_type = [
            i
            for i, e in enumerate(merged)
            if e.get("entity") == entity["entity"] and _overlap(e, entity)
        ]
        for i in same_type:
            merged[i] = _normalised(merged[i], entity, extractor)
        if not same_type:
            added.append(entity)
    # A word of a job's name that the CRF read as a place ("center" in "call center") and
    # the place matcher did not confirm is no place.
    jobs = [e for e in found if e.get("entity") in JOB_TYPES]
    merged = [e for e in merged if not (
        e.get("entity") == "place" and extractor not in e.get("processors", [])
        and any(_within(e, job) for job in jobs))]
    return sorted(merged + added, key=lambda e: (e.get("start") or 0, e.get("end") or 0))
