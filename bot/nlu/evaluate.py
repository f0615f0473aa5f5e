"""`python -m bot.nlu.evaluate`: how well the trained model understands held-out messages.

Runs every example of the held-out sets (tests/nlu/test_set.yml, English, and
tests/nlu/test_set_es.yml, Spanish; never used in training)
through the whole NLU pipeline, as the bot does at run time (the trained extractor *and* the
knowledge-base entity matcher), and reports:

- intent macro-F1 over the top-level intents (a retrieval intent such as `faq/what_is_iet`
  counts as `faq`), plus the response selector's accuracy on those;
- entity micro-F1: a found entity counts when its type and its words match an annotation,
  for what the trained entity extractor finds, which the annotations describe, and for
  everything the bot sees (that extractor plus the knowledge-base matcher, whose extra entities,
  right or wrong, the held-out annotations do not list: reported, not held to target).

Exits 1 when a score is below its target, so CI can hold the line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

from bot.settings import ROOT, Settings

TEST_SET = ROOT / "tests" / "nlu" / "test_set.yml"
TEST_SET_ES = ROOT / "tests" / "nlu" / "test_set_es.yml"
# The trained entity extractors the annotations describe (the knowledge-base matcher is not).
TRAINED_EXTRACTORS = frozenset({"DIETClassifier", "CRFEntityExtractor"})
# English: the target of issue 13 (measured 0.952 on 2026-12-01).
INTENT_TARGET = 0.95
ENTITY_TARGET = 0.90
# Spanish: a ratchet under the measured figure (0.937 on 2026-12-01), raised as it
# rises; the goal of issue 14 was 0.90. Its entity figure is reported, not held.
SPANISH_INTENT_FLOOR = 0.93
TARGETS = {TEST_SET: (INTENT_TARGET, ENTITY_TARGET), TEST_SET_ES: (SPANISH_INTENT_FLOOR, None)}

Span = Tuple[str, str]  # entity type, lowercased words


def macro_f1(pairs: Iterable[Tuple[str, str]]) -> Tuple[float, Dict[str, float]]:
    pairs = list(pairs)
    labels = {gold for gold, _ in pairs}
    scores = {}
    for label in sorted(labels):
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores[label] = f1(tp, fp, fn)
    return sum(scores.values()) / len(scores), scores


def f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def spans(text: str, entities: Iterable[dict], types: Set[str]) -> Counter:
    return Counter(
        (e["entity"], " ".join(text[e["start"]:e["end"]].lower().split()))
        for e in entities if e["entity"] in types
    )


def count(totals: List[int], gold: Counter, found: Counter) -> None:
    hit = sum((gold & found).values())
    totals[0] += hit
    totals[1] += sum(found.values()) - hit
    totals[2] += sum(gold.values()) - hit


async def evaluate(agent, test_set: Path) -> dict:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(test_set))
    types = {e["entity"] for m in data.intent_examples for e in m.get("entities") or []}
    intents: List[Tuple[str, str]] = []
    responses = Counter()
    trained = [0, 0, 0]  # tp, fp, fn
    combined = [0, 0, 0]
    misses: List[dict] = []
    for message in data.intent_examples:
        text = message.get("text")
        gold_intent = message.get("intent")
        gold_full = message.get("intent_response_key") or gold_intent
        parsed = await agent.parse_message(text)
        predicted = parsed["intent"]["name"]
        intents.append((gold_intent, predicted))
        if gold_full != gold_intent:
            selected = parsed.get("response_selector", {}).get(gold_intent, {})
            key = selected.get("response", {}).get("intent_response_key")
            responses[key == gold_full] += 1
            if key != gold_full:
                misses.append({"text": text, "response": gold_full, "selected": key})
        gold = spans(text, message.get("entities") or [], types)
        entities = parsed.get("entities") or []
        found = spans(text, entities, types)
        extracted = [e for e in entities if e.get("extractor") in TRAINED_EXTRACTORS]
        count(trained, gold, spans(text, extracted, types))
        count(combined, gold, found)
        if predicted != gold_intent or gold != found:
            ranking = [i["name"] for i in parsed.get("intent_ranking", [])[:2]]
            misses.append({"text": text, "intent": gold_intent, "predicted": predicted,
                           "ranking": ranking,
                           "missing": sorted(gold - found), "extra": sorted(found - gold)})
    intent_f1, per_intent = macro_f1(intents)
    return {
        "examples": len(intents),
        "intent_macro_f1": round(intent_f1, 4),
        "entity_f1": round(f1(*trained), 4),
        "entity_f1_with_knowledge_base": round(f1(*combined), 4),
        "response_selection_accuracy": round(responses[True] / max(1, sum(responses.values())), 4),
        "per_intent_f1": {k: round(v, 3) for k, v in per_intent.items()},
        "mistakes": misses,
    }


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def quiet_rasa() -> None:
    """Rasa logs every parse at debug level; the report is what matters here."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.WARNING)


def report_on(report: dict, test_set: Path, out: Path) -> bool:
    """Prints one held-out set's scores; False when one is below its target."""
    intent_target, entity_target = TARGETS.get(test_set, (INTENT_TARGET, ENTITY_TARGET))
    print(f"Held-out examples: {report['examples']} ({shown(test_set)})")
    for name, score in report["per_intent_f1"].items():
        print(f"  {name:<24} F1 {score:.3f}")
    print(f"Response selection (faq) accuracy: {report['response_selection_accuracy']:.3f}")
    print("Entity F1 with the knowledge-base matcher: "
          f"{report['entity_f1_with_knowledge_base']:.3f} (not a target)")
    print(f"Mistakes: {len(report['mistakes'])}, listed in {shown(out)}")
    ok = True
    for label, score, target in (("Intent macro-F1", report["intent_macro_f1"], intent_target),
                                 ("Entity F1 (trained extractor)", report["entity_f1"],
                                  entity_target)):
        if target is None:
            print(f"{label}: {score:.3f} (not a target)")
            continue
        verdict = "ok" if score >= target else "BELOW TARGET"
        ok &= score >= target
        print(f"{label}: {score:.3f} (target {target:.2f}) {verdict}")
    return ok


async def evaluate_all(model: Path, test_sets: List[Path], out: Path) -> bool:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    ok = True
    for i, test_set in enumerate(test_sets):
        report = await evaluate(agent, test_set)
        path = out if i == 0 else out.with_name(f"{out.stem}-{test_set.stem}{out.suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        ok &= report_on(report, test_set, path)
        print()
    return ok


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.nlu.evaluate", description=__doc__)
    parser.add_argument("--test-set", type=Path, action="append",
                        help="a held-out set (repeatable); default: English and Spanish")
    parser.add_argument("--model", type=Path, default=Settings.from_env().model_path)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "nlu-eval.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    quiet_rasa()
    sets = args.test_set or [TEST_SET, TEST_SET_ES]
    return 0 if asyncio.run(evaluate_all(args.model, sets, args.out)) else 1


if __name__ == "__main__":
    sys.exit(main())
