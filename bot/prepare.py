"""`python -m bot.prepare`: everything the navigator needs before it starts.

Brings the database schema up to date, loads the sample bundle into an empty catalogue,
and trains the model when its training data changed. Safe to run every time.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot.model import ensure_model
from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.prepare", description=__doc__)
    parser.add_argument("--no-train", action="store_true", help="skip the model step")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    settings = Settings.from_env()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if not args.no_train:
        ensure_model(settings.model_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
