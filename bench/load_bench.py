"""Load: 50 learners at once, 20 turns each, mixed journeys over REST and SMS.

Run with `make bench-load` (needs a trained model and the local PostgreSQL and Redis).
Three setups on this machine, one after the other:

1. embedded: the default stack (SQLite), one replica;
2. production: two replicas sharing a PostgreSQL navigator database, a PostgreSQL
   tracker store and a Redis lock store, each learner's turns alternating between them
   (what a round-robin load balancer does);
3. bare Rasa: the assistant `rasa init` creates, trained here, same load over REST.

For each: turns/s, p50/p95/p99 latency, errors, and lost turns (turns sent minus user
turns found in the tracker store). Our throughput is also given as a ratio of bare Rasa's.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

import aiohttp
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bot.prepare import prepare_database
from bot.processes import Service, Stack, navigator_services
from bot.settings import Settings

LEARNERS = 50
TURNS = 20
SMS_EVERY = 5  # every fifth learner texts
TOKEN = "bench-token"
PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def learner(http, urls: List[str], script: List[str], sms: bool, results: list,
                  sender_prefix: str) -> str:
    if sms:
        sender = f"+1971555{uuid.uuid4().int % 10000:04d}"
    else:
        sender = f"{sender_prefix}-{uuid.uuid4()}"
    for turn in range(TURNS):
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
        results.append((ok, (time.perf_counter() - started) * 1000))
    return sender


async def run_load(urls: List[str], scripts: List[List[str]], with_sms: bool,
                   prefix: str) -> Dict:
    results: list = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        started = time.perf_counter()
        senders = await asyncio.gather(*(
            learner(http, urls, scripts[i % len(scripts)], with_sms and i % SMS_EVERY == 0,
                    results, prefix)
            for i in range(LEARNERS)))
        elapsed = time.perf_counter() - started
    times = sorted(t for _, t in results)
    centiles = statistics.quantiles(times, n=100)
    return {"turns": len(results), "seconds": elapsed, "rate": len(results) / elapsed,
            "errors": sum(not ok for ok, _ in results), "p50": statistics.median(times),
            "p95": centiles[94], "p99": centiles[98], "senders": senders}


def stored_turns(tracker_url: str, senders: List[str]) -> int:
    engine = create_engine(tracker_url, future=True)
    query = text("SELECT count(*) FROM events WHERE type_name = 'user' AND sender_id = :s")
    with engine.connect() as conn:
        total = sum(conn.execute(query, {"s": s}).scalar_one() for s in senders)
    engine.dispose()
    return total


def report(name: str, figures: Dict, stored: int) -> None:
    print(f"{name}: {figures['turns']} turns in {figures['seconds']:.1f} s = "
          f"{figures['rate']:.1f} turns/s; p50 {figures['p50']:.0f} ms, p95 "
          f"{figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms; errors {figures['errors']}; "
          f"lost turns {figures['turns'] - stored}", flush=True)


def stack_env(var_dir: Path, **extra: str) -> Dict[str, str]:
    return {**os.environ, "NAVIGATOR_VAR_DIR": str(var_dir), "TWILIO_AUTH_TOKEN": TOKEN,
            "NAVIGATOR_RASA_PORT": str(free_port()), "NAVIGATOR_ACTIONS_PORT": str(free_port()),
            "NAVIGATOR_WEB_PORT": str(free_port()), **extra}


async def start(env: Dict[str, str]) -> tuple[Stack, Settings]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        settings = Settings.from_env()
        stack = Stack(navigator_services(settings), env=env, printer=lambda *_: None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    await stack.start()
    return stack, settings


def rest_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.rasa_port}/webhooks/rest/webhook"


async def embedded() -> Dict:
    var_dir = Path(tempfile.mkdtemp(prefix="nav-load-"))
    database = f"sqlite:///{var_dir / 'navigator.db'}"
    prepare_database(database)
    stack, settings = await start(stack_env(var_dir, NAVIGATOR_DATABASE_URL=database))
    try:
        figures = await run_load([rest_url(settings)], JOURNEYS, True, "embedded")
    finally:
        await stack.stop()
    report("embedded (SQLite, 1 replica)", figures,
           stored_turns(settings.tracker_url, figures["senders"]))
    return figures


async def production() -> Dict:
    import redis

    from tests.postgres import throwaway_database

    redis.Redis.from_url(REDIS_URL).flushdb()
    with throwaway_database() as database, throwaway_database() as tracker:
        prepare_database(database)
        stacks = []
        try:
            for name in ("a", "b"):
                var_dir = Path(tempfile.mkdtemp(prefix=f"nav-load-{name}-"))
                stacks.append(await start(stack_env(
                    var_dir, NAVIGATOR_DATABASE_URL=database, NAVIGATOR_TRACKER_URL=tracker,
                    NAVIGATOR_REDIS_URL=REDIS_URL)))
            urls = [rest_url(settings) for _, settings in stacks]
            figures = await run_load(urls, JOURNEYS, True, "production")
        finally:
            for stack, _ in stacks:
                await stack.stop()
        report("production (PostgreSQL + Redis, 2 replicas)", figures,
               stored_turns(tracker, figures["senders"]))
    return figures


async def bare_rasa() -> Dict:
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
    try:
        await stack.start()
        figures = await run_load([f"http://127.0.0.1:{port}/webhooks/rest/webhook"],
                                 [BARE_SCRIPT], False, "bare")
    finally:
        await stack.stop()
    report("bare Rasa (rasa init starter, SQLite)", figures,
           stored_turns(f"sqlite:///{project / 'tracker.db'}", figures["senders"]))
    shutil.rmtree(project, ignore_errors=True)
    return figures


async def main() -> None:
    print(f"{LEARNERS} learners x {TURNS} turns; every {SMS_EVERY}th learner by SMS", flush=True)
    ours = await embedded()
    prod = await production()
    bare = await bare_rasa()
    print(f"throughput vs bare Rasa: embedded {ours['rate'] / bare['rate']:.2f}x, "
          f"production {prod['rate'] / bare['rate']:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
