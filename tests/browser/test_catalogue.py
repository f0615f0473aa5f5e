"""An editor keeps the catalogue in the browser, against the real stack: an upload with
five mistakes shows exactly those five; fixed, it is previewed and applied, and the bot
finds the new program by its new name without a restart; restoring the previous import
takes it away again. Every catalogue page passes axe-core's WCAG checks."""

from __future__ import annotations

import csv
import json
import shutil
import time
import uuid
import zipfile
from pathlib import Path
from typing import Dict, List

import pytest
from sqlalchemy import select

from knowledge import models as m
from knowledge.bundle import import_bundle
from knowledge.db import make_engine
from tests.browser.conftest import console_account
from tests.browser.test_widget import AXE, WCAG
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
PASSWORD = "catalogue editor 2026"
OREGON = ROOT / "knowledge" / "bundles" / "oregon"
# How long the running bot may take to know a new name: the entity matcher's refresh
# interval (config.yml, refresh_interval_seconds), plus a margin for the check itself.
REFRESH_SECONDS = 30
MARGIN_SECONDS = 30

NEW_PROGRAM = dict(
    id="lane-beekeeping", provider_id="lane", title="Beekeeping Basics", sector="agriculture",
    iet="false", description="Keep honey bees safely, from the first hive to the first harvest.",
    duration_weeks="8", hours_per_week="4", schedule="evening", modality="in_person",
    languages="en", cost_usd="450", next_start="2027-03-02",
    keywords="beekeeping; beekeeper; bees; apiary; apicultura", last_verified="2026-11-20",
    source="test")
FIVE_MISTAKES = dict(provider_id="lane-cc", sector="agricultre", cost_usd="-450",
                     next_start="2027-02-30", languages="en; sp")
FIVE_MESSAGES = [
    "programs.csv:72 cost_usd '-450' must be a number of 0 or more",
    "programs.csv:72 languages 'sp' is not an ISO 639-1 language code (like en, es)",
    "programs.csv:72 next_start '2027-02-30' is not a date written YYYY-MM-DD",
    "programs.csv:72 provider_id 'lane-cc' is not in providers.csv (did you mean 'lane'?)",
    "programs.csv:72 sector 'agricultre' is not one of: healthcare, manufacturing, "
    "construction, transportation, early_childhood, business, information_technology, "
    "hospitality, public_safety, agriculture, energy, other (did you mean 'agriculture'?)",
]
ASK = "beekeeping classes in eugene"


def oregon_with(folder: Path, program: Dict[str, str]) -> Path:
    """The sample bundle with one more program, as a spreadsheet would save it."""
    shutil.copytree(OREGON, folder)
    path = folder / "programs.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    rows.append({column: program.get(column, "") for column in header})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


def zipped(folder: Path) -> Path:
    target = folder.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{folder.name}/{path.name}")
    return target


def program_ids(url: str) -> List[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(select(m.Program.id)).scalars())
    finally:
        engine.dispose()


def newest_import(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(m.CatalogueImport.id).order_by(
                m.CatalogueImport.id.desc())).scalars().first()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def catalogue_editor(navigator) -> str:
    return console_account(navigator, "editor", PASSWORD, "--role", "editor")


@pytest.fixture
def sample_catalogue_after(navigator):
    """Whatever happens, the session's stack is left with the sample catalogue's programs
    for the tests that follow."""
    before = program_ids(navigator.database_url)
    yield
    if program_ids(navigator.database_url) != before:
        engine = make_engine(navigator.database_url)
        try:
            import_bundle(engine, OREGON)
        finally:
            engine.dispose()


@pytest.fixture
def editor_page(browser):
    # axe-core is injected into the page, which the console's CSP (rightly) forbids.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def no_accessibility_violations(page) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    violations = [{"id": v["id"], "help": v["help"],
                   "nodes": [n["target"] for n in v["nodes"]][:5]}
                  for v in result["violations"]]
    assert violations == [], f"{page.url}: {json.dumps(violations, indent=2)}"


def bot_finds(navigator, title: str) -> bool:
    replies = navigator.say(f"catalogue-{uuid.uuid4()}", ASK)
    return any(title in (reply.get("text") or "") for reply in replies)


def wait_until(check, seconds: float) -> float:
    """Seconds it took for `check()` to hold; fails after `seconds`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f"not within {seconds:.0f} s"
        time.sleep(2)
    return time.monotonic() - started


def test_an_editor_uploads_fixes_applies_and_restores_the_catalogue(
        navigator, catalogue_editor, editor_page, sample_catalogue_after, tmp_path):
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run make widget")
    page = editor_page
    console = f"{navigator.web_url}/console"
    previous = newest_import(navigator.database_url)
    assert not bot_finds(navigator, "Beekeeping Basics")

    page.goto(f"{console}/")
    page.get_by_label("Username").fill(catalogue_editor)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Catalogue").click()
    page.get_by_role("heading", name="Catalogue", exact=True).wait_for()
    no_accessibility_violations(page)

    # Five mistakes, uploaded as the seven CSV files chosen together.
    broken = oregon_with(tmp_path / "broken", {**NEW_PROGRAM, **FIVE_MISTAKES})
    page.get_by_label("Bundle:").set_input_files(sorted(broken.glob("*.csv")))
    page.get_by_role("button", name="Check the upload").click()
    page.get_by_role("heading", name="5 problems to fix").wait_for()
    rows = page.locator("table.problems tbody tr")
    assert [" ".join(rows.nth(i).locator("td").all_inner_texts())
            for i in range(rows.count())] == FIVE_MESSAGES
    assert "Nothing was changed" in page.locator("main").inner_text()
    no_accessibility_violations(page)
    assert newest_import(navigator.database_url) == previous

    # Fixed, zipped in a folder, previewed.
    fixed = zipped(oregon_with(tmp_path / "fixed", NEW_PROGRAM))
    page.get_by_label("Bundle:").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the upload").click()
    page.get_by_role("heading", name="What this upload changes").wait_for()
    text = page.locator("main").inner_text()
    assert "programs.csv: 1 added, 0 changed, 0 removed" in text
    assert "lane-beekeeping Beekeeping Basics" in text
    no_accessibility_violations(page)
    assert newest_import(navigator.database_url) == previous  # a preview changes nothing

    page.get_by_role("button", name="Apply this catalogue").click()
    page.get_by_text("is the catalogue now").wait_for()
    applied = newest_import(navigator.database_url)
    assert applied > previous and "lane-beekeeping" in program_ids(navigator.database_url)
    no_accessibility_violations(page)

    # The running bot knows the new name within its refresh interval, no restart.
    wait_until(lambda: bot_finds(navigator, "Beekeeping Basics"),
               REFRESH_SECONDS + MARGIN_SECONDS)

    # Restore the import before it: the program is gone, for the bot too.
    page.get_by_role("link", name="Import history and restore").click()
    page.get_by_role("heading", name="Import history").wait_for()
    newest = page.locator("table.history tbody tr").first.locator("td")
    assert newest.first.inner_text() == str(applied)
    assert newest.last.inner_text() == "current catalogue"
    no_accessibility_violations(page)
    page.get_by_role("link", name=f"Restore import {previous}").click()
    page.get_by_role("heading", name=f"Restore import {previous}?").wait_for()
    assert "programs.csv: 0 added, 0 changed, 1 removed" in page.locator("main").inner_text()
    no_accessibility_violations(page)
    page.get_by_role("button", name=f"Restore import {previous}").click()
    page.get_by_text("Restored: import").wait_for()
    assert "lane-beekeeping" not in program_ids(navigator.database_url)
    wait_until(lambda: not bot_finds(navigator, "Beekeeping Basics"),
               REFRESH_SECONDS + MARGIN_SECONDS)
