"""Training says what it is doing, component by component, and keeps the whole log."""

from __future__ import annotations

import sys
import time

from bot.model import run_with_progress

HOOKS = "2026-12-01 14:52:15 INFO     rasa.engine.training.hooks  - "
RASA_LIKE_OUTPUT = "\n".join([
    HOOKS + "Starting to train component 'RegexFeaturizer'.",
    HOOKS + "Finished training component 'RegexFeaturizer'.",
    "2026-12-01 14:52:16 INFO     bot.nlu.sentence_featurizer  - "
    "Encoding 3752 training messages with the sentence model.",
    "Epochs:  10%|#         | 10/100 [00:01<00:09, t_loss=2.1]",
    HOOKS + "Starting to train component 'TEDPolicy'.",
    HOOKS + "Finished training component 'TEDPolicy'.",
])


def fake_training(tmp_path, text: str, code: int = 0) -> list:
    script = tmp_path / "train.py"
    script.write_text(f"import sys, time\nfor line in {text.splitlines()!r}:\n"
                      f"    print(line, flush=True); time.sleep(0.6)\nsys.exit({code})\n")
    return [sys.executable, str(script)]


def test_each_component_and_the_encoding_show_as_they_start(tmp_path, capsys) -> None:
    log = tmp_path / "train.log"
    code = run_with_progress(fake_training(tmp_path, RASA_LIKE_OUTPUT), tmp_path, log,
                             time.monotonic())
    shown = capsys.readouterr().out
    assert code == 0
    assert "training RegexFeaturizer..." in shown
    assert "encoding 3752 training messages with the sentence model..." in shown
    assert "training TEDPolicy..." in shown
    assert "Epochs" not in shown  # the bars stay in the log
    assert "Epochs:  10%" in log.read_text()


def test_a_failed_training_shows_its_last_lines(tmp_path, capsys) -> None:
    code = run_with_progress(fake_training(tmp_path, "InvalidDomain: no intents", code=1),
                             tmp_path, tmp_path / "train.log", time.monotonic())
    assert code == 1
    assert "InvalidDomain: no intents" in capsys.readouterr().err
