"""Brings a database's schema up to date with Alembic (the migrations in knowledge/migrations)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData

from knowledge.db import database_url, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: Optional[str] = None, migrations: Path = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    # ConfigParser interpolation would read "%" in a password as a variable.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: Optional[str] = None) -> None:
    """Creates or migrates every table; safe to run at every start."""
    command.upgrade(alembic_config(url), "head")


def run_migrations(metadata: MetaData, version_table: str = "alembic_version") -> None:
    """The body of an env.py: migrates the configured URL for `metadata`'s tables only
    (the catalogue's and the navigator's histories share one database)."""

    def ours(item, name, type_, _reflected, _compare_to) -> bool:
        table = name if type_ == "table" else getattr(getattr(item, "table", None), "name",
                                                      None)
        return table is None or table in metadata.tables

    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            include_object=ours,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
