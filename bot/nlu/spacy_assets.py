"""The spaCy pipeline the NLU components share: blank English plus a lookup lemmatizer.

Official spaCy models need a download; this pipeline is assembled from the installed
`spacy-lookups-data` tables instead, so setup works on a machine with no network.
It also carries a small word-frequency table, derived from the same package, that the
entity matcher uses to tell a common English word ("bend", "post") from a place name
or a misspelling.

Build it once with `python -m bot.nlu.spacy_assets`; `load_pipeline()` builds it on
first use when setup was skipped. It lives in var/spacy/en_lookup unless
NAVIGATOR_SPACY_DIR names another folder.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Dict, Optional, Tuple

import spacy
from spacy.language import Language

from knowledge.search.dictionary import COMMON_WORD_LOG_PROB, lexeme_probs

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT / "var" / "spacy" / "en_lookup"
WORD_PROB_TABLE = "navigator_word_prob"
_STAMP = "navigator-build.json"
# Bump when the pipeline's content changes, so existing builds are replaced.
_FORMAT = "1"


def default_dir() -> Path:
    return Path(os.environ.get("NAVIGATOR_SPACY_DIR") or DEFAULT_DIR)


def _build_id() -> Dict[str, str]:
    return {
        "spacy": spacy.__version__,
        "spacy_lookups_data": importlib.metadata.version("spacy-lookups-data"),
        "format": _FORMAT,
    }


def is_built(target: Path) -> bool:
    stamp = target / _STAMP
    try:
        return json.loads(stamp.read_text()) == _build_id() and (target / "config.cfg").exists()
    except (OSError, ValueError):
        return False


def _word_probs() -> Dict[str, Tuple[float, float]]:
    """Lower-case word -> (log prob as written in lower case, log prob Title-cased).

    Keeping both lets callers tell a common word ("bend") from a proper noun that is
    mostly capitalised ("Portland"). Only words at least one form of which is common are
    kept: the full table has a million entries and takes a second to read.
    """
    probs = lexeme_probs()
    floor = -25.0
    table: Dict[str, Tuple[float, float]] = {}
    for word, prob in probs.items():
        if not (word.isalpha() and word.islower()):
            continue
        title = probs.get(word.title(), floor)
        if max(prob, title) >= COMMON_WORD_LOG_PROB:
            table[word] = (round(prob, 2), round(title, 2))
    return table


def _assemble() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # Reads `lemma_lookup` from the installed spacy-lookups-data package: no download.
    nlp.initialize()
    nlp.vocab.lookups.add_table(WORD_PROB_TABLE, _word_probs())
    return nlp


def build_pipeline(target_dir: Optional[Path] = None, force: bool = False) -> Path:
    """Builds the pipeline into `target_dir` unless a build for this spaCy is already there."""
    target = Path(target_dir) if target_dir else default_dir()
    if not force and is_built(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    _assemble().to_disk(staging)
    (staging / _STAMP).write_text(json.dumps(_build_id()))
    # Written aside and renamed, so a server starting meanwhile never reads half a build.
    if target.exists():
        shutil.rmtree(target, ignore_errors=True)
    try:
        staging.rename(target)
    except OSError:
        # Another process finished the same build first; theirs is as good as ours.
        shutil.rmtree(staging, ignore_errors=True)
        if not is_built(target):
            raise
    return target


def load_pipeline(target_dir: Optional[Path] = None) -> Language:
    """Loads the pipeline, building it first when setup has not."""
    return spacy.load(build_pipeline(target_dir))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.nlu.spacy_assets",
        description="Build the offline spaCy pipeline (blank English + lookup lemmatizer).",
    )
    parser.add_argument("--target", type=Path, default=None, help=f"default: {DEFAULT_DIR}")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    target = Path(args.target) if args.target else default_dir()
    if not args.force and is_built(target):
        print(f"==> spaCy pipeline up to date: {target}", flush=True)
        return 0
    print(f"==> Building the spaCy pipeline (spaCy {spacy.__version__}) in {target}", flush=True)
    started = time.monotonic()
    build_pipeline(target, force=args.force)
    print(f"    done in {time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
