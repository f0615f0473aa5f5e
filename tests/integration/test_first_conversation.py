"""The first real conversation, over the REST channel of a running Rasa server."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

pytestmark = pytest.mark.integration


def texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


def test_greeting_offers_next_steps_as_buttons(navigator):
    replies = navigator.say(f"t-{uuid.uuid4()}", "hello")
    assert "I am a chat bot" in texts(replies)
    titles = [button["title"] for reply in replies for button in reply.get("buttons", [])]
    assert "What is IET?" in titles


def test_iet_is_explained_in_plain_words(navigator):
    replies = navigator.say(f"t-{uuid.uuid4()}", "wat is iet")
    answer = texts(replies)
    assert "Integrated Education and Training" in answer
    assert "at the same time" in answer


def test_whole_first_conversation(navigator):
    sender = f"t-{uuid.uuid4()}"
    assert "chat bot" in texts(navigator.say(sender, "hi"))
    assert "Integrated Education and Training" in texts(navigator.say(sender, "what is IET?"))
    assert "one step at a time" in texts(navigator.say(sender, "what is a career pathway?"))
    assert "welcome" in texts(navigator.say(sender, "thanks"))
    assert "Bye" in texts(navigator.say(sender, "bye"))


def test_out_of_scope_gets_a_polite_answer(navigator):
    answer = texts(navigator.say(f"t-{uuid.uuid4()}", "what's the weather"))
    assert "can't help with that" in answer


def test_misunderstanding_goes_through_the_fallback_action(navigator):
    """Handled by the custom action server: a second miss in a row offers topics."""
    sender = f"t-{uuid.uuid4()}"
    first = navigator.say(sender, "/nlu_fallback")
    assert "did not get that" in texts(first)
    second = navigator.say(sender, "/nlu_fallback")
    assert "still not sure" in texts(second)
    assert any(reply.get("buttons") for reply in second)


def test_turns_are_kept_in_the_tracker_store(navigator):
    sender = f"t-{uuid.uuid4()}"
    navigator.say(sender, "hello")
    with sqlite3.connect(navigator.var_dir / "tracker.db") as db:
        (count,) = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchone()
    assert count == 1


def test_demo_page_and_widget_assets_are_served(navigator):
    import requests

    page = requests.get(navigator.web_url, timeout=10)
    assert page.status_code == 200
    assert 'src="/static/widget.js"' in page.text and "Sample Community College" in page.text
    assert "nosniff" == page.headers["X-Content-Type-Options"]
    assert requests.get(f"{navigator.web_url}/static/widget.js", timeout=10).status_code == 200
