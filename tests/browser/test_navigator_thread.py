"""A learner and a navigator in one thread, each in their own Chromium window against the
real stack: the learner asks for a person in the widget; the navigator opens the referral
and replies; the reply shows in the widget (as text); the learner's answer shows on the
referral page without a reload; while held the bot says nothing; after "hand back" the
bot answers again."""

from __future__ import annotations

import time

import pytest

from tests.browser.test_catalogue import no_accessibility_violations
from tests.browser.test_console import PASSWORD, lane_navigator  # noqa: F401 (fixture)
from tests.browser.test_widget import bot_says, open_widget, type_message

pytestmark = pytest.mark.browser


def ask_for_a_person(page) -> str:
    """The learner's side of the referral, in the widget; returns the reference code."""
    bot_says(page, "chat bot")
    type_message(page, "welding classes in eugene")
    bot_says(page, "near Eugene")
    page.locator(".cnw-human").click()
    page.get_by_role("button", name="Yes, share it").click()
    bot_says(page, "first name")
    type_message(page, "Rosa")
    page.get_by_role("button", name="Call me").click()
    bot_says(page, "phone number")
    type_message(page, "503-555-0142")
    bot_says(page, "good time")
    type_message(page, "after 5 pm")
    page.get_by_role("button", name="English").click()
    done = page.get_by_role("button", name="Yes, send it")
    if done.count() == 0:  # asked where they live first
        type_message(page, "Eugene")
    page.get_by_role("button", name="Yes, send it").click()
    return bot_says(page, "Your code is").inner_text().split("Your code is ")[1][:6]


def test_learner_and_navigator_talk_in_one_thread(navigator, browser, lane_navigator):  # noqa: F811
    learner = browser.new_context().new_page()
    # axe-core is injected into the referral page, which the console's CSP forbids.
    staff = browser.new_context(bypass_csp=True).new_page()
    open_widget(learner, navigator.web_url)
    code = ask_for_a_person(learner)

    staff.goto(f"{navigator.web_url}/console/login")
    staff.get_by_label("Username").fill(lane_navigator)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_role("link", name=code).wait_for()
    no_accessibility_violations(staff)  # the queue with its marks
    staff.get_by_role("link", name=code).click()
    staff.get_by_role("heading", name=f"Referral {code}").wait_for()

    # Markup in a navigator's message reaches the learner as the characters typed.
    staff.get_by_label("Message to Rosa").fill("Hi Rosa, I'm <b>here</b>. When can we talk?")
    staff.get_by_role("button", name="Send").click()
    staff.get_by_text("Held by").wait_for()
    reply = learner.locator(".cnw-person", has_text="When can we talk?")
    reply.wait_for(timeout=10_000)
    assert f"{lane_navigator} (navigator): Hi Rosa, I'm <b>here</b>." in reply.inner_text()
    assert learner.locator(".cnw-person b").count() == 0

    # The learner answers; the open referral page shows it without a reload, and the
    # bot, held, says nothing.
    bot_turns = learner.locator(".cnw-bot").count()
    type_message(learner, "tomorrow after 5 works")
    staff.locator(".turn-learner", has_text="tomorrow after 5 works").wait_for(timeout=5_000)
    time.sleep(2)  # long enough for a bot answer to have come
    assert learner.locator(".cnw-bot").count() == bot_turns

    no_accessibility_violations(staff)  # the conversation, reply form and live feed

    staff.get_by_role("button", name="Hand back to the bot").click()
    staff.get_by_text("The bot is answering this learner.").wait_for()
    type_message(learner, "how much does the welding class cost")
    learner.locator(".cnw-bot").nth(bot_turns).wait_for(timeout=30_000)
    assert learner.locator(".cnw-bot").count() > bot_turns
    learner.context.close()
    staff.context.close()
