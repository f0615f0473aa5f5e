"""Start-up time, memory and single-user reply latency of the embedded default stack.

Run with `make bench-stack` (needs a trained model: `make setup`). Prints the figures
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bot.processes import Stack, navigator_services
from bot.settings import Settings

TURNS = ["hello", "what is IET?", "what is a career pathway?", "thanks", "bye"]
# A learner's search and follow-ups: every turn reads the knowledge base.
KB_TURNS = ["welding classes in salem", "tell me more about 1", "how much is it",
            "how much do welders make", "i need child care"]


def group_rss_mib(*pgids: int) -> float:
    """Resident memory of every process in the process groups (servers and their children)."""
    total_kib = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) not in pgids:  # field 5 of /proc/PID/stat: process group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total_kib / 1024


async def conversation_latencies(
    http: aiohttp.ClientSession, url: str, script: list[str], turns: int
) -> list[float]:
    """Milliseconds per reply over `turns` turns of `script`, a new learner each round.

    The first round only warms the server up and is not counted.
    """
    latencies = []
    for i in range(turns + len(script)):
        if i % len(script) == 0:
            sender = f"bench-{uuid.uuid4()}"
        sent = time.perf_counter()
        async with http.post(url, json={"sender": sender, "message": script[i % len(script)]}) as r:
            r.raise_for_status()
            await r.json()
        if i >= len(script):
            latencies.append((time.perf_counter() - sent) * 1000)
    return latencies


async def main(turns: int) -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="nav-bench-"))
    os.environ["NAVIGATOR_VAR_DIR"] = str(var_dir)
    settings = Settings.from_env()
    stack = Stack(navigator_services(settings), printer=lambda *_: None)
    started = time.monotonic()
    await stack.start()
    ready = time.monotonic() - started
    url = f"http://{settings.host}:{settings.rasa_port}/webhooks/rest/webhook"
    try:
        async with aiohttp.ClientSession() as http:
            chat = await conversation_latencies(http, url, TURNS, turns)
            knowledge = await conversation_latencies(http, url, KB_TURNS, turns)
        print(f"time from start to all three ready: {ready:.1f} s")
        for service in stack.services:
            print(f"resident memory, {service.name}: {group_rss_mib(service.process.pid):.0f} MiB")
        for label, latencies in (("chit-chat/FAQ", chat), ("knowledge-base", knowledge)):
            print(f"single-user {label} reply latency over {len(latencies)} turns: "
                  f"median {statistics.median(latencies):.1f} ms, "
                  f"p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} ms")
        print(f"knowledge-base / chit-chat median: "
              f"{statistics.median(knowledge) / statistics.median(chat):.2f}x")
    finally:
        await stack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=50)
    asyncio.run(main(parser.parse_args().turns))
