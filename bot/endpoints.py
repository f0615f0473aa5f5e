"""Writes the endpoints file a Rasa server runs with.

endpoints.yml holds the embedded defaults; the launcher and the tests run servers on
other ports and paths, so they render a copy with the action server URL and the
tracker database filled in rather than editing the checked-in file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import urlparse

import yaml
from sqlalchemy.engine import make_url

from bot.settings import ROOT


def tracker_store(url: str) -> Dict[str, Any]:
    """The endpoints entry for our tracker store on a SQLAlchemy URL (SQLite or PostgreSQL)."""
    parsed = make_url(url)
    entry: Dict[str, Any] = {"type": "bot.tracker_store.ErasableSQLTrackerStore",
                             "dialect": parsed.drivername.split("+")[0]}
    if entry["dialect"] == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        entry["db"] = parsed.database
        return entry
    entry.update(url=parsed.host or "localhost", db=parsed.database)
    if parsed.port:
        entry["port"] = parsed.port
    if parsed.username:
        entry["username"] = parsed.username
    if parsed.password:
        entry["password"] = parsed.password
    return entry


def lock_store(url: str) -> Dict[str, Any]:
    """Rasa's Redis lock store: one learner's messages are handled one at a time, whichever
    replica receives them."""
    parsed = urlparse(url)
    entry: Dict[str, Any] = {"type": "redis", "url": parsed.hostname or "localhost",
                             "port": parsed.port or 6379,
                             "db": int((parsed.path or "/0").lstrip("/") or 0)}
    if parsed.password:
        entry["password"] = parsed.password
    return entry


def render_endpoints(target: Path, *, actions_url: str, tracker_url: str,
                     redis_url: Optional[str] = None) -> Path:
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    config["action_endpoint"] = {**config.get("action_endpoint", {}), "url": actions_url}
    config["tracker_store"] = tracker_store(tracker_url)
    if redis_url:
        config["lock_store"] = lock_store(redis_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False))
    target.chmod(0o600)  # it may hold database and Redis passwords
    return target
