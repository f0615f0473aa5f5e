"""Property tests: whatever a learner types, search answers and SMS stays within limits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.sms_text import MAX_SEGMENTS, MAX_TEXTS, segments, texts_for
from bot.prepare import prepare_database
from knowledge import search
from knowledge.db import make_engine, session_scope
from knowledge.geography import locate

ANY_TEXT = st.text(max_size=400)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'navigator.db'}"
    prepare_database(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT, sector=st.one_of(st.none(), st.text(max_size=30)),
       county=st.one_of(st.none(), st.text(max_size=30)), max_cost=st.one_of(
           st.none(), st.floats(allow_nan=False, allow_infinity=False)))
def test_search_answers_any_text(engine, text, sector, county, max_cost):
    with session_scope(engine) as session:
        programs = search.search_programs(session, text=text, sector=sector,
                                          max_cost=max_cost, limit=3)
        services = search.search_services(session, county=county, text=text, limit=3)
        search.pathway_for(session, text=text)
        search.find_provider(session, text)
    assert len(programs) <= 3 and len(services) <= 3
    locate(text)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT, titles=st.lists(st.text(min_size=1, max_size=60), max_size=6),
       language=st.sampled_from(["en", "es"]))
def test_sms_replies_stay_within_limits(text, titles, language):
    messages = texts_for(text, titles, language)
    assert len(messages) <= MAX_TEXTS
    for message in messages:
        assert segments(message) <= MAX_SEGMENTS
