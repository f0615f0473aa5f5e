"""Text-speak, drawn-out words and missing accents reach the featurizers as plain words."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import sentence_assets
from bot.nlu.shorthand import ShorthandNormalizer


@pytest.fixture(scope="module")
def normalizer() -> ShorthandNormalizer:
    sentence_assets.fetch()  # setup fetched it; keeps the test runnable on its own
    return ShorthandNormalizer()


def plain_words(normalizer: ShorthandNormalizer, text: str) -> list[str]:
    message = Message({TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    normalizer.process([message])
    return [token.lemma for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize("written, plain", [
    ("thx u", "thanks you"),
    ("can u help me w my kids pls", "can you help me with my kids please"),
    ("class 2morrow or 2nite", "class tomorrow or tonight"),
    ("thaaanks yesss pleeease", "thanks yes please"),
    ("goood morning", "good morning"),
    ("q onda, pa mi hijo porfa", "que onda para mi hijo por favor"),
    ("guardería en Medford", "guarderia en medford"),
    ("is the g.e.d hard or the E.S.L.", "is the ged hard or the esl"),
    ("hay clases en la mañana", "hay clases en la mañana"),  # ñ is a letter, not an accent
])
def test_what_learners_type_reads_as_plain_words(normalizer, written, plain):
    assert " ".join(plain_words(normalizer, written)) == plain


def test_the_text_as_typed_is_kept_for_the_entity_extractors(normalizer):
    message = Message({TEXT: "cna n gresham 2morrow pls"})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    normalizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["cna", "n", "gresham", "2morrow", "pls"]
    assert [(t.start, t.end) for t in tokens][3] == (14, 21)


@pytest.mark.parametrize("text", ["1", "2", "y", "ok", "TB test", "97201", "n"])
def test_option_numbers_and_ambiguous_short_words_are_left_alone(normalizer, text):
    assert " ".join(plain_words(normalizer, text)) == text.lower()
