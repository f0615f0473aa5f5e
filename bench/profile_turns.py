"""Where the time of one turn goes, journey by journey: `make profile`.

Method. The Rasa agent (the trained model, with the endpoints the stack renders) and
the rasa-sdk action server run in this one process and event loop, on a fresh SQLite
tracker store and a fresh copy of the sample knowledge base in a temporary directory
(never var/). Wall-clock timers (time.perf_counter) wrap the methods a turn goes
through: each node of Rasa's graph (every NLU component, every policy), tracker store
load and save, the lock store, each call to the action server (request body, HTTP,
the action's code) and each knowledge query inside it. They add up, per turn, into a
tree of buckets. Each journey's turn is played N times, each time in a new conversation
after the same opening turns, and the tables show each bucket's median. N more passes
run the same turns under cProfile (stdlib) for the functions with the most own time.
Last, conversations of 50 turns show how the cost of the same short turn grows with the
conversation's length. docs/performance.md says what each bucket means.

The wrappers only read the clock; the turn does exactly what it does in the server.
The in-process action server is reached over real HTTP on loopback, as in the stack.

Run: `make profile` or `python -m bench.profile_turns [--reps N] [--turns N] [--quick]`.
The full results go to results/profile/profile.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime as dt
import functools
import inspect
import io
import json
import logging
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from bench.load_bench import free_port
from bot.settings import ROOT, Settings

OUT = ROOT / "results" / "profile" / "profile.json"
TOOL = ("wall-clock timers (time.perf_counter) wrapped around Rasa, rasa-sdk and knowledge "
        "methods, in one process; cProfile (stdlib) for own time per function")


@dataclass(frozen=True)
class Case:
    journey: str
    opening: Tuple[str, ...]  # played first, not measured: the context of the turn
    text: str  # the measured turn


CASES = [
    Case("program search", ("hi",), "welding classes in salem"),
    Case("program follow-up: pick", ("hi", "welding classes in salem"), "tell me more about 1"),
    Case("program follow-up: cost", ("hi", "welding classes in salem", "tell me more about 1"),
         "how much is it"),
    Case("services need", ("hi",), "i need child care in eugene"),
    Case("FAQ", ("hi",), "what is IET?"),
    Case("career pathway", ("hi",), "what comes after CNA?"),
    Case("wages", ("hi",), "how much do welders make"),
    Case("handoff to a person", ("hi",), "talk to a person"),
    Case("short: yes (consent)", ("hi", "talk to a person"), "yes"),
    Case("short: thanks", ("hi", "welding classes in salem"), "thanks"),
    Case("short: 1 (pick)", ("hi", "welding classes in salem"), "1"),
    Case("Spanish search", ("hola",), "busco clases de soldadura en salem"),
]

# The long conversation: the short turn first, then whole journeys each closed by it,
# so turn 6 and turn 50 follow the same journey and differ only in what came before.
# (Each journey must end with no form open, or the short turn would answer the form.)
SHORT = "thanks"
BLOCKS = [
    ["welding classes in salem", "tell me more about 1", "how much is it",
     "what does it lead to", SHORT],
    ["i need child care in eugene", SHORT],
    ["what is IET?", "how much do cnas make", "what comes after CNA?", SHORT],
]


def growth_script(length: int) -> List[str]:
    """`length` turns (or the nearest fewer) that start and end with the short turn."""
    script = [SHORT]
    while len(script) < length:
        script += BLOCKS[(script.count(SHORT) - 1) % len(BLOCKS)]
    script = script[:length]
    return script[: len(script) - script[::-1].index(SHORT)]


# --- timing ----------------------------------------------------------------------------

Key = Tuple[str, ...]  # a bucket: its labels from the top of the turn down


class Recorder:
    """Adds up the time of named spans during the turn being measured, as a tree.

    One turn is measured at a time, so a plain stack of open spans says where a span
    belongs, even across the HTTP call into the action server (another task of the same
    loop). Spans in worker threads (queries) only read the stack, never change it.
    """

    def __init__(self) -> None:
        self.turn: Optional[Dict[Key, List[float]]] = None  # bucket -> [ms, calls]
        self._open: List[Key] = [()]
        self._lock = threading.Lock()

    def start_turn(self) -> None:
        self.turn, self._open = {}, [()]

    def stop_turn(self) -> Dict[Key, List[float]]:
        turn, self.turn = self.turn or {}, None
        return turn

    @contextlib.contextmanager
    def span(self, label: str, nest: bool = True) -> Iterator[None]:
        turn = self.turn
        if turn is None:
            yield
            return
        key = self._open[-1] + (label,)
        with self._lock:
            turn.setdefault(key, [0.0, 0])  # first opened, first listed
        if nest:
            self._open.append(key)
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            if nest and key in self._open:
                del self._open[len(self._open) - 1 - self._open[::-1].index(key)]
            with self._lock:
                turn[key][0] += elapsed
                turn[key][1] += 1


RECORDER = Recorder()


def timed(owner: Any, attr: str, label: Any, nest: bool = True) -> None:
    """Replaces `owner.attr` by the same callable inside a span; `label` may be a
    function of the call's arguments. Works for functions, methods and classmethods."""
    static = inspect.getattr_static(owner, attr)
    is_classmethod = isinstance(static, classmethod)
    original: Callable = static.__func__ if is_classmethod else getattr(owner, attr)
    name = label if callable(label) else (lambda *_args, **_kwargs: label)

    if inspect.iscoroutinefunction(original):
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            with RECORDER.span(name(*args, **kwargs), nest):
                return await original(*args, **kwargs)
    else:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with RECORDER.span(name(*args, **kwargs), nest):
                return original(*args, **kwargs)

    wrapper = functools.wraps(original)(wrapper)
    setattr(owner, attr, classmethod(wrapper) if is_classmethod else wrapper)


def node_label(node_name: str) -> str:
    """'run_bot.nlu.language.LanguageDetector8' -> 'LanguageDetector8' (graph node names
    end with the component's position, which tells the two CountVectorsFeaturizers apart)."""
    return node_name.removeprefix("run_").rsplit(".", 1)[-1]


def install_timers(agent: Any) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.lock_store import LockStore
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
    from rasa.engine.graph import GraphNode
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor

    import actions.catalogue_access
    import bot.tracker_store as ours  # wraps RemoteAction.run first; ours goes outside
    from bot.records import store
    from knowledge.catalogue import Catalogue

    for attr in ("issue_ticket", "_acquire_lock", "cleanup"):
        timed(LockStore, attr, "lock store")
    timed(FailSafeTrackerStore, "retrieve", "tracker store: load")
    timed(DialogueStateTracker, "from_dict", "rebuild tracker from stored events")
    timed(DialogueStateTracker, "from_events", "replay events into a tracker")
    # Our store's own steps, where it has them (bot/tracker_store.py); its SQL runs in
    # worker threads, where spans must not nest.
    for owner, attr, label in (
        (ours.ErasableSQLTrackerStore, "_read", "SQL: read the rows added since"),
        (ours, "deserialise_events", "deserialise events"),
        (ours.Folded, "view", "recent view of a long conversation"),
        (ours.ErasableSQLTrackerStore, "_append", "SQL: write the new rows"),
    ):
        # A renamed step must break the profile, not drop out of it unseen.
        timed(owner, attr, label, nest=not label.startswith("SQL:"))
    timed(MessageProcessor, "_parse_message_with_graph", "NLU pipeline")
    timed(GraphNode, "__call__", lambda node, *_: node_label(node._node_name))
    timed(MessageProcessor, "run_action_extract_slots", "slot extraction")
    timed(MessageProcessor, "_predict_next_with_tracker", "policies: predict next action")
    timed(MessageProcessor, "_run_action", "run actions")
    timed(RemoteAction, "run", lambda action, *_: f"action server: {action.name()}")
    timed(RemoteAction, "_action_call_format", "request body (tracker state + domain)")
    timed(EndpointConfig, "request", "HTTP POST to the action server")
    timed(ActionExecutor, "run", "action code (rasa-sdk)")
    timed(RemoteAction, "_validate_action_result", "check the reply (jsonschema)")
    timed(agent.processor.nlg, "generate", "fill a response (NLG)")
    timed(FailSafeTrackerStore, "save", "tracker store: save")
    timed(SQLTrackerStore, "_additional_events", "count stored events (Rasa)")
    # Queries run in worker threads (or several at once): they must not nest.
    timed(Catalogue, "_run", lambda _c, fn, *_a, **_k: f"query: {fn.__name__}", nest=False)
    timed(actions.catalogue_access, "locate", "query: locate (place)", nest=False)
    for fn in ("create_referral", "learner_referrals", "cancel_learner_referrals",
               "erase_learner"):
        timed(store, fn, f"query: store.{fn}", nest=False)


# --- the process under test ------------------------------------------------------------

async def start_action_server(port: int) -> Any:
    """rasa-sdk's own app (as `rasa run actions` serves it), in this event loop."""
    from rasa_sdk.endpoint import create_app

    app = create_app("actions")
    server = await app.create_server(host="127.0.0.1", port=port, access_log=False,
                                     return_asyncio_server=True)
    await server.startup()  # Sanic 21.12: already listening; this finalises the routes
    return server


async def load_agent(model: Path, var_dir: Path, actions_port: int) -> Any:
    from rasa.core.agent import load_agent as rasa_load_agent
    from rasa.core.utils import AvailableEndpoints

    from bot.endpoints import render_endpoints

    endpoints = render_endpoints(
        var_dir / "endpoints.yml", actions_url=f"http://127.0.0.1:{actions_port}/webhook",
        tracker_url=f"sqlite:///{var_dir / 'tracker.db'}")
    agent = await rasa_load_agent(str(model),
                                  endpoints=AvailableEndpoints.read_endpoints(str(endpoints)))
    if not agent.is_ready():
        raise SystemExit(f"Could not load the model {model} (see the log above).")
    return agent


async def say(agent: Any, sender: str, text: str, measure: bool = False
              ) -> Dict[Key, List[float]]:
    """One turn as the REST channel hands it over; its buckets when measured."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    message = UserMessage(text, CollectingOutputChannel(), sender, input_channel="rest")
    if measure:
        RECORDER.start_turn()
    started = time.perf_counter()
    await agent.handle_message(message)
    total = (time.perf_counter() - started) * 1000
    if not measure:
        return {}
    return with_own_time({(): [total, 1], **RECORDER.stop_turn()})


async def play_case(agent: Any, case: Case, measure: bool = True) -> Dict[Key, List[float]]:
    sender = f"profile-{uuid.uuid4().hex[:12]}"
    for text in case.opening:
        await say(agent, sender, text)
    return await say(agent, sender, case.text, measure)


async def after_turn(agent: Any, tracker_db: Path, sender: str
                     ) -> Tuple[int, int, List[str]]:
    """Events stored for the conversation, events in the tracker a turn gets (our store
    may hand over a shorter view of a long conversation), and the last turn's actions."""
    with contextlib.closing(sqlite3.connect(tracker_db)) as db:
        stored = db.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                            (sender,)).fetchone()[0]
    tracker = await agent.tracker_store.retrieve(sender)
    ran: List[str] = []
    for event in reversed(tracker.events):
        if event.type_name == "user":
            break
        if event.type_name == "action":
            ran.insert(0, event.action_name)
    return stored, len(tracker.events), ran


# --- figures ---------------------------------------------------------------------------

OWN = "(own time)"
# First-level buckets and their column in the overview.
COLUMNS = {"lock store": "lock", "tracker store: load": "load", "NLU pipeline": "NLU",
           "slot extraction": "slots", "policies: predict next action": "policies",
           "run actions": "actions", "tracker store: save": "save", OWN: "other"}


def with_own_time(turn: Dict[Key, List[float]]) -> Dict[Key, List[float]]:
    """Adds, under each bucket with sub-buckets, the time spent in none of them (for the
    turn itself: Rasa's work outside every bucket). Queries may overlap, hence max(0)."""
    inner: Dict[Key, float] = {}
    for key, (ms, _calls) in turn.items():
        if key:
            inner[key[:-1]] = inner.get(key[:-1], 0.0) + ms
    for parent, ms in inner.items():
        turn[parent + (OWN,)] = [max(0.0, turn[parent][0] - ms), 0]
    return turn


def summarise(turns: List[Dict[Key, List[float]]]) -> Dict[Key, Dict[str, float]]:
    """Median ms and calls of each bucket over the turns (0 where a turn lacks it),
    in tree order: each bucket followed by its own buckets, in the order they first ran."""
    keys: Dict[Key, None] = {}
    for turn in turns:
        keys.update(dict.fromkeys(turn))
    children: Dict[Key, List[Key]] = {}
    for key in keys:
        if key:
            children.setdefault(key[:-1], []).append(key)
    ordered: List[Key] = []

    def walk(key: Key) -> None:
        ordered.append(key)
        for child in sorted(children.get(key, []), key=lambda k: k[-1] == OWN):
            walk(child)

    walk(())
    return {key: {"ms": statistics.median(t.get(key, [0.0, 0])[0] for t in turns),
                  "calls": statistics.median(t.get(key, [0.0, 0])[1] for t in turns)}
            for key in ordered}


def overview(turns: List[Dict[Key, List[float]]]) -> Dict[str, float]:
    """The overview's columns, each the median over the turns of a per-turn figure."""
    def figures(turn: Dict[Key, List[float]]) -> Dict[str, float]:
        calls = [v for k, v in turn.items() if k and k[-1].startswith("action server:")]
        row = {"total": turn[()][0]}
        row.update({column: turn.get((name,), [0.0])[0] for name, column in COLUMNS.items()})
        row["server"] = sum(ms for ms, _ in calls)
        row["calls"] = sum(n for _, n in calls)
        row["queries"] = sum(v[0] for k, v in turn.items() if k and k[-1].startswith("query:"))
        return row

    rows = [figures(turn) for turn in turns]
    return {column: statistics.median(row[column] for row in rows) for column in rows[0]}


def tree_lines(columns: List[Dict[Key, Dict[str, float]]], order: List[Key],
               min_ms: float = 0.05) -> List[str]:
    """One row per bucket of `order`: median ms and calls in each column, then the share
    of the first column's turn; rows under `min_ms` everywhere are left out (not from JSON)."""
    total = columns[0][()]["ms"] or 1.0
    lines = []
    for key in order:
        cells = [summary.get(key, {"ms": 0.0, "calls": 0}) for summary in columns]
        if key and max(c["ms"] for c in cells) < min_ms:
            continue
        label = "  " * len(key) + (key[-1] if key else "turn (wall time)")
        own = key[-1:] == (OWN,)  # a remainder, not calls
        figures = "".join(f"{c['ms']:9.1f} {'' if own else format(c['calls'], '.3g'):>5}"
                          for c in cells)
        lines.append(f"{figures} {100 * cells[0]['ms'] / total:5.1f}%  {label}")
    return lines


def trend(growth: Dict[int, Dict[str, list]], key: Key) -> Tuple[float, float]:
    """Least-squares line (ms per turn, ms at turn 0) of a bucket over every measured
    short turn of the long conversations: steadier than two medians on a busy machine."""
    positions = [p for p, g in growth.items() for _ in g["turns"]]
    ms = [turn.get(key, [0.0])[0] for g in growth.values() for turn in g["turns"]]
    slope, intercept = statistics.linear_regression(positions, ms)
    return slope, intercept


def top_functions(profiler: cProfile.Profile, count: int = 15) -> List[Dict[str, Any]]:
    stats = pstats.Stats(profiler, stream=io.StringIO()).sort_stats("tottime")
    total = sum(entry[2] for entry in stats.stats.values()) or 1.0
    rows = []
    for func in stats.fcn_list[:count]:
        calls, _primitive, own, cumulative, _callers = stats.stats[func]
        path, line, name = func
        short = path.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append({"function": f"{short}:{line}({name})", "calls": calls,
                     "own_ms": own * 1000, "cumulative_ms": cumulative * 1000,
                     "own_share": own / total})
    return rows


def revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+uncommitted" if git("status", "--porcelain", "--untracked-files=no")
                     else "")


# --- the run ---------------------------------------------------------------------------

async def profile(model: Path, reps: int, growth_turns: int) -> Dict[str, Any]:
    from bot.prepare import prepare_database

    var_dir = Path(tempfile.mkdtemp(prefix="nav-profile-"))
    database = f"sqlite:///{var_dir / 'navigator.db'}"
    # Read by the action server's catalogue and the entity matcher at model load.
    os.environ.update(NAVIGATOR_VAR_DIR=str(var_dir), NAVIGATOR_DATABASE_URL=database)
    with contextlib.redirect_stdout(io.StringIO()):
        prepare_database(database)
    port = free_port()
    server = await start_action_server(port)
    started = time.perf_counter()
    agent = await load_agent(model, var_dir, port)
    load_seconds = time.perf_counter() - started
    print(f"model loaded in {load_seconds:.1f} s; warming up...", flush=True)
    install_timers(agent)
    try:
        for case in CASES:  # the first search builds the catalogue index, and so on
            await play_case(agent, case, measure=False)

        cases = []
        for case in CASES:
            turns = [await play_case(agent, case) for _ in range(reps)]
            cases.append((case, turns))
            print(f"  {case.journey}: median {overview(turns)['total']:.0f} ms", flush=True)

        print(f"cProfile ({reps} more passes)...", flush=True)
        profiler = cProfile.Profile()
        for case in CASES * reps:
            sender = f"profile-{uuid.uuid4().hex[:12]}"
            for text in case.opening:
                await say(agent, sender, text)
            profiler.enable()
            await say(agent, sender, case.text)
            profiler.disable()

        script = growth_script(growth_turns)
        print(f"long conversations ({reps} x {len(script)} turns)...", flush=True)
        growth: Dict[int, Dict[str, list]] = {
            i: {"turns": [], "stored": [], "seen": [], "ran": []}
            for i, text in enumerate(script, start=1) if text == SHORT}
        for _ in range(reps):
            sender = f"profile-long-{uuid.uuid4().hex[:12]}"
            for position, text in enumerate(script, start=1):
                turn = await say(agent, sender, text, measure=position in growth)
                if turn:
                    stored, seen, ran = await after_turn(agent, var_dir / "tracker.db", sender)
                    growth[position]["turns"].append(turn)
                    growth[position]["stored"].append(stored)
                    growth[position]["seen"].append(seen)
                    growth[position]["ran"].append(ran)
    finally:
        server.close()
        shutil.rmtree(var_dir, ignore_errors=True)
    return {"load_seconds": load_seconds, "cases": cases, "growth": growth,
            "top_functions": top_functions(profiler)}


def report(results: Dict[str, Any], meta: Dict[str, Any]) -> None:
    print(f"\nTool: {TOOL}.\nModel {meta['model']} (sha256 {meta['model_sha256'][:12]}), "
          f"commit {meta['commit']}, {meta['date']}, {meta['machine']}; median of "
          f"{meta['reps']} repetitions per turn; model loaded in {results['load_seconds']:.1f} s.")
    header = f"{'ms':>9} {'calls':>5} {'share':>6}  bucket"
    for case, turns in results["cases"]:
        summary = summarise(turns)
        print(f"\n== {case.journey}: {case.text!r} (after {' / '.join(map(repr, case.opening))})")
        print(header)
        print("\n".join(tree_lines([summary], list(summary))))

    print("\n== Overview: median ms per turn by first-level bucket; then 'server': all the "
          "action server calls\n   (in 'slots' and 'actions'), 'calls': how many, 'queries': "
          "the knowledge queries inside them")
    rows = [(case.journey, overview(turns)) for case, turns in results["cases"]]
    columns = list(rows[0][1])
    print(f"{'journey':24}" + "".join(f"{c:>9}" for c in columns))
    for journey, row in rows:
        print(f"{journey:24}" + "".join(f"{row[c]:9.1f}" for c in columns))

    growth = results["growth"]
    positions = sorted(growth)
    print(f"\n== Growth: {SHORT!r} at each point of one {positions[-1]}-turn conversation "
          f"(median of {meta['reps']} conversations)")
    print("('stored': events stored for the conversation after the turn; 'seen': events in "
          "the tracker the turn got)")
    print(f"{'turn':>4} {'stored':>7} {'seen':>5}" + "".join(f"{c:>9}" for c in columns))
    for p in positions:
        row = overview(growth[p]["turns"])
        print(f"{p:4} {statistics.median(growth[p]['stored']):7.0f} "
              f"{statistics.median(growth[p]['seen']):5.0f}"
              + "".join(f"{row[c]:9.1f}" for c in columns))
    first, after, last = positions[0], positions[1], positions[-1]
    for p in (first, after, last):
        print(f"turn {p} ran: {', '.join(growth[p]['ran'][0])}")
    if growth[after]["ran"] != growth[last]["ran"]:
        print(f"WARNING: turn {after} and turn {last} did not run the same actions: "
              "the comparison below is not like for like.")
    picked = [summarise(growth[p]["turns"]) for p in (first, after, last)]
    order = list(summarise([t for p in (last, after, first) for t in growth[p]["turns"]]))
    print(f"\nturn {first} | turn {after} (after the same journey as turn {last}) | turn {last}:")
    print("".join(f"{'ms':>9} {'calls':>5}" for _ in picked) + " share  bucket")
    print("\n".join(tree_lines(picked, order)))
    t1, ta, tn = (s[()]["ms"] for s in picked)
    slope, intercept = trend(growth, ())
    at_first, at_last = intercept + slope * first, intercept + slope * last
    print(f"medians: turn {last} / turn {first} = {tn / t1:.2f}x, turn {last} / turn {after} = "
          f"{tn / ta:.2f}x; line fitted to all {sum(len(g['turns']) for g in growth.values())} "
          f"measured turns: {at_first:.1f} ms at turn {first}, {at_last:.1f} ms at turn {last} "
          f"= {at_last / at_first:.2f}x (target: at most 1.2x)")
    grew = sorted(((trend(growth, k)[0] * (last - first), k) for k in order if k), reverse=True)
    print(f"grow most from turn {first} to turn {last} (fitted lines): "
          + "; ".join(f"{' > '.join(k)} {d:+.1f} ms" for d, k in grew[:6]))

    print(f"\n== Top 15 functions by own time (cProfile over {meta['reps']} more passes of every "
          "journey's turn;\n   it sees the event loop's thread only: SQL in worker threads shows "
          "as the loop's idle 'poll')")
    print(f"{'own ms':>8} {'share':>6} {'cum ms':>8} {'calls':>7}  function")
    for row in results["top_functions"]:
        print(f"{row['own_ms']:8.1f} {100 * row['own_share']:5.1f}% {row['cumulative_ms']:8.1f} "
              f"{row['calls']:7}  {row['function']}")


def as_json(results: Dict[str, Any], meta: Dict[str, Any]) -> Dict[str, Any]:
    def buckets(turns: List[Dict[Key, List[float]]]) -> List[Dict[str, Any]]:
        return [{"bucket": list(key), **entry} for key, entry in summarise(turns).items()]

    return {
        **meta, "tool": TOOL, "load_seconds": results["load_seconds"],
        "cases": [{"journey": c.journey, "opening": list(c.opening), "text": c.text,
                   "overview": overview(turns), "buckets": buckets(turns)}
                  for c, turns in results["cases"]],
        "growth": [{"turn": p, "text": SHORT, "stored_events": statistics.median(g["stored"]),
                    "events_seen": statistics.median(g["seen"]),
                    "actions": g["ran"][0], "overview": overview(g["turns"]),
                    "buckets": buckets(g["turns"])}
                   for p, g in sorted(results["growth"].items())],
        "growth_fit_ms_per_turn": {" > ".join(k) or "turn": trend(results["growth"], k)[0]
                                   for k in summarise([t for g in results["growth"].values()
                                                       for t in g["turns"]])},
        "top_functions": results["top_functions"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="repetitions per turn (median)")
    parser.add_argument("--turns", type=int, default=50, help="length of the long conversation")
    parser.add_argument("--quick", action="store_true", help="2 repetitions")
    parser.add_argument("--model", type=Path, default=Settings.from_env().model_path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    reps = 2 if args.quick else args.reps
    if not args.model.exists():
        raise SystemExit(f"No trained model at {args.model}: run `make setup` first.")
    logging.basicConfig(level=logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # as quiet as `rasa run`, minus its INFO lines

    sha_file = args.model.with_name(args.model.name + ".sha256")
    meta = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": revision(), "model": str(args.model.relative_to(ROOT)
                                          if args.model.is_relative_to(ROOT) else args.model),
        "model_sha256": sha_file.read_text().split()[0] if sha_file.exists() else "?",
        "machine": f"{os.cpu_count()} CPUs, {platform.platform()}, Python "
                   f"{platform.python_version()}",
        "reps": reps,
    }
    results = asyncio.run(profile(args.model, reps, args.turns))
    report(results, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(as_json(results, meta), indent=1))
    print(f"\nFull results: {args.out}")


if __name__ == "__main__":
    main()
