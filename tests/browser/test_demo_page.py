"""A learner on the demo college page finds a program and help by clicking, in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.test_widget import bot_says, open_widget, type_message

pytestmark = pytest.mark.browser


def test_a_learner_finds_a_program_and_help_by_clicking(navigator, page):
    """Journeys 1, 2 and 5 on the web: search, pick by button, follow up, find help."""
    open_widget(page, navigator.web_url)
    bot_says(page, "chat bot")
    type_message(page, "welding classes in salem")
    found = bot_says(page, "near Salem").inner_text()
    assert "Welding Career Pathway at Chemeketa Community College" in found
    page.get_by_role("button", name="Tell me about 1").click()
    assert "Chemeketa Community College" in bot_says(page, "Cost:").inner_text()
    page.get_by_role("button", name="What does it lead to?").last.click()
    bot_says(page, "Oregon median")
    type_message(page, "i need help with child care")
    assert "Employment Related Day Care" in bot_says(page, "Marion County").inner_text()
