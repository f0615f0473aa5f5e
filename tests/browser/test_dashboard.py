"""A navigator opens the dashboard in Chromium against the real stack: the charts are
drawn without JavaScript and without breaking the console's CSP, every chart has its
table, and axe-core finds no WCAG violation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.records import outcomes
from knowledge.db import make_engine
from tests.browser.conftest import console_account
from tests.browser.test_widget import AXE, WCAG

pytestmark = pytest.mark.browser
PASSWORD = "dashboard pass 2026"


@pytest.fixture(scope="module")
def navigator_account(navigator) -> str:
    return console_account(navigator, "dash", PASSWORD, "--team", "lane")


@pytest.fixture(scope="module")
def searches(navigator) -> None:
    """Searches to draw: some found nothing, some are too few to show."""
    engine = make_engine(navigator.database_url)
    today = dt.date.today()
    try:
        for kind, county, found, times in (("childcare", "Lane", 0, 7),
                                           ("transportation", "Lane", 0, 2),
                                           ("food", "Marion", 2, 6)):
            for n in range(times):
                outcomes.record(engine, outcomes.SearchOutcome(
                    journey="service", result_count=found, day=today - dt.timedelta(days=n),
                    service_category=kind, county=county, language="en", channel="socketio"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_navigator_reads_the_dashboard_with_no_accessibility_violations(
        navigator, navigator_account, searches, browser, width):
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run make widget")
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  java_script_enabled=True)
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    try:
        page.goto(f"{navigator.web_url}/console/login")
        page.get_by_label("Username").fill(navigator_account)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("link", name="Dashboard").click()
        page.wait_for_url("**/console/dashboard")
        page.wait_for_load_state("load")  # the stylesheet too, before measuring

        chart = page.get_by_role("img", name="Help asked for and not found", exact=False)
        assert chart.count() == 1 and chart.bounding_box()["width"] <= width
        table = page.locator("#h-unmet-services ~ table").inner_text()
        assert "childcare" in table and "fewer than 5" in table
        assert refused == [], refused

        # axe is injected past the console's CSP (script-src 'self'), in a second context.
        axe_context = browser.new_context(viewport={"width": width, "height": 900},
                                          bypass_csp=True)
        axe_context.add_cookies(context.cookies())
        audit = axe_context.new_page()
        try:
            audit.goto(f"{navigator.web_url}/console/dashboard")
            audit.get_by_role("heading", name="Dashboard", level=1).wait_for()
            audit.add_script_tag(path=str(AXE))
            result = audit.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        finally:
            axe_context.close()
        violations = [
            {"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert violations == [], json.dumps(violations, indent=2)
    finally:
        context.close()
