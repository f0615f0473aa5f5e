"""Brings the navigator database up to date: the catalogue's history (knowledge/), then
the navigator's own (bot/records/migrations, version table navigator_alembic_version)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config

from knowledge import schema as catalogue_schema

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "navigator_alembic_version"


def alembic_config(url: Optional[str] = None) -> Config:
    return catalogue_schema.alembic_config(url, MIGRATIONS)


def upgrade(url: Optional[str] = None) -> None:
    """Creates or migrates every table, catalogue and navigator; safe at every start."""
    catalogue_schema.upgrade(url)
    command.upgrade(alembic_config(url), "head")
