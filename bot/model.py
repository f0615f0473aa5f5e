"""Trains the Rasa model only when its training inputs changed.

The fingerprint is a hash of config.yml, domain.yml, everything under data/ and the code
of the custom components whose output the model learns from (the shorthand normaliser,
the sentence featurizer, the intent classifier and the response selector), stored
beside the model; the same fingerprint means the model on disk is current.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, List, Optional

from bot.settings import ROOT

TRAINING_INPUTS = (
    "config.yml", "domain.yml", "data",
    "bot/nlu/shorthand.py", "bot/nlu/sentence_encoder.py", "bot/nlu/sentence_featurizer.py",
    "bot/nlu/intent_classifier.py", "bot/nlu/response_selector.py",
)


def training_files(root: Path = ROOT) -> Iterable[Path]:
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.exists():
            yield path


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in training_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def fingerprint_file(model_path: Path) -> Path:
    return model_path.with_name(model_path.name + ".sha256")


def is_current(model_path: Path, root: Path = ROOT) -> bool:
    stamp = fingerprint_file(model_path)
    return model_path.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint(root)


def ensure_model(model_path: Path, root: Path = ROOT) -> bool:
    """Trains when needed; returns True when it trained."""
    if is_current(model_path, root):
        print(f"Model is current ({model_path.name}, training data unchanged): not retraining.")
        return False
    print("Training the Rasa model (training data or config changed; takes a few minutes)...",
          flush=True)
    started = time.monotonic()
    model_path.parent.mkdir(parents=True, exist_ok=True)
    wanted = fingerprint(root)
    log_path = model_path.with_name(model_path.name + ".train.log")
    command = [
        str(Path(sys.executable).parent / "rasa"), "train", "--fixed-model-name",
        model_path.name.removesuffix(".tar.gz"), "--out", str(model_path.parent),
        "--config", str(root / "config.yml"), "--domain", str(root / "domain.yml"),
        "--data", str(root / "data"),
    ]
    returncode = run_with_progress(command, root, log_path, started)
    if returncode != 0 or not model_path.exists():
        raise SystemExit(
            f"Training failed (the last lines are above; all of it is in {log_path}). Fix the "
            "training data, then run again; 'make validate' checks the data."
        )
    fingerprint_file(model_path).write_text(wanted + "\n")
    print(f"Trained {model_path} in {time.monotonic() - started:.0f} s.", flush=True)
    return True


# Rasa's training hooks log one line as each component starts and ends; the sentence
# featurizer, which Rasa does not train, says when it starts encoding.
COMPONENT_LINE = re.compile(r"(Starting to train|Finished training) component '([^']+)'")
ENCODING_LINE = re.compile(r"Encoding (\d+) training messages")


def run_with_progress(command: List[str], cwd: Path, log_path: Path, started: float) -> int:
    """Runs `rasa train`, keeping its whole output in `log_path` and showing one line per
    component with the time it took: the epoch bars and warnings would bury the progress."""
    tail: List[str] = []
    component: Optional[str] = None
    since = started
    with open(log_path, "w", encoding="utf-8") as log, subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, errors="replace",
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            tail = (tail + [line.rstrip()])[-40:]
            now = time.monotonic()
            encoding = ENCODING_LINE.search(line)
            if encoding:
                print(f"  [{now - started:4.0f} s] encoding {encoding.group(1)} training "
                      "messages with the sentence model...", flush=True)
            match = COMPONENT_LINE.search(line)
            if not match:
                continue
            if match.group(1) == "Starting to train":
                component, since = match.group(2), now
                print(f"  [{now - started:4.0f} s] training {component}...", flush=True)
            elif component == match.group(2) and now - since >= 1:
                print(f"  [{now - started:4.0f} s] {component} done in {now - since:.0f} s",
                      flush=True)
        returncode = process.wait()
    if returncode != 0:
        print("\n".join(tail), file=sys.stderr)
    return returncode
