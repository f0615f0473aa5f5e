"""A person opens the demo page and chats with the navigator in Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_demo_page_answers_what_is_iet(navigator, page):
    page.goto(navigator.web_url)
    page.get_by_label("Your message").fill("what is IET?")
    page.get_by_role("button", name="Send").click()
    answer = page.locator(".msg-bot").last
    answer.wait_for(timeout=30_000)
    assert "Integrated Education and Training" in answer.inner_text()


def test_buttons_continue_the_conversation_and_text_stays_text(navigator, page):
    page.goto(navigator.web_url)
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    box = page.get_by_label("Your message")
    box.fill("hello <img src=x onerror=alert(1)>")
    box.press("Enter")
    page.get_by_role("button", name="What is a career pathway?").click()
    page.locator(".msg-bot", has_text="one step at a time").wait_for(timeout=30_000)
    assert page.locator(".msg-user").first.inner_text() == "hello <img src=x onerror=alert(1)>"
    assert page.locator(".chat-log img").count() == 0
    assert page.get_by_role("button", name="What is a career pathway?").first.is_disabled()


def bot_says(page, words: str):
    reply = page.locator(".msg-bot", has_text=words).last
    reply.wait_for(timeout=30_000)
    return reply.inner_text()


def test_a_learner_finds_a_program_and_help_by_clicking(navigator, page):
    """Journeys 1, 2 and 5 on the web: search, pick by button, follow up, find help."""
    page.goto(navigator.web_url)
    box = page.get_by_label("Your message")
    box.fill("welding classes in salem")
    box.press("Enter")
    found = bot_says(page, "near Salem")
    assert "Welding Career Pathway at Chemeketa Community College" in found
    page.get_by_role("button", name="Tell me about 1").click()
    details = bot_says(page, "Cost:")
    assert "Chemeketa Community College" in details
    page.get_by_role("button", name="What does it lead to?").last.click()
    assert "Oregon median" in bot_says(page, "Oregon median")
    box.fill("i need help with child care")
    box.press("Enter")
    help_text = bot_says(page, "Marion County")
    assert "Employment Related Day Care" in help_text
