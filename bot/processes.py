"""Starts the navigator's processes together, shows their logs, and stops them cleanly.

Used by the run command and by the integration tests, so both run the stack the same way.
"""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Deque, Dict, List, Optional

import aiohttp

from bot.endpoints import render_endpoints
from bot.settings import ROOT, Settings

COLOURS = {"rasa": "\033[35m", "actions": "\033[36m", "web": "\033[32m"}
RESET = "\033[0m"


@dataclass
class Service:
    name: str
    argv: List[str]
    health_url: str
    process: Optional[asyncio.subprocess.Process] = None
    tail: Deque[str] = field(default_factory=lambda: collections.deque(maxlen=30))
    # Seconds from the launch of the stack to this service's first healthy answer.
    ready_after: Optional[float] = None


class StackError(RuntimeError):
    """A process would not start or died; the message says which and shows its last lines."""


def default_printer(service: str, line: str) -> None:
    colour = COLOURS.get(service, "") if sys.stdout.isatty() else ""
    reset = RESET if colour else ""
    print(f"{colour}{service:>7} |{reset} {line}", flush=True)


def navigator_services(settings: Settings, actions_url: Optional[str] = None) -> List[Service]:
    """The three processes of the embedded default (see README, 'What runs where').

    `actions_url` is where the Rasa server finds the action server when that runs
    elsewhere (a container of its own: bot/container.py); default: beside it."""
    bin_dir = Path(sys.executable).parent
    host = settings.host
    endpoints = render_endpoints(
        settings.var_dir / "endpoints.yml",
        actions_url=actions_url or f"http://{host}:{settings.actions_port}/webhook",
        tracker_url=settings.tracker_url,
        redis_url=settings.redis_url,
    )
    return [
        Service(
            "actions",
            [str(bin_dir / "rasa"), "run", "actions", "--actions", "actions",
             "--port", str(settings.actions_port)],
            f"http://{host}:{settings.actions_port}/health",
        ),
        Service(
            "rasa",
            [sys.executable, "-m", "bot.rasa_cli", "run", "--model", str(settings.model_path),
             "--interface", host, "--port", str(settings.rasa_port), "--cors", "*",
             "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)],
            f"http://{host}:{settings.rasa_port}/",
        ),
        Service(
            "web",
            [sys.executable, "-m", "bot.webapp"],
            f"http://{host}:{settings.web_port}/healthz",
        ),
    ]


class Stack:
    def __init__(
        self,
        services: List[Service],
        *,
        env: Optional[Dict[str, str]] = None,
        printer: Callable[[str, str], None] = default_printer,
    ) -> None:
        self.services = services
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false",
                    "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1", **(env or {})}
        self.printer = printer
        self._pumps: List[asyncio.Task] = []

    async def start(self, timeout: float = 240) -> None:
        """Starts every process and returns once all answer their health check."""
        launched = time.monotonic()
        for service in self.services:
            service.process = await asyncio.create_subprocess_exec(
                *service.argv,
                cwd=ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,  # so a stop reaches the process and its children
            )
            self._pumps.append(asyncio.create_task(self._pump(service)))
        started = time.monotonic()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            pending = list(self.services)
            while pending:
                for service in list(pending):
                    self._raise_if_exited(service)
                    if await _healthy(http, service.health_url):
                        pending.remove(service)
                        service.ready_after = time.monotonic() - launched
                        self.printer(service.name, f"ready ({time.monotonic() - started:.0f} s)")
                if pending and time.monotonic() - started > timeout:
                    names = ", ".join(s.name for s in pending)
                    raise StackError(f"{names} not ready after {timeout:.0f} s")
                await asyncio.sleep(0.5)

    async def wait_for_exit(self) -> Service:
        """Returns the first service whose process ends."""
        waits = {asyncio.create_task(s.process.wait()): s for s in self.services if s.process}
        done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return waits[done.pop()]

    async def stop(self, grace: float = 10) -> None:
        for service in reversed(self.services):
            _signal(service, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for service in self.services:
            if service.process is None:
                continue
            try:
                remaining = max(0.1, deadline - time.monotonic())
                await asyncio.wait_for(service.process.wait(), remaining)
            except asyncio.TimeoutError:
                _signal(service, signal.SIGKILL)
                await service.process.wait()
        for pump in self._pumps:
            pump.cancel()

    def _raise_if_exited(self, service: Service) -> None:
        if service.process is not None and service.process.returncode is not None:
            lines = "\n".join(f"    {line}" for line in service.tail)
            raise StackError(
                f"{service.name} stopped during start-up (exit code "
                f"{service.process.returncode}). Its last lines:\n{lines}"
            )

    async def _pump(self, service: Service) -> None:
        assert service.process and service.process.stdout
        async for raw in service.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                service.tail.append(line)
                self.printer(service.name, line)


def _signal(service: Service, sig: int) -> None:
    if service.process is None or service.process.returncode is not None:
        return
    try:
        os.killpg(service.process.pid, sig)
    except ProcessLookupError:
        pass


async def _healthy(http: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with http.get(url) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False
