"""Fresh catalogue databases for the bundle tests, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.knowledge.bundles import ready
from tests.postgres import throwaway_database


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = ready(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def second_database_url(database_url, tmp_path) -> Iterator[str]:
    """Another fresh, empty database of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    with throwaway_database() as url:
        yield url
