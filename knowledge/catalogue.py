"""The catalogue as actions see it: async searches that never block the event loop.

Each call runs the sync search (`knowledge.search`) in this catalogue's thread pool
with its own short session, so one slow query never stalls other conversations.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from knowledge import db, search
from knowledge.search import (
    CredentialDetails,
    OccupationWage,
    PathwayResult,
    ProgramResult,
    ProviderResult,
    ServiceResult,
)

T = TypeVar("T")
DEFAULT_WORKERS = 8  # below the default connection pool size (5 + 10 overflow)


class Catalogue:
    """Programs, services, ladders, credentials, providers and wages, awaitable."""

    def __init__(self, engine: Optional[Engine] = None, *, url: Optional[str] = None,
                 max_workers: int = DEFAULT_WORKERS) -> None:
        self._engine = engine
        self._url = url
        self._owns_engine = engine is None
        self._max_workers = max_workers
        self._sessions: Optional[sessionmaker] = None
        self._executor: Optional[ThreadPoolExecutor] = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> Catalogue:
        """A catalogue on NAVIGATOR_DATABASE_URL; the engine is made on first use."""
        return cls(url=None)

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = db.make_engine(self._url or db.database_url())
            return self._engine

    async def programs(self, **filters: Any) -> List[ProgramResult]:
        """See `knowledge.search.search_programs` for the filters."""
        return await self._run(search.search_programs, **filters)

    async def program(self, program_id: str) -> Optional[ProgramResult]:
        return await self._run(search.program_by_id, program_id)

    async def services(self, **filters: Any) -> List[ServiceResult]:
        return await self._run(search.search_services, **filters)

    async def pathway(self, **query: Any) -> List[PathwayResult]:
        return await self._run(search.pathway_for, **query)

    async def credential(self, id_or_name: str) -> Optional[CredentialDetails]:
        return await self._run(search.credential_details, id_or_name)

    async def provider(self, name_or_alias: str) -> Optional[ProviderResult]:
        return await self._run(search.find_provider, name_or_alias)

    async def navigator_team(self, program_id: Optional[str] = None,
                             county: Optional[str] = None) -> Optional[str]:
        return await self._run(search.navigator_team, program_id, county)

    async def wages(self, text: str, **options: Any) -> List[OccupationWage]:
        return await self._run(search.occupation_wages, text, **options)

    async def warm(self) -> None:
        """Build the search index now rather than on a learner's first question."""
        await self._run(search.catalogue_index)

    def close(self) -> None:
        """Stop the worker threads; dispose of the engine if this catalogue made it."""
        with self._lock:
            executor, self._executor = self._executor, None
            engine = self._engine
            if self._owns_engine:
                self._engine, self._sessions = None, None
        if executor is not None:
            executor.shutdown(wait=True)
        if engine is not None and self._owns_engine:
            engine.dispose()

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(self._in_session, fn, *args, **kwargs)
        return await loop.run_in_executor(self._pool(), call)

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self._max_workers, thread_name_prefix="catalogue"
                )
            return self._executor

    def _in_session(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._sessions is None:
            self._sessions = db.make_sessionmaker(self.engine)
        session: Session
        with self._sessions() as session:
            return fn(session, *args, **kwargs)
