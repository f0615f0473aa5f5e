"""The real actions reading the sample Oregon catalogue, in a throw-away SQLite copy."""

from __future__ import annotations

import pytest

from actions import catalogue_access
from bot.prepare import prepare_database
from knowledge.catalogue import Catalogue


@pytest.fixture(scope="module")
def sample_catalogue(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('catalogue') / 'navigator.db'}"
    prepare_database(url)
    catalogue = Catalogue(url=url)
    previous, catalogue_access._catalogue = catalogue_access._catalogue, catalogue
    yield catalogue
    catalogue_access._catalogue = previous
    catalogue.close()
