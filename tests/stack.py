"""The real navigator stack (`python -m bot.run`) on free ports, for tests and the eval."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
MODEL = Path(os.environ.get("NAVIGATOR_MODEL") or ROOT / "models" / "navigator.tar.gz")
TWILIO_TEST_TOKEN = "test-auth-token-not-a-secret"


class StackStartError(RuntimeError):
    """The stack would not start; the message holds the end of its log."""


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
            raise StackStartError(f"the navigator stopped during start-up:\n{stack.log()[-4000:]}")
        if "The navigator is ready" in stack.log():
            return
        time.sleep(0.5)
    raise StackStartError(
        f"the navigator was not ready after {timeout:.0f} s:\n{stack.log()[-4000:]}")


def start_stack(tmp: Path, extra_env: dict[str, str] | None = None) -> RunningStack:
    """Starts `python -m bot.run` (the run command's launcher) on free ports."""
    if not MODEL.exists():
        raise StackStartError(f"no trained model at {MODEL}: run 'make setup' first")
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


