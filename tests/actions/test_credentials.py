"""What a credential is (journey 4), from the sample catalogue."""

from __future__ import annotations

from actions.pathways import ActionShowCredential
from tests.actions.run_action import replies

CPT = {"entity": "credential", "value": "mssc-cpt"}


async def test_a_credential_says_what_it_is_who_gives_it_and_where_to_learn(sample_catalogue):
    [text] = await replies(ActionShowCredential(), {}, intent="ask_credential", entities=[CPT])
    assert text.startswith("MSSC Certified Production Technician (CPT): A national test")
    assert "Who gives it: Manufacturing Skill Standards Council (MSSC)." in text
    # Three colleges teach a program of that title: it is named once.
    assert text.count("Manufacturing Production Technician") == 1


async def test_a_program_named_by_its_title_is_shown_not_a_credential_from_its_words(
    sample_catalogue,
):
    program = {"entity": "program", "value": "cgcc-production"}
    [text] = await replies(ActionShowCredential(), {}, intent="ask_credential",
                           entities=[program],
                           text="tell me about the manufacturing production technician")
    assert text.startswith("Manufacturing Production Technician at Columbia Gorge Community")
    assert "Who gives it" not in text


async def test_a_credential_and_a_program_named_together_answer_the_credential(
    sample_catalogue,
):
    program = {"entity": "program", "value": "cgcc-production"}
    [text] = await replies(ActionShowCredential(), {}, intent="ask_credential",
                           entities=[program, CPT])
    assert text.startswith("MSSC Certified Production Technician (CPT)")
