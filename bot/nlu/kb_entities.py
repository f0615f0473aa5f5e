"""Rasa NLU component: entities for the records in the knowledge base, read from its database.

In config.yml, after CRFEntityExtractor and before EntitySynonymMapper:

    - name: bot.nlu.kb_entities.KnowledgeBaseEntityMatcher

It needs the spaCy pipeline from `python -m bot.nlu.spacy_assets` (built on first use
otherwise) and reads the database named by NAVIGATOR_DATABASE_URL, the one the action
server reads. Nothing comes from the training data, so the model never needs retraining
for a new program.

| entity | from | value |
|---|---|---|
| program | program titles, keywords | program id (a keyword several programs share yields none) |
| credential | credential names, keywords | credential id |
| occupation | occupation titles, keywords; program keywords | SOC code |
| provider | provider names, aliases | provider id |
| service_category | category names, service keywords and names | category |
| place | Oregon cities, ZIP codes, counties | "Salem", "97301", "Marion County" |

Each entity also has `additional_info`: the phrase matched, how (exact, lemma, joined,
fuzzy), other candidate values, and for places the kind and county.

Fresh catalogue without retraining: the phrases are read when Rasa loads the model, then
at most every `refresh_interval_seconds` a message starts a background check of the
catalogue's fingerprint (newest import id and row counts); when it changed the phrases
are rebuilt off the request path and swapped in. An edit that keeps the row counts and
bypasses the importer is seen after a restart. If the database is unreachable or empty
the matcher logs a warning and keeps place names only, retrying on later checks.

Combining with the trained extractor (details in `bot.nlu.merge`): where it found the same
entity type on overlapping words, its entity stays and takes the knowledge-base value (like
EntitySynonymMapper); its entities of other types (schedule, cost…) win their words;
everything else found here is added.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.catalogue import CatalogueReader
from bot.nlu.matcher import Match, TermMatcher
from bot.nlu.merge import Entity, merge_entities
from bot.nlu.places import place_terms
from bot.nlu.refresh import Refresher
from bot.nlu.spacy_assets import load_pipeline
from bot.nlu.terms import PLACE, TermIndex, resolve
from bot.nlu.words import WordFrequency
from knowledge.db import database_url

logger = logging.getLogger(__name__)
MAX_TEXT = 1000  # characters of a message the matcher reads


class MatcherFactory:
    """Builds a complete matcher (own spaCy pipeline, so a rebuild shares nothing in use)."""

    def __init__(self, pipeline_dir: Optional[Path], fuzzy: bool) -> None:
        self._pipeline_dir = pipeline_dir
        self._fuzzy = fuzzy

    def build(self, catalogue: TermIndex) -> TermMatcher:
        nlp = load_pipeline(self._pipeline_dir)
        words = WordFrequency(nlp)
        index = place_terms(words)
        index.update(catalogue)
        return TermMatcher(nlp, index, words, fuzzy=self._fuzzy)


def _catalogue_loader(
    reader: CatalogueReader, factory: MatcherFactory
) -> Callable[[], TermMatcher]:
    def build() -> TermMatcher:
        terms = reader.terms()
        if not terms.targets:
            logger.warning(
                "The knowledge base at %s is empty: the entity matcher knows place names only.",
                reader.url,
            )
        return factory.build(terms)

    return build


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class KnowledgeBaseEntityMatcher(GraphComponent, EntityExtractorMixin):
    """Finds programs, credentials, occupations, providers, services and places by name."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # How often (at most) a message may start a check for a changed catalogue.
            "refresh_interval_seconds": 30,
            # Defaults to NAVIGATOR_DATABASE_URL, as the action server uses.
            "database_url": None,
            # Defaults to NAVIGATOR_SPACY_DIR or var/spacy/en_lookup.
            "spacy_pipeline": None,
            "fuzzy": True,
            # How long model loading waits for the first catalogue read before going on.
            "initial_load_seconds": 10,
        }

    def __init__(self, refresher: Refresher[TermMatcher]) -> None:
        self._refresher = refresher

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeBaseEntityMatcher:
        return cls.from_config(config)

    @classmethod
    def from_config(cls, config: Optional[Dict[str, Any]] = None) -> KnowledgeBaseEntityMatcher:
        config = {**cls.get_default_config(), **(config or {})}
        pipeline = Path(config["spacy_pipeline"]) if config["spacy_pipeline"] else None
        factory = MatcherFactory(pipeline, bool(config["fuzzy"]))
        reader = CatalogueReader(config["database_url"] or database_url())
        refresher = Refresher(
            fallback=lambda: factory.build(TermIndex()),
            fingerprint=reader.fingerprint,
            build=_catalogue_loader(reader, factory),
            interval_seconds=float(config["refresh_interval_seconds"]),
            describe=lambda matcher: f"{len(matcher.index)} phrases",
        )
        refresher.start(float(config["initial_load_seconds"]))
        return cls(refresher)

    def process(self, messages: List[Message]) -> List[Message]:
        self._refresher.poll()
        matcher = self._refresher.current
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            # Learners write short messages; a 100 KB paste must not cost minutes of matching.
            text = text[:MAX_TEXT]
            found = [
                entity for match in matcher.find(text) for entity in self._entities(matcher, match)
            ]
            merged = merge_entities(message.get(ENTITIES, []), found, self.name)
            message.set(ENTITIES, merged, add_to_output=True)
        return messages

    def _entities(self, matcher: TermMatcher, match: Match) -> List[Entity]:
        entities = []
        targets = matcher.index.targets.get(match.term, [])
        if not match.as_place:
            targets = [t for t in targets if t.entity != PLACE]
        for answer in resolve(targets):
            info: Dict[str, Any] = {"matched": match.term, "method": match.method}
            if len(answer.candidates) > 1:
                info["candidates"] = list(answer.candidates)
            info.update(answer.info)
            entities.append(
                {
                    "entity": answer.entity,
                    "start": match.start,
                    "end": match.end,
                    "value": answer.value,
                    "confidence": match.confidence,
                    "extractor": self.name,
                    "additional_info": info,
                }
            )
        return entities
