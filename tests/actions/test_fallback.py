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
