"""A navigator works a referral in the console, and a learner asks for a person on the
demo page, in Chromium against the real stack."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import console_account
from tests.browser.test_widget import bot_says, open_widget, type_message
from tests.integration.test_handoff import make_referral

pytestmark = pytest.mark.browser
PASSWORD = "navigator pass 2026"


@pytest.fixture(scope="module")
def lane_navigator(navigator) -> str:
    return console_account(navigator, "nav", PASSWORD, "--team", "lane")


def test_navigator_reviews_and_updates_a_referral(navigator, lane_navigator, page):
    sender = f"console-{uuid.uuid4()}"
    code = make_referral(navigator, sender)

    page.goto(f"{navigator.web_url}/console/")
    assert page.url.endswith("/console/login")
    page.get_by_label("Username").fill(lane_navigator)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name=code).click()
    page.get_by_role("heading", name=f"Referral {code}").wait_for()
    transcript = page.locator(".transcript").inner_text()
    assert "welding classes in eugene" in transcript
    assert "Su código es" in transcript  # what the learner read, in their language
    assert "+15415550199" in page.locator("dl").first.inner_text()

    page.get_by_label("New status").select_option("contacted")
    page.get_by_label("Note").fill("Called, left a voicemail in Spanish.")
    page.get_by_role("button", name="Save").click()
    history = page.locator(".history").inner_text()
    assert "new → contacted" in history and "left a voicemail" in history
    assert "contacted" in page.locator("main p").first.inner_text()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{navigator.web_url}/console/")
    assert page.url.endswith("/console/login")


def test_learner_asks_for_a_person_on_the_demo_page(navigator, page):
    open_widget(page, navigator.web_url)
    bot_says(page, "chat bot")
    page.locator(".cnw-human").click()
    page.get_by_role("button", name="Yes, share it").click()
    bot_says(page, "first name")
    type_message(page, "Rosa")
    page.get_by_role("button", name="Call me").click()
    bot_says(page, "phone number")
    type_message(page, "503-555-0142")
    bot_says(page, "good time")
    type_message(page, "after 5 pm")
    # A navigator who speaks Spanish: the conversation goes on in Spanish.
    page.get_by_role("button", name="Español").click()
    bot_says(page, "Dónde vive")
    type_message(page, "Salem")
    page.get_by_role("button", name="Sí, envíelo").click()
    assert "+15035550142" in bot_says(page, "Su código es").inner_text()
