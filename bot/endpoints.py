"""Writes the endpoints file a Rasa server runs with.

endpoints.yml holds the embedded defaults; the launcher and the tests run servers on
other ports and paths, so they render a copy with the action server URL and the
tracker database filled in rather than editing the checked-in file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import ROOT


def render_endpoints(target: Path, *, actions_url: str, tracker_db: Path) -> Path:
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    config["action_endpoint"] = {"url": actions_url}
    tracker = config.get("tracker_store") or {}
    if tracker.get("dialect") == "sqlite":
        tracker["db"] = str(tracker_db)
        tracker_db.parent.mkdir(parents=True, exist_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False))
    return target
