"""Passwords (argon2id), login throttling and CSRF tokens for the console."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from typing import Deque, Dict, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: Optional[str], password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


class LoginThrottle:
    """At most `limit - 1` failed logins per minute for one account or one address; the
    next attempt is refused without checking the password.

    Kept in memory: each web app replica counts its own attempts (a shared counter in
    Redis would make the limit exact across replicas).
    """

    def __init__(self, limit: int = 10, window_seconds: float = 60.0) -> None:
        self.limit = limit
        self.window = window_seconds
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> Deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, username: str, address: str) -> bool:
        now = time.monotonic()
        return any(len(self._recent(key, now)) >= self.limit - 1
                   for key in (f"u:{username.lower()}", f"a:{address}"))

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        for key in (f"u:{username.lower()}", f"a:{address}"):
            self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"u:{username.lower()}", None)
