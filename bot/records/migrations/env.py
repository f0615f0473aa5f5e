"""Alembic environment of the navigator tables. The catalogue's tables (and Rasa's
tracker tables, when they share the database) belong to other histories: autogenerate
compares only this package's tables."""

from __future__ import annotations

from alembic import context

from bot.records.schema import VERSION_TABLE
from bot.records.tables import metadata
from knowledge.db import make_engine

config = context.config


def ours(item, name, type_, _reflected, _compare_to) -> bool:
    table = name if type_ == "table" else getattr(getattr(item, "table", None), "name", None)
    return table is None or table in metadata.tables


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=VERSION_TABLE,
            include_object=ours,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
