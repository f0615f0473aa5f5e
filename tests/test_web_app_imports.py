"""The web app (demo page, widget files, console, background worker) never loads Rasa or
TensorFlow: they would add about 450 MB to every web replica (docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_web_app_loads_neither_rasa_nor_tensorflow():
    found = subprocess.run(
        [sys.executable, "-c", "import sys, bot.webapp; "
         "print(sorted(m for m in ('rasa', 'tensorflow', 'spacy') if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"
