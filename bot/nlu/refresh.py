"""Keeps a value built from the database fresh without making callers wait for it.

Rasa calls NLU components synchronously on the server's event loop, so a slow query
there would stall every conversation. Here the caller only reads the current value and
maybe starts a background check; the check (one small fingerprint query) and any
rebuild run on a worker thread, and the new value replaces the old in one assignment
(readers take no lock).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Generic, Hashable, Optional, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
_UNSET = object()


class Refresher(Generic[T]):
    def __init__(
        self,
        fallback: Callable[[], T],
        fingerprint: Callable[[], Hashable],
        build: Callable[[], T],
        interval_seconds: float,
        describe: Callable[[T], str] = str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fallback = fallback
        self._current: Optional[T] = None
        self._swap = threading.Lock()
        self._fingerprint: object = _UNSET
        self._fingerprint_fn = fingerprint
        self._build = build
        self._interval = interval_seconds
        self._describe = describe
        self._clock = clock
        self._last_check = float("-inf")
        self._busy = threading.Lock()
        self._failing = False

    @property
    def current(self) -> T:
        current = self._current
        return current if current is not None else self._use_fallback()

    def start(self, wait_seconds: float) -> None:
        """Loads once, waiting at most `wait_seconds`; a slower load lands when it is done.

        Until then (or when loading fails) callers get the fallback value.
        """
        worker = self._spawn()
        if worker is not None:
            worker.join(wait_seconds)
            if worker.is_alive():
                logger.warning(
                    "The knowledge base is slow to answer; the entity matcher starts with "
                    "place names and adds the catalogue when it arrives."
                )
        if self._current is None:
            self._use_fallback()

    def _use_fallback(self) -> T:
        value = self._fallback()
        with self._swap:
            if self._current is None:  # a late first load may have landed meanwhile
                self._current = value
            return self._current

    def poll(self) -> None:
        """Cheap enough for every message: a clock read, at most a thread start."""
        if self._clock() - self._last_check >= self._interval:
            self._spawn()

    def _spawn(self) -> Optional[threading.Thread]:
        if not self._busy.acquire(blocking=False):
            return None  # a check is already running
        self._last_check = self._clock()
        worker = threading.Thread(target=self._check, name="kb-entity-refresh", daemon=True)
        try:
            worker.start()
        except BaseException:
            self._busy.release()
            raise
        return worker

    def _check(self) -> None:
        try:
            # Fingerprint first: a change made during the build shows on the next check.
            fingerprint = self._fingerprint_fn()
            if fingerprint != self._fingerprint:
                value = self._build()
                with self._swap:
                    self._current = value
                    self._fingerprint = fingerprint
                logger.info("Knowledge-base entity matcher loaded: %s", self._describe(value))
            if self._failing:
                logger.warning("The knowledge base is reachable again.")
            self._failing = False
        except Exception as error:  # whatever went wrong, the last good value stays
            if not self._failing:
                logger.warning(
                    "Cannot read the knowledge base (%s); the entity matcher keeps the names "
                    "it has (place names at least) and retries.",
                    error,
                )
            self._failing = True
        finally:
            self._last_check = self._clock()
            self._busy.release()
