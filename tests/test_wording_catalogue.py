"""The message catalogue: every entry in both languages, and no wording outside it.

- every response of the domain has an English and a Spanish variation (for every other
  condition it has), with the same placeholders, buttons and payloads;
- no f-string or string literal the learner could read is built in `actions/`: the
  actions render catalogue entries (`actions/wording.py`) and pass facts as values;
- the channels' own words (the SMS menu line, STOP, HELP) come from the catalogue too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml

from bot.settings import ROOT
from bot.wording import LANGUAGE_SLOT, catalogue

RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
FIELD = re.compile(r"{(\w+)}")


def other_conditions(variation) -> Tuple:
    return tuple(sorted((c["name"], str(c["value"])) for c in variation.get("condition") or []
                        if c["name"] != LANGUAGE_SLOT))


def language_of(variation) -> str:
    return next((str(c["value"]) for c in variation.get("condition") or []
                 if c["name"] == LANGUAGE_SLOT), "en")


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_entry_exists_in_both_languages_with_the_same_facts_and_choices(name):
    variations = RESPONSES[name]
    english = [v for v in variations if language_of(v) == "en"]
    spanish = [v for v in variations if language_of(v) == "es"]
    assert english and spanish, f"{name}: needs an English and a Spanish variation"
    for en in english:
        # The same other conditions (e-mail or phone…), or a Spanish one for each value.
        matching = [es for es in spanish
                    if set(other_conditions(es)) >= set(other_conditions(en))]
        assert matching, f"{name}: no Spanish variation for {other_conditions(en)}"
        for es in matching:
            assert set(FIELD.findall(en["text"])) == set(FIELD.findall(es["text"])), name
            assert [b["payload"] for b in en.get("buttons") or []] == [
                b["payload"] for b in es.get("buttons") or []], name


def test_the_catalogue_reader_sees_both_languages():
    entry = catalogue()["utter_greet"]
    assert set(entry) == {"en", "es"} and entry["en"]["text"] != entry["es"]["text"]


# --- nothing learner-facing is written in Python ------------------------------------

ACTIONS = sorted((ROOT / "actions").glob("*.py"))
# Calls whose string arguments are not for the learner.
NOT_WORDING = re.compile(r"^(re\.\w+|logger\.\w+|logging\.\w+|\w*\.?get_slot|\w*\.?get|"
                         r"SlotSet|FollowupAction|ActiveLoop|say|say_in|\w+Error|"
                         r"\w*\.?startswith|\w*\.?endswith|\w*\.?split|\w*\.?join|"
                         r"\w*\.?replace|\w*\.?strip|getattr|isinstance|\w*\.?format)$")
WORDS = re.compile(r"[A-Za-zÁÉÍÓÚáéíóúñÑ]{2,}\s+[A-Za-zÁÉÍÓÚáéíóúñÑ]{2,}")


def call_name(node: ast.Call) -> str:
    return ast.unparse(node.func)


def strings_reaching_the_learner(tree: ast.AST) -> Iterator[Tuple[int, str]]:
    """Words in string literals and f-strings passed to anything that sends or builds a
    reply: utter_message(text=…), Reply(…), Choice(title, …), send(…)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        if name.endswith("utter_message"):
            args = [k.value for k in node.keywords if k.arg == "text"]
        elif name in ("Reply", "Choice"):
            args = node.args[:1] + [k.value for k in node.keywords
                                    if k.arg in ("text", "title")]
        else:
            continue
        for arg in args:
            for inner in ast.walk(arg):
                if isinstance(inner, ast.Call) and NOT_WORDING.match(call_name(inner)):
                    break
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str) \
                        and WORDS.search(inner.value):
                    yield inner.lineno, inner.value
                if isinstance(inner, ast.JoinedStr):
                    literal = "".join(v.value for v in inner.values
                                      if isinstance(v, ast.Constant))
                    if re.search(r"[A-Za-z]{2,}", literal):
                        yield inner.lineno, ast.unparse(inner)


def f_strings_with_words(tree: ast.AST) -> Iterator[Tuple[int, str]]:
    """Any f-string in the actions with words in it: sentences are built in the catalogue."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if literal.startswith(("say_", "utter_")):
                continue  # the name of a catalogue entry, not words
            if WORDS.search(literal) or re.search(r"[A-Za-z]{3,}", literal.split("/")[0]):
                yield node.lineno, ast.unparse(node)


def found_in(paths: List[Path], finder) -> List[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}:{line}: {text}" for line, text in finder(tree)]
    return found


def test_no_reply_text_is_written_in_the_actions():
    assert found_in(ACTIONS, strings_reaching_the_learner) == []


def test_no_sentence_is_built_with_an_f_string_in_the_actions():
    # Payloads such as f'/choose_option{{"number": "{i}"}}' and entry names such as
    # f"say_programs_schedule_{code}" are not wording.
    assert found_in(ACTIONS, f_strings_with_words) == []
