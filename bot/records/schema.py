"""Brings the navigator database up to date: the catalogue's history (knowledge/), then
the navigator's own (bot/records/migrations, version table navigator_alembic_version)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config

from knowledge import schema as catalogue_schema
from knowledge.db import database_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "navigator_alembic_version"


def alembic_config(url: Optional[str] = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would read "%" in a password as a variable.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: Optional[str] = None) -> None:
    """Creates or migrates every table, catalogue and navigator; safe at every start."""
    catalogue_schema.upgrade(url)
    command.upgrade(alembic_config(url), "head")
