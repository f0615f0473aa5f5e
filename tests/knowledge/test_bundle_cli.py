"""`python -m knowledge` as an administrator runs it: a real process, real exit codes.

0 done, 1 the bundle has problems (nothing changed), 2 usage or database error; problems
go to stdout as FILE:LINE lines, progress and the summary to stderr, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest

from knowledge.bundle import export_bundle
from knowledge.db import make_engine
from tests.knowledge.bundles import COUNTS, FILES, bundle_rows, write_bundle
from tests.knowledge.test_bundle_mistakes import EXPECTED_ERRORS, broken_bundle

ROOT = Path(__file__).resolve().parents[2]
COUNTS_TEXT = ", ".join(f"{n} {name}" for name, n in COUNTS.items())


def knowledge(*args: str, database: Optional[str] = None,
              env_url: Optional[str] = None) -> subprocess.CompletedProcess:
    """Runs the CLI with `--database` and/or NAVIGATOR_DATABASE_URL set as given."""
    env = {k: v for k, v in os.environ.items() if k != "NAVIGATOR_DATABASE_URL"}
    if env_url:
        env["NAVIGATOR_DATABASE_URL"] = env_url
    command = [sys.executable, "-m", "knowledge"]
    if database:
        command += ["--database", database]
    done = subprocess.run([*command, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_check_a_valid_bundle_prints_its_counts(tmp_path):
    done = knowledge("check", str(write_bundle(tmp_path / "b")))
    assert (done.returncode, done.stdout, done.stderr) == (
        0, f"The bundle is valid: {COUNTS_TEXT}.\n", "")

    rows = bundle_rows()
    for row in rows["providers"]:
        row["notes"] = "call first"
    done = knowledge("check", str(write_bundle(tmp_path / "excel", rows, spreadsheet=True)))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "providers.csv:1: notes: warning: unknown column; ignored",
        f"The bundle is valid: {COUNTS_TEXT}."]


def test_check_a_broken_bundle_lists_every_problem(tmp_path):
    done = knowledge("check", str(broken_bundle(tmp_path / "broken")))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert [line for line in lines if ": warning: " not in line] == EXPECTED_ERRORS
    assert [line for line in lines if ": warning: " in line] == [
        "providers.csv:1: notes: warning: unknown column; ignored"]
    assert done.stderr == "20 problem(s) found. Nothing was changed.\n"


def stats_counts(stdout: str) -> Dict[str, int]:
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^  ([a-z_]+) +(\d+)$", stdout, re.MULTILINE)}


def test_import_stats_and_export(database_url, tmp_path):
    # NAVIGATOR_DATABASE_URL is used, and --database wins over it.
    done = knowledge("migrate", env_url=database_url)
    assert (done.returncode, done.stdout) == (0, "The database schema is up to date.\n")
    done = knowledge("stats", database=database_url, env_url="sqlite:////nonexistent/x.db")
    assert done.returncode == 0, done.stderr
    assert stats_counts(done.stdout) == dict.fromkeys(FILES, 0)
    assert "Nothing imported yet: python -m knowledge import DIR" in done.stdout

    valid = write_bundle(tmp_path / "valid")
    done = knowledge("import", str(valid), env_url=database_url)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(rf"Imported {COUNTS_TEXT} in \d+\.\d s\.\n", done.stdout)
    assert "==> Replacing the catalogue (one transaction)" in done.stderr

    for folder in (broken_bundle(tmp_path / "broken"), tmp_path / "nowhere"):
        done = knowledge("import", str(folder), env_url=database_url)
        assert done.returncode == 1
        assert done.stderr.endswith(" problem(s) found. Nothing was changed.\n")
    assert "programs.csv:2: provider_id: 'riverbend-c' is not in providers.csv " \
           "(did you mean 'riverbend-cc'?)" in knowledge("check", str(tmp_path / "broken")).stdout
    assert done.stdout == f"{tmp_path / 'nowhere'}:0: -: is not a folder\n"

    done = knowledge("stats", env_url=database_url)
    assert done.returncode == 0, done.stderr
    assert stats_counts(done.stdout) == COUNTS
    source = re.escape(str(valid.resolve()))
    assert re.search(rf"^Last import: \d{{4}}-\d\d-\d\d \d\d:\d\d UTC from {source}$",
                     done.stdout, re.MULTILINE)
    assert re.search(r"^  healthcare +1 / 2$", done.stdout, re.MULTILINE)
    assert re.search(r"^  manufacturing +1 / 0$", done.stdout, re.MULTILINE)

    out = tmp_path / "out"
    done = knowledge("export", str(out), database=database_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Exported to {out}: 4 providers.csv, 4 programs.csv")
    engine = make_engine(database_url)
    try:
        export_bundle(engine, tmp_path / "direct")
    finally:
        engine.dispose()
    for name in FILES:
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "direct" / f"{name}.csv"
                                                     ).read_bytes()

    done = knowledge("export", str(valid / "programs.csv"), database=database_url)
    assert done.returncode == 2
    assert done.stderr == f"Cannot use {valid / 'programs.csv'}: File exists\n"


@pytest.mark.parametrize("url, says", [
    ("postgresql+psycopg2://navigator:s3cret@127.0.0.1:1/navigator",
     "Database error at postgresql+psycopg2://navigator:***@127.0.0.1:1/navigator: "),
    ("navigator.db", "Database error at (not a database URL): write it like "),
    ("mysql://navigator@127.0.0.1/navigator",
     "Database error at mysql://navigator@127.0.0.1/navigator: No module named 'MySQLdb'"),
    ("sqlite:////proc/no-such-folder/navigator.db",
     "Cannot use /proc/no-such-folder: No such file or directory"),
], ids=["unreachable", "not-a-url", "no-driver", "no-folder"])
def test_a_bad_database_is_a_clear_error(tmp_path, url, says):
    valid = write_bundle(tmp_path / "valid")
    for done in (knowledge("stats", env_url=url),
                 knowledge("import", str(valid), database=url)):
        assert done.returncode == 2
        assert says in done.stderr
        assert "s3cret" not in done.stderr
        if says.startswith("Database error"):
            assert "Check NAVIGATOR_DATABASE_URL (or --database)" in done.stderr


def test_usage_mistakes_exit_2(tmp_path):
    done = knowledge("import")
    assert done.returncode == 2 and "the following arguments are required: folder" in done.stderr
    done = knowledge("frobnicate")
    assert done.returncode == 2 and "invalid choice: 'frobnicate'" in done.stderr
