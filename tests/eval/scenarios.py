"""Acceptance scenarios: loading, checking their shape, and judging one reply.

The format is described in tests/eval/README.md. Loading fails with every problem listed
(file, scenario id, what is wrong) rather than the first, so a scenario author fixes the
file in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCENARIO_FILES = tuple(sorted(HERE.glob("scenarios*.yml")))
CATEGORIES = (
    "program_search", "program_followup", "services", "career_ladder", "credentials",
    "explanations", "handoff", "status", "crisis", "out_of_scope", "no_match", "compound",
    "places",
)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CHECK_KINDS = ("all", "any", "none")


class ScenarioError(ValueError):
    """The scenario files have problems; the message lists each one."""


@dataclass(frozen=True)
class Expect:
    all: Tuple[str, ...] = ()
    any: Tuple[str, ...] = ()
    none: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    user: Optional[str]
    click: Optional[str]
    expect: Expect
    fallback_ok: bool = False

    @property
    def shown(self) -> str:
        return self.user if self.user is not None else f"[clicks {self.click!r}]"


@dataclass(frozen=True)
class Scenario:
    id: str
    category: str
    persona: str
    turns: Tuple[Turn, ...]
    source: str = ""


@dataclass
class Verdict:
    ok: bool
    problems: List[str] = field(default_factory=list)


def _strings(value: Any, where: str, problems: List[str]) -> Tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: expected a list of non-empty strings")
        return ()
    return tuple(value)


def _turn(raw: Any, where: str, problems: List[str]) -> Optional[Turn]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: a turn is a mapping with 'user' or 'click'")
        return None
    unknown = set(raw) - {"user", "click", "expect", "fallback_ok"}
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    user, click = raw.get("user"), raw.get("click")
    if (user is None) == (click is None):
        problems.append(f"{where}: give exactly one of 'user' or 'click'")
        return None
    for name, value in (("user", user), ("click", click)):
        if value is not None and (not isinstance(value, (str, int)) or not str(value).strip()):
            problems.append(f"{where}: '{name}' must be non-empty text")
            return None
    expect_raw = raw.get("expect") or {}
    if not isinstance(expect_raw, dict) or set(expect_raw) - set(CHECK_KINDS):
        problems.append(f"{where}: 'expect' takes only {', '.join(CHECK_KINDS)}")
        expect_raw = {}
    expect = Expect(**{k: _strings(expect_raw.get(k), f"{where}.expect.{k}", problems)
                       for k in CHECK_KINDS})
    return Turn(
        user=None if user is None else str(user),
        click=None if click is None else str(click),
        expect=expect,
        fallback_ok=bool(raw.get("fallback_ok", False)),
    )


def parse(document: Any, source: str) -> Tuple[List[Scenario], List[str]]:
    problems: List[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("scenarios"), list):
        return [], [f"{source}: expected 'version: 1' and a 'scenarios:' list"]
    if document.get("version") != 1:
        problems.append(f"{source}: 'version' must be 1")
    scenarios = []
    for i, raw in enumerate(document["scenarios"]):
        where = f"{source}: scenario {i + 1}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a mapping")
            continue
        sid = str(raw.get("id", ""))
        where = f"{source}: {sid or f'scenario {i + 1}'}"
        if not ID_RE.match(sid):
            problems.append(f"{where}: 'id' must be lower-case letters, digits and dashes")
        if raw.get("category") not in CATEGORIES:
            problems.append(f"{where}: 'category' must be one of {', '.join(CATEGORIES)}")
        turns_raw = raw.get("turns")
        if not isinstance(turns_raw, list) or not turns_raw:
            problems.append(f"{where}: 'turns' must be a non-empty list")
            continue
        turns = [_turn(t, f"{where} turn {j + 1}", problems) for j, t in enumerate(turns_raw)]
        if turns and turns[0] is not None and turns[0].click is not None:
            problems.append(f"{where}: the first turn cannot click (there is no reply yet)")
        scenarios.append(Scenario(
            id=sid, category=str(raw.get("category")), persona=str(raw.get("persona", "")),
            turns=tuple(t for t in turns if t is not None), source=source,
        ))
    return scenarios, problems


@cache
def load(paths: Sequence[Path] = SCENARIO_FILES) -> Tuple[Scenario, ...]:
    """Every scenario of every file; raises ScenarioError listing all problems."""
    scenarios: List[Scenario] = []
    problems: List[str] = []
    for path in paths:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            problems.append(f"{path.name}: not valid YAML: {error}")
            continue
        found, wrong = parse(document, path.name)
        scenarios += found
        problems += wrong
    seen: Dict[str, str] = {}
    for scenario in scenarios:
        if scenario.id in seen:
            problems.append(f"{scenario.source}: {scenario.id}: id also used in "
                            f"{seen[scenario.id]}")
        seen.setdefault(scenario.id, scenario.source)
    if problems:
        raise ScenarioError("\n".join(problems))
    return tuple(scenarios)


def reply_text(messages: Sequence[Dict[str, Any]]) -> str:
    """What the learner sees of one turn: every message's text and button titles."""
    parts: List[str] = []
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]))
        parts += [str(b.get("title", "")) for b in message.get("buttons") or []]
    return "\n".join(parts)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def judge(turn: Turn, messages: Sequence[Dict[str, Any]], fallbacks: Sequence[str]) -> Verdict:
    """Whether one reply holds what the turn expects."""
    text = _fold(reply_text(messages))
    problems: List[str] = []
    if not text:
        problems.append("no reply")
    elif not turn.fallback_ok and any(_fold(f) in text for f in fallbacks):
        problems.append("answered with the did-not-understand fallback")
    missing = [s for s in turn.expect.all if _fold(s) not in text]
    if missing:
        problems.append(f"missing: {missing}")
    if turn.expect.any and not any(_fold(s) in text for s in turn.expect.any):
        problems.append(f"none of: {list(turn.expect.any)}")
    present = [s for s in turn.expect.none if _fold(s) in text]
    if present:
        problems.append(f"must not say: {present}")
    return Verdict(not problems, problems)


def find_button(messages: Sequence[Dict[str, Any]], title: str) -> Optional[Dict[str, Any]]:
    """The first button whose title contains `title`; else the same button in Spanish.

    Scenarios name buttons by their English title. When the conversation is in Spanish
    (the learner wrote or chose Spanish), "Tell me about 1" is the button the domain
    writes as "Más sobre el 1" in Spanish: same response, other language variant.
    """
    buttons = [b for message in messages for b in message.get("buttons") or []]
    wanted = _fold(title)
    for button in buttons:
        if wanted in _fold(str(button.get("title", ""))):
            return button
    translations = {_fold(text) for text in spanish_titles(title)}
    for button in buttons:
        if _fold(str(button.get("title", ""))) in translations:
            return button
    return None


@cache
def _response_variants() -> Tuple[Tuple[str, str], ...]:
    """(English text, Spanish text) of every domain response that has both."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    pairs = []
    for variants in (domain.get("responses") or {}).values():
        english = spanish = None
        for variant in variants:
            conditions = variant.get("condition") or []
            if not conditions:
                english = variant.get("text")
            elif any(c.get("name") == "language" and c.get("value") == "es"
                     for c in conditions):
                spanish = variant.get("text")
        if english and spanish:
            pairs.append((english, spanish))
    return tuple(pairs)


def spanish_titles(title: str) -> List[str]:
    """Spanish texts of the responses whose English text is, or contains, `title`."""
    found = []
    for english, spanish in _response_variants():
        names = re.findall(r"{(\w+)}", english)
        if not re.search(r"[a-z]", re.sub(r"{\w+}", "", english), re.IGNORECASE):
            continue  # a frame for catalogue text ("{text}"), not a title
        if not names:
            if _fold(title) in _fold(english):
                found.append(spanish)
            continue
        pattern = re.escape(english)
        for name in names:
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)", 1)
        match = re.fullmatch(pattern, title, re.IGNORECASE)
        if match:
            found.append(spanish.format(**match.groupdict()))
    return found
