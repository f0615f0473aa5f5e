"""The async catalogue: same answers as the search functions, off the event loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from knowledge import search
from knowledge.catalogue import Catalogue
from knowledge.db import make_engine
from knowledge.geography import locate
from tests.knowledge import sample_catalogue

pytestmark = pytest.mark.filterwarnings("ignore:Dialect sqlite")


@pytest.fixture
def catalogue(database_url):
    engine = make_engine(database_url)
    sample_catalogue.build(engine)
    catalogue = Catalogue(engine)
    yield catalogue
    catalogue.close()
    engine.dispose()


async def test_every_method(catalogue):
    await catalogue.warm()
    programs = await catalogue.programs(text="weldin", place=locate("Salem"))
    assert [p.id for p in programs] == ["chemeketa-welding"]
    services = await catalogue.services(category="transportation", county="Marion")
    assert [s.id for s in services] == ["ride-marion", "ride-statewide"]
    ladders = await catalogue.pathway(occupation="cna")
    assert [s.step for s in ladders[0].steps] == [1, 2, 3]
    assert (await catalogue.credential("cna")).stacks_to[0].id == "lpn"
    assert (await catalogue.provider("portland cc")).id == "pcc"
    assert (await catalogue.wages("welder"))[0].median_hourly_wage == 25.0


async def test_one_program_by_id_as_a_search_shows_it(catalogue):
    program = await catalogue.program("chemeketa-welding")
    assert program.title and program.provider_name
    assert program.distance_miles is None
    assert await catalogue.program("no-such-program") is None


async def test_searches_do_not_block_the_event_loop(catalogue, monkeypatch):
    real = search.search_programs

    def slow_search(session, **kwargs):
        time.sleep(0.05)  # a slow query: it must hold a worker thread, not the loop
        return real(session, **kwargs)

    monkeypatch.setattr(search, "search_programs", slow_search)
    ticks = 0
    done = asyncio.Event()

    async def ticker():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    ticking = asyncio.create_task(ticker())
    started = time.monotonic()
    results = await asyncio.gather(*(
        catalogue.programs(text="cna", limit=5) for _ in range(20)
    ))
    elapsed = time.monotonic() - started
    done.set()
    await ticking
    assert all({p.id for p in r} == {"pcc-cna", "chemeketa-cna"} for r in results)
    # Twenty 50 ms searches on the loop would take 1 s with no tick in between.
    assert elapsed < 0.9
    assert ticks >= 10


def test_from_env_is_lazy(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'lazy.db'}"
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
    catalogue = Catalogue.from_env()
    assert catalogue._engine is None  # nothing made until the first search
    assert not (tmp_path / "lazy.db").exists()
    assert str(catalogue.engine.url) == url
    catalogue.close()
    assert catalogue._engine is None


async def test_close_then_use_again(catalogue):
    catalogue.close()
    assert (await catalogue.provider("PCC")).id == "pcc"  # a new pool is made on demand


def test_a_pinned_date_decides_whether_a_start_has_passed(monkeypatch):
    from knowledge import clock

    monkeypatch.setenv("NAVIGATOR_TODAY", "2026-12-01")
    assert clock.today().isoformat() == "2026-12-01"
    monkeypatch.setenv("NAVIGATOR_TODAY", "first of december")
    with pytest.raises(SystemExit, match="NAVIGATOR_TODAY"):
        clock.today()
