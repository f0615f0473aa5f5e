"""The offline spaCy pipeline: built from installed packages, once, and reusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu import spacy_assets


def test_the_shared_build_lemmatizes_offline(spacy_pipeline: Path) -> None:
    nlp = spacy_assets.load_pipeline(spacy_pipeline)
    assert [t.lemma_ for t in nlp("welders taking classes")] == ["welder", "take", "class"]
    assert nlp.pipe_names == ["lemmatizer"]
    assert nlp.get_pipe("lemmatizer").mode == "lookup"
    assert nlp.vocab.lookups.has_table(spacy_assets.WORD_PROB_TABLE)


def test_building_again_is_skipped_and_a_stale_build_is_replaced(
    spacy_pipeline: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    target = tmp_path / "en_lookup"
    # Copying the shared build stands in for a first build (reading the tables is slow).
    import shutil

    shutil.copytree(spacy_pipeline, target)
    stamp = target / "config.cfg"
    before = stamp.stat().st_mtime_ns
    assert spacy_assets.main(["--target", str(target)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert stamp.stat().st_mtime_ns == before

    monkeypatch.setattr(spacy_assets, "_FORMAT", "next")
    assert not spacy_assets.is_built(target)
    assert spacy_assets.main(["--target", str(target)]) == 0
    assert "Building the spaCy pipeline" in capsys.readouterr().out
    assert spacy_assets.is_built(target)
    assert [p.name for p in tmp_path.iterdir()] == ["en_lookup"]  # no staging left behind
