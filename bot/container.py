"""`python -m bot.container rasa|actions|web`: one of the navigator's processes, alone.

The container images (deploy/images/Containerfile) run one process each, where
`python -m bot.run` starts all three on one machine. This starts the same process with
the same arguments (bot/processes.py): for the Rasa server it first writes the endpoints
file from the environment (NAVIGATOR_TRACKER_URL: PostgreSQL, NAVIGATOR_REDIS_URL: the
lock store, NAVIGATOR_ACTIONS_URL: where the action server answers, e.g.
http://actions:5055/webhook), then replaces itself with the server (exec), so the
container's stop signal reaches the server itself.

`python -m bot.container migrate [--sample]` brings the navigator database up to date
(both Alembic histories, as `python -m bot.records upgrade`) and, with --sample, loads
the sample Oregon bundle when the catalogue is empty (as `make run` does; it never
replaces a catalogue already imported: `python -m knowledge import DIR` does that). Run
it once per release before the servers start (the Job / migrate service in deploy/).

`python -m bot.container health rasa|actions|web` exits 0 when that process answers its
health check on this host (Rasa `GET /`, actions `GET /health`, web `GET /healthz`): the
images' HEALTHCHECK, usable as an exec probe too.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from typing import List, Optional

from bot.processes import navigator_services
from bot.settings import ROOT, Settings

NAMES = ("rasa", "actions", "web")
USAGE = ("usage: python -m bot.container rasa|actions|web | health rasa|actions|web"
         " | migrate [--sample]")


def health_url(name: str, settings: Settings) -> str:
    port = {"rasa": settings.rasa_port, "actions": settings.actions_port,
            "web": settings.web_port}[name]
    path = {"rasa": "/", "actions": "/health", "web": "/healthz"}[name]
    return f"http://127.0.0.1:{port}{path}"


def healthy(name: str, settings: Settings, timeout: float = 5) -> bool:
    try:
        with urllib.request.urlopen(health_url(name, settings), timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def migrate(sample: bool) -> int:
    from bot.prepare import prepare_database
    from bot.records.schema import upgrade
    from knowledge.db import database_url

    url = database_url()
    if sample:
        prepare_database(url)  # upgrades both histories, then the sample if empty
    else:
        upgrade(url)
    print("The navigator database is up to date.", flush=True)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings.from_env()
    if len(args) == 2 and args[0] == "health" and args[1] in NAMES:
        return 0 if healthy(args[1], settings) else 1
    if args and args[0] == "migrate" and args[1:] in ([], ["--sample"]):
        return migrate(sample=args[1:] == ["--sample"])
    if len(args) != 1 or args[0] not in NAMES:
        print(USAGE, file=sys.stderr)
        return 2
    name = args[0]
    if name == "rasa" and not settings.model_path.exists():
        print(f"No trained model at {settings.model_path} (NAVIGATOR_MODEL).", file=sys.stderr)
        return 2
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    services = {service.name: service for service in navigator_services(
        settings, actions_url=os.environ.get("NAVIGATOR_ACTIONS_URL") or None)}
    for key, value in (("RASA_TELEMETRY_ENABLED", "false"), ("TF_CPP_MIN_LOG_LEVEL", "2"),
                       ("PYTHONUNBUFFERED", "1")):
        os.environ.setdefault(key, value)
    argv_ = services[name].argv
    print(f"Starting {name}: {' '.join(argv_)}", flush=True)
    os.chdir(ROOT)
    os.execv(argv_[0], argv_)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
