"""Trains the Rasa model only when its training inputs changed.

The fingerprint is a hash of config.yml, domain.yml, everything under data/ and the code
of the custom components whose output the model learns from (the sentence featurizer and
the intent classifier), stored beside the model; the same fingerprint means the model on
disk is current.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable

from bot.settings import ROOT

TRAINING_INPUTS = (
    "config.yml", "domain.yml", "data",
    "bot/nlu/sentence_encoder.py", "bot/nlu/sentence_featurizer.py",
    "bot/nlu/intent_classifier.py",
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
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "--fixed-model-name",
         model_path.name.removesuffix(".tar.gz"), "--out", str(model_path.parent),
         "--config", str(root / "config.yml"), "--domain", str(root / "domain.yml"),
         "--data", str(root / "data")],
        cwd=root,
    )
    if result.returncode != 0 or not model_path.exists():
        raise SystemExit(
            "Training failed (see the messages above). Fix the training data, then run again; "
            "'make validate' checks the data."
        )
    fingerprint_file(model_path).write_text(wanted + "\n")
    print(f"Trained {model_path} in {time.monotonic() - started:.0f} s.", flush=True)
    return True
