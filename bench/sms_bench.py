"""SMS under load: 200 signed texts from 50 phones at once against the embedded stack.

Run with `make bench-sms` (needs a trained model: `make setup`). Checks that nothing
fails (no 5xx), that every text got exactly one bot turn, and prints reply times.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bot.processes import Stack, navigator_services
from bot.settings import Settings

PHONES = 50
TEXTS = 200
SCRIPT = ["hi", "welding classes in salem", "1", "how much is it", "i need child care",
          "what is IET?", "thanks"]
TOKEN = "bench-token"


async def learner(http, url, validator, phone: str, count: int, results: list) -> None:
    for i in range(count):
        params = {"From": phone, "To": "+15415550100", "Body": SCRIPT[i % len(SCRIPT)],
                  "MessageSid": f"SM{uuid.uuid4().hex}"}
        headers = {"X-Twilio-Signature": validator.compute_signature(url, params)}
        started = time.perf_counter()
        async with http.post(url, data=params, headers=headers) as response:
            await response.text()
            results.append((response.status, (time.perf_counter() - started) * 1000))


async def main() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="nav-sms-bench-"))
    os.environ.update(NAVIGATOR_VAR_DIR=str(var_dir), TWILIO_AUTH_TOKEN=TOKEN)
    os.environ["NAVIGATOR_DATABASE_URL"] = f"sqlite:///{var_dir / 'navigator.db'}"
    from bot.prepare import prepare_database

    prepare_database(os.environ["NAVIGATOR_DATABASE_URL"])
    settings = Settings.from_env()
    stack = Stack(navigator_services(settings), printer=lambda *_: None)
    await stack.start()
    url = f"http://{settings.host}:{settings.rasa_port}/webhooks/sms/webhook"
    phones = [f"+1503555{i:04d}" for i in range(PHONES)]
    per_phone = TEXTS // PHONES
    results: list = []
    try:
        validator = RequestValidator(TOKEN)
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            started = time.perf_counter()
            await asyncio.gather(*(learner(http, url, validator, p, per_phone, results)
                                   for p in phones))
            elapsed = time.perf_counter() - started
    finally:
        await stack.stop()
    tracker = create_engine(f"sqlite:///{settings.tracker_db}", future=True)
    with tracker.connect() as conn:
        turns = conn.execute(text("SELECT count(*) FROM events WHERE type_name = 'user' "
                                  "AND sender_id LIKE '+1503555%'")).scalar_one()
    statuses = [s for s, _ in results]
    times = [t for _, t in results]
    print(f"{len(results)} texts from {PHONES} phones in {elapsed:.1f} s "
          f"({len(results) / elapsed:.1f} texts/s)")
    print(f"5xx: {sum(s >= 500 for s in statuses)}, other non-200: "
          f"{sum(s != 200 and s < 500 for s in statuses)}")
    print(f"bot turns stored: {turns} (one per text: {turns == len(results)})")
    print(f"reply time: median {statistics.median(times):.0f} ms, "
          f"p95 {statistics.quantiles(times, n=20)[-1]:.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
