"""Playwright driving Debian's Chromium (Playwright cannot download its own browser here)."""

from __future__ import annotations

import os
import shutil
from typing import Iterator

import pytest

CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope: sync Playwright keeps an event loop running in this thread while it is
# open, which would break every async test collected after the browser tests.
@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def console_account(navigator, prefix: str, password: str, *options: str) -> str:
    """A new console account on the stack's database, made as an operator makes one
    (`python -m bot.console users add`); returns its username."""
    import subprocess
    import sys
    import uuid

    from tests.conftest import ROOT

    name = f"{prefix}{uuid.uuid4().hex[:6]}"
    done = subprocess.run(
        [sys.executable, "-m", "bot.console", "--database", navigator.database_url,
         "users", "add", name, *options, "--password-stdin"],
        input=password + "\n", cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return name
