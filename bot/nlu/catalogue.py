"""Reads the names learners use for catalogue records out of the knowledge-base database.

Read-only, and careful with SQLite: a database file that does not exist yet is reported
as unavailable instead of being created empty under the importer's feet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Hashable, List, Optional, Set

from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from bot.nlu.terms import (
    CREDENTIAL,
    OCCUPATION,
    PROGRAM,
    PROVIDER,
    RANK_ALIAS,
    RANK_DERIVED,
    RANK_KEYWORD,
    RANK_NAME,
    SERVICE_CATEGORY,
    Target,
    TermIndex,
)
from knowledge.db import make_engine
from knowledge.models import (
    CatalogueImport,
    Credential,
    Occupation,
    Program,
    Provider,
    Service,
    program_occupations,
)

# Category names too general to mean a service on their own ("career" is the bot's topic).
_UNSPOKEN_CATEGORIES = frozenset({"other", "career"})


class CatalogueUnavailable(RuntimeError):
    """The database cannot be read (missing, unreachable, no schema)."""


class CatalogueReader:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Optional[Engine] = None

    def _connectable(self) -> Engine:
        if self._engine is None:
            parsed = make_url(self.url)
            database = parsed.database or ""
            if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:"):
                if not Path(database).exists():
                    raise CatalogueUnavailable(f"no database file at {database}")
            self._engine = make_engine(self.url)
        return self._engine

    def fingerprint(self) -> Hashable:
        """Changes whenever an import runs or rows are added or removed; one small query."""
        counts = [
            select(func.count()).select_from(model.__table__).scalar_subquery()
            for model in (Program, Credential, Occupation, Provider, Service)
        ]
        newest_import = select(func.max(CatalogueImport.id)).scalar_subquery()
        with self._connectable().connect() as connection:
            return tuple(connection.execute(select(newest_import, *counts)).one())

    def terms(self) -> TermIndex:
        index = TermIndex()
        with Session(self._connectable(), future=True) as session:
            _add_programs(session, index)
            for id_, name, keywords in session.execute(
                select(Credential.id, Credential.name, Credential.keywords)
            ):
                _add_named(index, CREDENTIAL, id_, name, [], keywords)
            for soc, title, keywords in session.execute(
                select(Occupation.soc, Occupation.title, Occupation.keywords)
            ):
                _add_named(index, OCCUPATION, soc, title, [], keywords)
            for id_, name, aliases in session.execute(
                select(Provider.id, Provider.name, Provider.aliases)
            ):
                _add_named(index, PROVIDER, id_, name, aliases, [])
            _add_services(session, index)
        return index

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _add_named(
    index: TermIndex,
    entity: str,
    value: str,
    name: str,
    aliases: Optional[List[str]],
    keywords: Optional[List[str]],
) -> None:
    index.add(name, Target(entity, value, RANK_NAME))
    for alias in aliases or []:
        index.add(alias, Target(entity, value, RANK_ALIAS))
    for keyword in keywords or []:
        index.add(keyword, Target(entity, value, RANK_KEYWORD))


def _add_programs(session: Session, index: TermIndex) -> None:
    # A program's keywords ("welder") also say what job the learner wants: its occupation.
    main_occupation: Dict[str, str] = {}
    for program_id, soc in session.execute(
        select(program_occupations.c.program_id, program_occupations.c.soc).order_by(
            program_occupations.c.program_id, program_occupations.c.position
        )
    ):
        main_occupation.setdefault(program_id, soc)
    # Only a keyword that every program using it leads to the same job says the job:
    # "english" on a GED-and-customer-service program is not a wish to work in retail.
    jobs_of: Dict[str, Set[Optional[str]]] = {}
    for id_, title, keywords in session.execute(
        select(Program.id, Program.title, Program.keywords)
    ):
        _add_named(index, PROGRAM, id_, title, [], keywords)
        for keyword in keywords or []:
            jobs_of.setdefault(keyword.strip().lower(), set()).add(main_occupation.get(id_))
    for keyword, jobs in jobs_of.items():
        if len(jobs) == 1 and None not in jobs:
            index.add(keyword, Target(OCCUPATION, next(iter(jobs)), RANK_DERIVED))


def _add_services(session: Session, index: TermIndex) -> None:
    for category, name, keywords in session.execute(
        select(Service.category, Service.name, Service.keywords)
    ):
        if category not in _UNSPOKEN_CATEGORIES:
            index.add(category.replace("_", " "), Target(SERVICE_CATEGORY, category, RANK_NAME))
        for keyword in keywords or []:
            index.add(keyword, Target(SERVICE_CATEGORY, category, RANK_KEYWORD))
        index.add(name, Target(SERVICE_CATEGORY, category, RANK_DERIVED))
