from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionCountMisses, consecutive_misses


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


def tracker(*events: dict) -> Tracker:
    return Tracker("learner", {}, {}, list(events), False, None, {}, "action_listen")


def test_counts_only_the_latest_run_of_misses():
    events = [user("nlu_fallback"), user("greet"), {"event": "bot"}, user("nlu_fallback")]
    assert consecutive_misses(tracker(*events)) == 1


async def test_second_miss_in_a_row_is_flagged():
    events = await ActionCountMisses().run(
        CollectingDispatcher(), tracker(user("nlu_fallback"), user("nlu_fallback")), {}
    )
    assert events == [{"event": "slot", "timestamp": None, "name": "repeated_miss", "value": True}]


async def test_understood_message_resets_the_run():
    events = await ActionCountMisses().run(
        CollectingDispatcher(), tracker(user("nlu_fallback"), user("thank")), {}
    )
    assert events[0]["value"] is False


async def test_a_miss_that_names_a_term_explains_it_and_anything_else_asks_again():
    from actions.fallback import ActionNotUnderstood
    from tests.actions.run_action import tracker as with_message

    explained, asked = CollectingDispatcher(), CollectingDispatcher()
    await ActionNotUnderstood().run(explained, with_message(
        {}, intent="nlu_fallback", text="wait b4 that, wat is iet, the lady said it"), {})
    await ActionNotUnderstood().run(asked, with_message(
        {}, intent="nlu_fallback", text="blorp zzz"), {})
    assert [m["response"] for m in explained.messages] == ["utter_faq/what_is_iet"]
    assert [m["response"] for m in asked.messages] == ["utter_default"]


async def test_out_of_scope_offers_the_help_the_message_touches():
    from actions.fallback import ActionOutOfScope
    from tests.actions.run_action import tracker as with_message

    touches, plain = CollectingDispatcher(), CollectingDispatcher()
    await ActionOutOfScope().run(touches, with_message(
        {}, intent="out_of_scope", text="could u fill out my snap form for me"), {})
    await ActionOutOfScope().run(plain, with_message(
        {}, intent="out_of_scope", text="who won the game last night"), {})
    [offer] = touches.messages
    assert offer["response"] == "utter_out_of_scope_offer_help" and offer["need"] == "food"
    assert '"service_category": "food"' in offer["buttons"][0]["payload"]
    assert [m["response"] for m in plain.messages] == ["utter_out_of_scope"]
