"""Every knowledge test runs against both SQLite and PostgreSQL, each test on a fresh
database so tests never see each other's catalogue."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.postgres import throwaway_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A URL to a fresh, empty database (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.db'}"
        return
    with throwaway_database() as url:
        yield url
