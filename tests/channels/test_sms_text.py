"""Replies as text messages: the cheaper correct encoding, three segments at most,
numbered choices in the learner's language, short links."""

from __future__ import annotations

from bot.channels.sms import shape
from bot.channels.sms_text import (
    GSM7,
    UCS2,
    encoding_of,
    plain,
    segments,
    split_texts,
    texts_for,
    turn_texts,
)

TITLES = ["Welding", "CNA 1", "Child care"]


def test_typography_never_forces_ucs2_but_spanish_accents_keep_it():
    assert plain("“Great” – it’s free…") == "\"Great\" - it's free..."
    assert encoding_of(plain("“Great” – it’s free…")) is GSM7
    assert encoding_of("¿Cuánto cuesta?") is UCS2  # á is not GSM-7: it stays, in UCS-2
    assert encoding_of("¿Cuanto cuesta? Mañana") is GSM7  # ¿ and ñ are


def test_segments_follow_the_encoding():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("á" * 70) == 1 and segments("á" * 71) == 2 and segments("á" * 201) == 3
    assert segments("[" * 80) == 1 and segments("[" * 81) == 2  # two septets each


def test_long_text_splits_at_sentences_into_texts_of_three_segments_at_most():
    english = "This is a sentence about a program that a learner might want to know. "
    spanish = "Esta es una oración sobre un programa que usted podría querer conocer. "
    for sentence in (english, spanish):
        texts = split_texts(sentence * 20)
        assert len(texts) == 3 and texts[-1].endswith("...")
        assert all(segments(t) <= 3 for t in texts)
        assert texts[0].endswith(".")


def test_choices_are_numbered_in_the_last_text_in_the_learners_language():
    assert texts_for("I found 3 programs.", TITLES, "en") == [
        "I found 3 programs.\n1. Welding\n2. CNA 1\n3. Child care\nReply 1, 2 or 3."]
    assert texts_for("Encontré 3 programas.", TITLES, "es")[-1].endswith("Responda 1, 2 o 3.")


def test_a_turn_keeps_only_the_last_choices_and_maps_numbers_to_them():
    texts, choices = shape([
        {"text": "Hi!", "buttons": [{"title": "Old", "payload": "/old"}]},
        {"text": "Pick one.", "buttons": [{"title": t, "payload": f"/p{i}"}
                                         for i, t in enumerate(TITLES)]}], "en")
    assert [c["payload"] for c in choices] == ["/p0", "/p1", "/p2"]
    assert "Old" not in "\n".join(texts) and texts[-1].endswith("Reply 1, 2 or 3.")


def test_a_turn_is_three_texts_at_most():
    long = "Una oración larga sobre las clases de la tarde en Salem, con ayuda en inglés. " * 6
    texts = turn_texts([(long, []), (long, []), (long, TITLES)], "es")
    assert len(texts) <= 3 and all(segments(t) <= 3 for t in texts)
    assert texts[-1].endswith("Responda 1, 2 o 3.")


def test_links_are_shortened_to_fit_a_text():
    long = "https://www.pcc.edu/programs/welding/career-pathway-certificate/" + "x" * 200
    assert texts_for(f"Apply here: {long}?utm_source=chat#top. Thanks.", [], "en") == [
        "Apply here: pcc.edu/programs. Thanks."]
    assert texts_for("See https://lanecc.edu/esl?x=1 now", [], "en") == ["See lanecc.edu/esl now"]


def catalogue_texts():
    import re

    import pytest

    from bot.wording import catalogue

    field = re.compile(r"{(\w+)}")
    for name, languages in sorted(catalogue().items()):
        for language, variation in sorted(languages.items()):
            # Sample facts: a fairly long program title wherever a fact goes.
            text = field.sub("Medical Office Reception with English Support",
                             str(variation.get("text") or ""))
            titles = [b["title"] for b in variation.get("buttons") or []]
            yield pytest.param(text, titles, language, id=f"{name}-{language}")


def pytest_generate_tests(metafunc):
    if "catalogue_entry" in metafunc.fixturenames:
        metafunc.parametrize("catalogue_entry", [p.values for p in catalogue_texts()],
                             ids=[p.id for p in catalogue_texts()])


def test_every_response_in_both_languages_fits_without_being_cut(catalogue_entry):
    """Each entry, in GSM-7 or UCS-2 as its words need, fits in texts of three segments
    at most, and never so long that the end is cut ("...")."""
    text, titles, language = catalogue_entry
    texts = texts_for(text, titles, language)
    assert texts and len(texts) <= 3
    assert all(segments(t) <= 3 for t in texts)
    assert not texts[-1].endswith("...") or text.rstrip().endswith("...")
