"""The background refresh: callers never wait for the database, and see changes soon."""

from __future__ import annotations

import threading
import time
from typing import List

from bot.nlu.refresh import Refresher
from tests.nlu_components.conftest import wait_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_first_load_becomes_current_and_polls_respect_the_interval() -> None:
    clock, version, builds = FakeClock(), [1], []

    def build() -> str:
        builds.append(version[0])
        return f"v{version[0]}"

    refresher = Refresher(lambda: "fallback", lambda: version[0], build, 30, clock=clock)
    refresher.start(wait_seconds=5)
    assert refresher.current == "v1"
    version[0] = 2
    clock.now = 10
    refresher.poll()  # too soon: no check
    time.sleep(0.1)
    assert refresher.current == "v1"
    clock.now = 31
    refresher.poll()
    assert wait_for(lambda: refresher.current == "v2")
    clock.now = 62
    refresher.poll()  # same fingerprint: nothing rebuilt
    time.sleep(0.1)
    assert builds == [1, 2]


def test_a_slow_database_never_makes_the_caller_wait() -> None:
    release = threading.Event()

    def slow_fingerprint() -> int:
        release.wait(10)
        return 1

    refresher = Refresher(lambda: "fallback", slow_fingerprint, lambda: "catalogue", 0)
    try:
        started = time.monotonic()
        refresher.start(wait_seconds=0.2)
        for _ in range(100):
            refresher.poll()
            assert refresher.current == "fallback"
        assert time.monotonic() - started < 1.5
    finally:
        release.set()
    assert wait_for(lambda: refresher.current == "catalogue")


def test_failures_keep_the_last_good_value_and_are_retried() -> None:
    outcomes: List[object] = [1, RuntimeError("database gone"), 2]

    def fingerprint() -> object:
        outcome = outcomes.pop(0) if len(outcomes) > 1 else outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    refresher = Refresher(lambda: "fallback", fingerprint, lambda: f"built{len(outcomes)}", 0)
    refresher.start(wait_seconds=5)
    assert refresher.current == "built2"
    refresher.poll()  # raises inside the worker: value kept
    assert wait_for(lambda: len(outcomes) == 1)
    assert refresher.current == "built2"
    assert wait_for(lambda: (refresher.poll(), refresher.current)[1] == "built1")


def test_the_fallback_serves_when_the_first_load_fails() -> None:
    def broken() -> int:
        raise OSError("connection refused")

    refresher = Refresher(lambda: "places only", broken, lambda: "catalogue", 0)
    refresher.start(wait_seconds=5)
    assert refresher.current == "places only"
