"""The profiler's bookkeeping (bench/profile_turns.py), without a model."""

from __future__ import annotations

import asyncio

from bench import profile_turns as p


def test_long_conversation_starts_and_ends_with_the_short_turn():
    script = p.growth_script(50)
    assert len(script) == 50
    assert script[0] == script[-1] == p.SHORT
    positions = [i for i, text in enumerate(script, start=1) if text == p.SHORT]
    # Turn 6 closes the same journey as turn 50: the fair comparison for growth.
    assert positions[1] == 6 and script[1:6] == script[45:50]


def test_a_shorter_conversation_still_ends_on_the_short_turn():
    assert p.growth_script(20)[-1] == p.SHORT
    assert len(p.growth_script(20)) <= 20


def test_own_time_is_what_no_sub_bucket_covers():
    turn = p.with_own_time({(): [10.0, 1], ("NLU pipeline",): [4.0, 1],
                            ("NLU pipeline", "Tok0"): [1.0, 1]})
    assert turn[(p.OWN,)] == [6.0, 0]
    assert turn[("NLU pipeline", p.OWN)] == [3.0, 0]


def test_summary_is_in_tree_order_with_medians():
    turns = [p.with_own_time({(): [t, 1], ("run actions",): [t / 2, 1],
                              ("lock store",): [1.0, 3]}) for t in (10.0, 20.0, 30.0)]
    turns[0][("run actions", "action server: x")] = [1.0, 1]
    summary = p.summarise(turns)
    keys = list(summary)
    assert keys.index(("run actions", "action server: x")) == keys.index(("run actions",)) + 1
    assert keys[-1] == (p.OWN,)  # the rest of a bucket comes after its named parts
    assert summary[()]["ms"] == 20.0
    assert summary[("run actions", "action server: x")]["ms"] == 0.0  # absent in 2 of 3


def test_timers_nest_spans_of_sync_async_and_class_methods():
    class Thing:
        @classmethod
        def build(cls, x):
            return x

        def inner(self):
            return Thing.build(1)

        async def outer(self):
            await asyncio.sleep(0)
            return self.inner()

    p.timed(Thing, "build", "build")
    p.timed(Thing, "inner", "inner")
    p.timed(Thing, "outer", lambda _self: "outer")
    p.RECORDER.start_turn()
    assert asyncio.run(Thing().outer()) == 1
    turn = p.RECORDER.stop_turn()
    assert list(turn) == [("outer",), ("outer", "inner"), ("outer", "inner", "build")]
    assert all(calls == 1 for _ms, calls in turn.values())
    assert Thing.build(2) == 2  # outside a measured turn the wrappers only pass through


def test_growth_is_a_line_fitted_to_every_measured_turn():
    growth = {1: {"turns": [{(): [100.0, 1]}, {(): [110.0, 1]}]},
              50: {"turns": [{(): [150.0, 1]}, {(): [160.0, 1]}]}}
    slope, intercept = p.trend(growth, ())
    assert round(slope * 49, 6) == 50.0 and round(intercept + slope, 6) == 105.0
    assert p.trend(growth, ("absent",)) == (0.0, 0.0)  # a bucket no turn had
