"""`python -m knowledge import|export|check DIR`, `stats`, `migrate`.

Exit codes: 0 done, 1 the bundle has problems (nothing changed), 2 usage or database error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from knowledge import models as m
from knowledge.bundle import BundleInvalid, check_bundle, export_bundle, import_bundle
from knowledge.db import database_url, make_engine
from knowledge.schema import upgrade


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


NOT_A_URL = "(not a database URL)"


def masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL at all: don't echo it, it may hold a password
        return NOT_A_URL


def report_problems(error: BundleInvalid) -> int:
    for problem in error.problems:
        print(problem)
    errors = [p for p in error.problems if p.severity == "error"]
    print(f"{len(errors)} problem(s) found. Nothing was changed.", file=sys.stderr)
    return 1


def cmd_check(args, url: str) -> int:
    try:
        bundle = check_bundle(args.folder)
    except BundleInvalid as error:
        return report_problems(error)
    for warning in bundle.warnings:
        print(warning)
    counts = ", ".join(f"{n} {k}" for k, n in bundle.counts().items())
    print(f"The bundle is valid: {counts}.")
    return 0


def cmd_import(args, url: str) -> int:
    say(f"Updating the database schema ({masked(url)})")
    upgrade(url)
    engine = make_engine(url)
    try:
        result = import_bundle(engine, args.folder, progress=say)
    except BundleInvalid as error:
        return report_problems(error)
    finally:
        engine.dispose()
    for warning in result.warnings:
        print(warning)
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    print(f"Imported {counts} in {result.seconds:.1f} s.")
    return 0


def cmd_export(args, url: str) -> int:
    engine = make_engine(url)
    try:
        counts = export_bundle(engine, args.folder)
    finally:
        engine.dispose()
    print(f"Exported to {args.folder}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def cmd_stats(args, url: str) -> int:
    engine = make_engine(url)
    tables = [m.Provider, m.Program, m.Credential, m.Occupation, m.Pathway, m.PathwayStep,
              m.Service]
    with engine.connect() as conn:
        print(f"Database: {masked(url)}")
        for model in tables:
            count = conn.execute(select(func.count()).select_from(model)).scalar_one()
            print(f"  {model.__tablename__:<14} {count:>6}")
        last = conn.execute(select(m.CatalogueImport).order_by(
            m.CatalogueImport.id.desc()).limit(1)).mappings().first()
        if last:
            print(f"Last import: {last['imported_at']:%Y-%m-%d %H:%M} UTC from {last['source']}")
        else:
            print("Nothing imported yet: python -m knowledge import DIR")
        rows = conn.execute(select(m.Program.sector, m.Program.iet, func.count())
                            .group_by(m.Program.sector, m.Program.iet)).all()
        by_sector: dict = {}
        for sector, iet, count in rows:
            by_sector.setdefault(sector, [0, 0])[0 if iet else 1] += count
        if by_sector:
            print("Programs by sector (IET / other):")
            for sector, (iet, other) in sorted(by_sector.items()):
                print(f"  {sector:<24} {iet:>4} / {other}")
    engine.dispose()
    return 0


def cmd_migrate(args, url: str) -> int:
    say(f"Updating the database schema ({masked(url)})")
    upgrade(url)
    print("The database schema is up to date.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database", metavar="URL",
                   help="SQLAlchemy URL (default: NAVIGATOR_DATABASE_URL or var/navigator.db)")
    sub = p.add_subparsers(dest="command", required=True)
    for name, helptext, func_ in (
        ("import", "check a bundle, then replace the catalogue with it", cmd_import),
        ("export", "write the catalogue out as a bundle", cmd_export),
        ("check", "check a bundle without importing it", cmd_check),
    ):
        command = sub.add_parser(name, help=helptext)
        command.add_argument("folder", type=Path, help="the bundle folder")
        command.set_defaults(run=func_)
    sub.add_parser("stats", help="what the catalogue holds").set_defaults(run=cmd_stats)
    sub.add_parser("migrate", help="create or update the tables").set_defaults(run=cmd_migrate)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    url = args.database or database_url()
    try:
        return args.run(args, url)
    except (SQLAlchemyError, ModuleNotFoundError) as error:
        # ModuleNotFoundError: the URL names a database driver that is not installed.
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        where = masked(url)
        if where == NOT_A_URL:
            reason = "write it like sqlite:///var/navigator.db or postgresql+psycopg2://USER@HOST/DB"
        print(f"Database error at {where}: {reason}\n"
              "Check NAVIGATOR_DATABASE_URL (or --database) and that the server is running.",
              file=sys.stderr)
        return 2
    except OSError as error:  # e.g. exporting to a path that is a file
        where = f"{error.filename}: " if error.filename else ""
        print(f"Cannot use {where}{error.strerror or error}", file=sys.stderr)
        return 2
