"""The real actions reading the sample Oregon catalogue, in a throw-away SQLite copy; what
they store (referrals, search outcomes) goes to the same copy, never to var/."""

from __future__ import annotations

import pytest

from actions import catalogue_access, store_access
from bot.prepare import prepare_database
from knowledge.catalogue import Catalogue
from knowledge.db import make_engine


@pytest.fixture(scope="module")
def sample_catalogue(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('catalogue') / 'navigator.db'}"
    prepare_database(url)
    catalogue = Catalogue(url=url)
    previous, catalogue_access._catalogue = catalogue_access._catalogue, catalogue
    engine = make_engine(url)
    previous_engine, store_access._engine = store_access._engine, engine
    yield catalogue
    catalogue_access._catalogue = previous
    store_access._engine = previous_engine
    engine.dispose()
    catalogue.close()
