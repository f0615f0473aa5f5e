"""Shared fixtures: the real navigator stack, started once per test session."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "navigator.tar.gz"
TWILIO_TEST_TOKEN = "test-auth-token-not-a-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningStack:
    process: subprocess.Popen
    rasa_url: str
    actions_url: str
    web_url: str
    var_dir: Path
    log_path: Path
    database_url: str

    def say(self, sender: str, message: str) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _wait_ready(stack: RunningStack, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            pytest.fail(f"the navigator stopped during start-up:\n{stack.log()[-4000:]}")
        if "The navigator is ready" in stack.log():
            return
        time.sleep(0.5)
    pytest.fail(f"the navigator was not ready after {timeout:.0f} s:\n{stack.log()[-4000:]}")


def start_stack(tmp: Path, extra_env: dict[str, str] | None = None) -> RunningStack:
    """Starts `python -m bot.run` (the run command's launcher) on free ports."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run 'make setup' first")
    ports = {name: free_port() for name in ("rasa", "actions", "web")}
    env = {
        **os.environ,
        "NAVIGATOR_RASA_PORT": str(ports["rasa"]),
        "NAVIGATOR_ACTIONS_PORT": str(ports["actions"]),
        "NAVIGATOR_WEB_PORT": str(ports["web"]),
        "NAVIGATOR_VAR_DIR": str(tmp),
        "RASA_TELEMETRY_ENABLED": "false",
        # The SMS channel checks signatures made with this token (tests sign as Twilio).
        "TWILIO_AUTH_TOKEN": TWILIO_TEST_TOKEN,
        **(extra_env or {}),
    }
    log_path = tmp / "stack.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.run"],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack = RunningStack(
        process=process,
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        actions_url=f"http://127.0.0.1:{ports['actions']}",
        web_url=f"http://127.0.0.1:{ports['web']}",
        var_dir=tmp,
        log_path=log_path,
        database_url=env.get("NAVIGATOR_DATABASE_URL", ""),
    )
    _wait_ready(stack, timeout=300)
    return stack


def stop_stack(stack: RunningStack, timeout: float = 30) -> int:
    """Stops the launcher the way Ctrl-C does and returns its exit code."""
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
        try:
            stack.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.process.wait()
    return stack.process.returncode


def sample_database(folder: Path) -> str:
    """A fresh SQLite database in `folder` holding the sample Oregon bundle."""
    from bot.prepare import prepare_database

    url = f"sqlite:///{folder / 'navigator.db'}"
    prepare_database(url)
    return url


@pytest.fixture(scope="session")
def navigator(tmp_path_factory) -> Iterator[RunningStack]:
    """The stack on its own copy of the sample catalogue, so tests never depend on (or
    change) the developer's var/navigator.db."""
    tmp = tmp_path_factory.mktemp("navigator")
    stack = start_stack(tmp, {"NAVIGATOR_DATABASE_URL": sample_database(tmp)})
    try:
        yield stack
    finally:
        stop_stack(stack)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A URL to a fresh, empty database (no tables yet), on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.db'}"
        return
    from tests.postgres import throwaway_database

    with throwaway_database() as url:
        yield url
