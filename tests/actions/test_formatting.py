from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import (
    GSM7_BASIC,
    Choice,
    Reply,
    send,
    sms_messages,
    split_sms,
    to_gsm7,
)

CHOICES = [Choice("Welding", "/a"), Choice("CNA 1", "/b"), Choice("Child care", "/c")]


def tracker_on(channel: str) -> Tracker:
    events = [{"event": "user", "text": "hi", "input_channel": channel, "parse_data": {}}]
    return Tracker("learner", {}, {}, events, False, None, {}, "action_listen")


def test_smart_punctuation_emoji_and_accents_become_gsm7():
    text = to_gsm7("“Great” – it’s free… ¿Cuánto? 🎓")
    assert text == "\"Great\" - it's free... ¿Cuanto?"
    assert set(text) <= GSM7_BASIC


def test_long_text_splits_at_sentences_into_at_most_three_messages():
    sentence = "This is a sentence about a program that a learner might want to know. "
    messages = split_sms(sentence * 20)
    assert len(messages) == 3
    assert all(len(m) <= 320 for m in messages)
    assert messages[0].endswith(".")
    assert messages[-1].endswith("...")


def test_sms_choices_are_numbered_in_the_last_message():
    messages = sms_messages(Reply("I found 3 programs.", CHOICES))
    menu = "1. Welding\n2. CNA 1\n3. Child care\nReply 1, 2 or 3."
    assert messages == [f"I found 3 programs.\n{menu}"]


def test_web_gets_buttons_and_sms_gets_numbered_text():
    web, sms = CollectingDispatcher(), CollectingDispatcher()
    send(web, tracker_on("rest"), Reply("Pick one.", CHOICES))
    send(sms, tracker_on("sms"), Reply("Pick one — “now”.", CHOICES))
    assert web.messages[0]["text"] == "Pick one."
    assert [b["title"] for b in web.messages[0]["buttons"]] == ["Welding", "CNA 1", "Child care"]
    assert sms.messages[-1]["text"].endswith("Reply 1, 2 or 3.")
    assert '"now"' in sms.messages[0]["text"]
    assert all(len(m["text"]) <= 320 and set(m["text"]) <= GSM7_BASIC for m in sms.messages)
    # The SMS channel sends these as they are and maps "2" back to the second payload.
    assert sms.messages[-1]["custom"]["sms_ready"] is True
    assert [c["payload"] for c in sms.messages[-1]["custom"]["choices"]] == [
        c.payload for c in CHOICES]


def test_links_are_shortened_to_fit_a_text():
    long = "https://www.pcc.edu/programs/welding/career-pathway-certificate/" + "x" * 200
    messages = sms_messages(Reply(f"Apply here: {long}?utm_source=chat#top. Thanks."))
    assert messages == ["Apply here: pcc.edu/programs. Thanks."]
    assert sms_messages(Reply("See https://lanecc.edu/esl?x=1 now"))[0] == "See lanecc.edu/esl now"
