"""Widget size over the wire and time to ready, on the demo college page in Chromium.

Run with `make bench-widget` (needs a trained model: `make setup`). Prints the figures
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import tempfile
from pathlib import Path

import aiohttp

from bot.processes import Stack, navigator_services
from bot.settings import Settings

ASSETS = ["/static/widget.js", "/static/widget.css", "/static/vendor/socket.io.min.js"]
ROUNDS = 10
CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


async def wire_bytes(base: str) -> dict:
    sizes = {}
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        for path in ASSETS:
            async with http.get(base + path, headers={"Accept-Encoding": "gzip"}) as r:
                body = await r.read()
                sizes[path] = (len(body), r.headers.get("Content-Encoding", "identity"))
    return sizes


def page_timings(base: str) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    ready, greeted = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for _ in range(ROUNDS):
            context = browser.new_context()  # a new visitor each round: nothing cached
            page = context.new_page()
            page.goto(base)
            page.locator(".cnw[data-ready]").wait_for(state="attached")
            ready.append(page.evaluate("performance.now()"))
            page.get_by_role("button", name="Chat with us").click()
            opened = page.evaluate("performance.now()")
            page.locator(".cnw-bot").first.wait_for(timeout=30_000)
            greeted.append(page.evaluate("performance.now()") - opened)
            context.close()
        browser.close()
    return ready, greeted


async def main() -> None:
    os.environ["NAVIGATOR_VAR_DIR"] = tempfile.mkdtemp(prefix="nav-widget-bench-")
    settings = Settings.from_env()
    stack = Stack(navigator_services(settings), printer=lambda *_: None)
    await stack.start()
    base = f"http://{settings.host}:{settings.web_port}"
    try:
        sizes = await wire_bytes(base)
        ready, greeted = await asyncio.to_thread(page_timings, base)
    finally:
        await stack.stop()
    total = sum(size for size, _ in sizes.values())
    for path, (size, encoding) in sizes.items():
        raw = (Path("bot/widget") / path.removeprefix("/")).stat().st_size
        print(f"{path}: {size} bytes over the wire ({encoding}), {raw} bytes on disk")
    print(f"widget total over the wire: {total} bytes ({total / 1024:.1f} KiB)")
    print(f"page load to widget ready over {ROUNDS} fresh visits: median "
          f"{statistics.median(ready):.0f} ms, max {max(ready):.0f} ms")
    print(f"open to first bot message: median {statistics.median(greeted):.0f} ms, "
          f"max {max(greeted):.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
