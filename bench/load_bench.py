"""Load: many learners at once, mixed journeys over REST and SMS, setup beside setup.

Run with `make bench-load` (needs a trained model; the production setup also needs the
local PostgreSQL and Redis). Options: `--only embedded,bare` (skip the production
setup), `--learners 50 --turns 20`, e.g. `make bench-load ARGS="--only embedded,bare"`.
The setups run on this machine one after the other:

1. embedded: the default stack (SQLite), one replica;
2. production: two replicas sharing a PostgreSQL navigator database, a PostgreSQL
   tracker store and a Redis lock store, each learner's turns alternating between them
   (what a round-robin load balancer does);
3. bare Rasa: the assistant `rasa init` creates, trained here, same load over REST.

One table, a column per setup: turns/s, p50/p95/p99 latency, errors, lost turns (turns
sent minus user turns found in the tracker store), the median latency of the learners'
first turn and of their last (does a turn cost more as the conversation grows? under
load the first turns also meet the start of the crowd; each setup is warmed up first by
one conversation per script, not counted), peak resident memory of all the
setup's processes (summed over their process groups, sampled every second from launch
to the end of the load; PostgreSQL and Redis not counted), and the Rasa server's
start-up (launch to answering). Last, our throughput as a ratio of bare Rasa's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Dict, List, Tuple

import aiohttp
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bench.stack_bench import group_rss_mib
from bot.prepare import prepare_database
from bot.processes import Service, Stack, navigator_services
from bot.settings import Settings

LEARNERS = 50
TURNS = 20
SMS_EVERY = 5  # every fifth learner texts
TOKEN = "bench-token"
REDIS_URL = "redis://127.0.0.1:6379/13"
JOURNEYS = [
    ["hi", "welding classes in salem", "tell me more about 1", "how much is it",
     "what does it lead to", "i need child care", "thanks"],
    ["what is IET?", "cna classes", "eugene", "only evenings", "tell me more about 1",
     "how much do cnas make", "bye"],
    ["idk what i want to do", "what is a career pathway?", "i need a ride to class",
     "portland", "what is the ged", "start over", "thanks"],
]
BARE_SCRIPT = ["hello", "I am sad", "yes", "no", "are you a bot?", "great", "bye"]
SETUPS = {  # name: (column heading, what it runs)
    "embedded": ("embedded", "the navigator's default: Rasa, action server and web app, "
                 "SQLite, 1 replica"),
    "production": ("production", "2 navigator replicas, PostgreSQL tracker and database, "
                   "Redis lock store (their memory not counted)"),
    "bare": ("bare Rasa", "the `rasa init` starter assistant, SQLite tracker store, REST "
             "only, one process"),
}


@dataclass(frozen=True)
class Load:
    learners: int
    turns: int


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def learner(http, urls: List[str], script: List[str], sms: bool, turns: int,
                  results: list, sender_prefix: str) -> str:
    if sms:
        sender = f"+1971555{uuid.uuid4().int % 10000:04d}"
    else:
        sender = f"{sender_prefix}-{uuid.uuid4()}"
    for turn in range(turns):
        url = urls[turn % len(urls)]
        message = script[turn % len(script)]
        started = time.perf_counter()
        try:
            if sms:
                hook = url.replace("/rest/", "/sms/")
                params = {"From": sender, "To": "+15415550100", "Body": message,
                          "MessageSid": f"SM{uuid.uuid4().hex}"}
                signature = RequestValidator(TOKEN).compute_signature(hook, params)
                async with http.post(hook, data=params,
                                     headers={"X-Twilio-Signature": signature}) as r:
                    await r.read()
                    ok = r.status == 200
            else:
                async with http.post(url, json={"sender": sender, "message": message}) as r:
                    await r.read()
                    ok = r.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        results.append((turn, ok, (time.perf_counter() - started) * 1000))
    return sender


async def run_load(urls: List[str], scripts: List[List[str]], with_sms: bool,
                   prefix: str, load: Load) -> Dict:
    results: List[Tuple[int, bool, float]] = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        # Warm-up, not counted: each script once (and once by SMS), so the first turns
        # measure the crowd, not a cold server (first search, first TensorFlow call).
        await asyncio.gather(*(
            learner(http, urls, script, sms, len(script), [], f"{prefix}-warm-up")
            for script, sms in [(s, False) for s in scripts]
            + ([(scripts[0], True)] if with_sms else [])))
        started = time.perf_counter()
        senders = await asyncio.gather(*(
            learner(http, urls, scripts[i % len(scripts)], with_sms and i % SMS_EVERY == 0,
                    load.turns, results, prefix)
            for i in range(load.learners)))
        elapsed = time.perf_counter() - started
    times = sorted(ms for _, _, ms in results)
    centiles = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    return {"turns": len(results), "seconds": elapsed, "rate": len(results) / elapsed,
            "errors": sum(not ok for _, ok, _ in results), "p50": statistics.median(times),
            "p95": centiles[94], "p99": centiles[98],
            "first": statistics.median(ms for turn, _, ms in results if turn == 0),
            "last": statistics.median(ms for turn, _, ms in results if turn == load.turns - 1),
            "senders": senders}


def stored_turns(tracker_url: str, senders: List[str]) -> int:
    engine = create_engine(tracker_url, future=True)
    query = text("SELECT count(*) FROM events WHERE type_name = 'user' AND sender_id = :s")
    with engine.connect() as conn:
        total = sum(conn.execute(query, {"s": s}).scalar_one() for s in senders)
    engine.dispose()
    return total


@contextlib.asynccontextmanager
async def peak_rss(services: List[Service], every: float = 1.0) -> AsyncIterator[Dict]:
    """Keeps `found["MiB"]` at the highest summed memory of the services' process groups
    (each service is its own group: see bot.processes) until the block ends."""
    found = {"MiB": 0.0}

    async def sample() -> None:
        while True:
            groups = [s.process.pid for s in services
                      if s.process is not None and s.process.returncode is None]
            if groups:
                found["MiB"] = max(found["MiB"], await asyncio.to_thread(group_rss_mib, *groups))
            await asyncio.sleep(every)

    task = asyncio.create_task(sample())
    try:
        yield found
    finally:
        task.cancel()


def rasa_start_up(stacks: List[Stack]) -> float:
    """Seconds from launch until the (slowest) Rasa server answered."""
    return max(s.ready_after or 0.0 for stack in stacks for s in stack.services
               if "rasa" in s.name)


def progress(name: str, figures: Dict) -> None:
    print(f"{name}: {figures['turns']} turns in {figures['seconds']:.1f} s = "
          f"{figures['rate']:.1f} turns/s; errors {figures['errors']}; lost turns "
          f"{figures['lost']}", flush=True)


def stack_env(var_dir: Path, **extra: str) -> Dict[str, str]:
    return {**os.environ, "NAVIGATOR_VAR_DIR": str(var_dir), "TWILIO_AUTH_TOKEN": TOKEN,
            "NAVIGATOR_RASA_PORT": str(free_port()), "NAVIGATOR_ACTIONS_PORT": str(free_port()),
            "NAVIGATOR_WEB_PORT": str(free_port()), **extra}


def navigator_stack(env: Dict[str, str]) -> tuple[Stack, Settings]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        settings = Settings.from_env()
        return Stack(navigator_services(settings), env=env, printer=lambda *_: None), settings
    finally:
        os.environ.clear()
        os.environ.update(saved)


def rest_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.rasa_port}/webhooks/rest/webhook"


async def embedded(load: Load) -> Dict:
    var_dir = Path(tempfile.mkdtemp(prefix="nav-load-"))
    database = f"sqlite:///{var_dir / 'navigator.db'}"
    prepare_database(database)
    stack, settings = navigator_stack(stack_env(var_dir, NAVIGATOR_DATABASE_URL=database))
    async with peak_rss(stack.services) as memory:
        try:
            await stack.start()
            figures = await run_load([rest_url(settings)], JOURNEYS, True, "embedded", load)
        finally:
            await stack.stop()
    figures.update(rss=memory["MiB"], start_up=rasa_start_up([stack]),
                   lost=figures["turns"] - stored_turns(settings.tracker_url, figures["senders"]))
    shutil.rmtree(var_dir, ignore_errors=True)
    return figures


async def production(load: Load) -> Dict:
    import redis

    from tests.postgres import throwaway_database

    redis.Redis.from_url(REDIS_URL).flushdb()
    with throwaway_database() as database, throwaway_database() as tracker:
        prepare_database(database)
        pairs = [navigator_stack(stack_env(
            Path(tempfile.mkdtemp(prefix=f"nav-load-{name}-")), NAVIGATOR_DATABASE_URL=database,
            NAVIGATOR_TRACKER_URL=tracker, NAVIGATOR_REDIS_URL=REDIS_URL)) for name in "ab"]
        stacks = [stack for stack, _ in pairs]
        async with peak_rss([s for stack in stacks for s in stack.services]) as memory:
            try:
                for stack in stacks:
                    await stack.start()
                urls = [rest_url(settings) for _, settings in pairs]
                figures = await run_load(urls, JOURNEYS, True, "production", load)
            finally:
                for stack in stacks:
                    await stack.stop()
        figures.update(rss=memory["MiB"], start_up=rasa_start_up(stacks),
                       lost=figures["turns"] - stored_turns(tracker, figures["senders"]))
    return figures


async def bare_rasa(load: Load) -> Dict:
    project = Path(tempfile.mkdtemp(prefix="bare-rasa-"))
    rasa = str(Path(sys.executable).parent / "rasa")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    print("bare Rasa: rasa init (trains the starter assistant)...", flush=True)
    await asyncio.to_thread(
        subprocess.run, [rasa, "init", "--no-prompt", "--init-dir", str(project)], env=env,
        cwd=project, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (project / "endpoints.yml").write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {project / 'tracker.db'}\n")
    port = free_port()
    service = Service("bare-rasa", [
        rasa, "run", "--port", str(port), "--interface", "127.0.0.1",
        "--model", str(project / "models"), "--endpoints", str(project / "endpoints.yml"),
        "--credentials", str(project / "credentials.yml")], f"http://127.0.0.1:{port}/")
    stack = Stack([service], env=env, printer=lambda *_: None)
    async with peak_rss(stack.services) as memory:
        try:
            await stack.start()
            figures = await run_load([f"http://127.0.0.1:{port}/webhooks/rest/webhook"],
                                     [BARE_SCRIPT], False, "bare", load)
        finally:
            await stack.stop()
    figures.update(rss=memory["MiB"], start_up=rasa_start_up([stack]), lost=figures["turns"]
                   - stored_turns(f"sqlite:///{project / 'tracker.db'}", figures["senders"]))
    shutil.rmtree(project, ignore_errors=True)
    return figures


def table(results: Dict[str, Dict], load: Load) -> str:
    rows = [
        ("turns/s", lambda f: f"{f['rate']:.1f}"),
        ("latency p50 ms", lambda f: f"{f['p50']:,.0f}"),
        ("latency p95 ms", lambda f: f"{f['p95']:,.0f}"),
        ("latency p99 ms", lambda f: f"{f['p99']:,.0f}"),
        ("errors", lambda f: f"{f['errors']}"),
        ("lost turns", lambda f: f"{f['lost']}"),
        ("turn 1 median ms", lambda f: f"{f['first']:,.0f}"),
        (f"turn {load.turns} median ms", lambda f: f"{f['last']:,.0f}"),
        ("peak RSS, all processes MiB", lambda f: f"{f['rss']:,.0f}"),
        ("Rasa start-up s", lambda f: f"{f['start_up']:.1f}"),
    ]
    if "bare" in results:
        bare = results["bare"]["rate"]
        rows.append(("throughput / bare Rasa", lambda f: f"{f['rate'] / bare:.2f}x"))
    lines = [f"{'':28}" + "".join(f"{SETUPS[name][0]:>12}" for name in results)]
    for label, cell in rows:
        lines.append(f"{label:28}" + "".join(f"{cell(f):>12}" for f in results.values()))
    lines += [f"{SETUPS[name][0]}: {SETUPS[name][1]}" for name in results]
    return "\n".join(lines)


async def main(only: List[str], load: Load) -> None:
    print(f"{load.learners} learners x {load.turns} turns; every {SMS_EVERY}th learner of "
          f"the navigator by SMS; setups: {', '.join(only)}", flush=True)
    runs = {"embedded": embedded, "production": production, "bare": bare_rasa}
    results = {}
    for name in SETUPS:  # always in this order, whatever order --only names them
        if name in only:
            results[name] = await runs[name](load)
            progress(SETUPS[name][0], results[name])
    print()
    print(table(results, load))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SETUPS),
                        help=f"comma-separated setups among {', '.join(SETUPS)} (default all)")
    parser.add_argument("--learners", type=int, default=LEARNERS)
    parser.add_argument("--turns", type=int, default=TURNS)
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(SETUPS)
    if unknown or not chosen:
        parser.error(f"--only takes names among {', '.join(SETUPS)}, not {args.only!r}")
    asyncio.run(main(chosen, Load(args.learners, args.turns)))
