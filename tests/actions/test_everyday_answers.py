"""Answers given in the learner's own shape: a number instead of a choice, "no" in the
middle of a form, a need said in everyday words, a follow-up in free phrasing, two
needs in one message, and a search that finds nothing."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import CONSENT, CONTACT_METHOD, CONTACT_VALUE, ValidateHandoffForm
from actions.program_questions import (
    COST,
    ENGLISH,
    LENGTH,
    ONLINE,
    PREREQUISITES,
    SCHEDULE,
    START,
    WHERE,
    aspect_of,
)
from actions.programs import (
    ActionAnswerProgramQuestion,
    ActionSearchPrograms,
    ValidateInterestQuizForm,
)
from actions.services import (
    ActionAskNeedOrCareer,
    ActionSearchServices,
    ValidateServiceSearchForm,
)
from knowledge.search import categories_in, guess_schedule, guess_sector
from tests.actions.run_action import tracker


async def validate(method: str, value: str, slots=None) -> dict:
    form = ValidateHandoffForm()
    return await getattr(form, f"validate_{method}")(
        value, CollectingDispatcher(), tracker(slots or {}), {})


@pytest.mark.parametrize("typed, method, value", [
    ("503-555-0134", "call", "+15035550134"),
    ("(503) 555 0134", "call", "+15035550134"),
    ("text me at 503.555.0134", "text", "+15035550134"),
    ("ana.lopez@example.org", "email", "ana.lopez@example.org"),
    ("email me: ana@example.org pls", "email", "ana@example.org"),
])
async def test_a_number_or_address_answers_how_to_reach(typed, method, value):
    assert await validate("contact_method", typed) == {CONTACT_METHOD: method,
                                                       CONTACT_VALUE: value}


async def test_a_plain_choice_still_asks_for_the_number():
    assert await validate("contact_method", "text me") == {CONTACT_METHOD: "text"}


@pytest.mark.parametrize("slot", ["first_name", "contact_method", "contact_value",
                                  "best_time", "preferred_language", "place"])
@pytest.mark.parametrize("said", ["no", "never mind", "Stop", "nvm", "forget it"])
async def test_no_in_the_middle_of_the_form_leaves_and_stores_nothing(slot, said):
    assert await validate(slot, said) == {CONSENT: False}


@pytest.mark.parametrize("said, name", [("Ana", "Ana"), ("my name is ana", "Ana"),
                                        ("im Luis", "Luis"), ("me llamo Rosa", "Rosa")])
async def test_a_name_said_in_a_sentence_is_the_name(said, name):
    assert await validate("first_name", said) == {"first_name": name}


@pytest.mark.parametrize("text, aspect", [
    ("how long does it take", LENGTH), ("cuanto dura", LENGTH),
    ("when does the next one start", START), ("is it free", COST),
    ("can i get financial aid for it", COST), ("can i do it from home", ONLINE),
    ("do they help with english", ENGLISH), ("do i need my ged first", PREREQUISITES),
    ("where is it", WHERE), ("is it at night", SCHEDULE), ("donde es", WHERE),
])
def test_a_follow_up_is_read_for_the_part_it_asks_about(text, aspect):
    assert aspect_of(text, "ask_program_detail") == aspect


async def test_a_follow_up_answers_from_the_programs_facts(sample_catalogue):
    [first] = await sample_catalogue.programs(text="welding", limit=1)
    dispatcher = CollectingDispatcher()
    await ActionAnswerProgramQuestion().run(dispatcher, tracker(
        {"selected_program": first.id}, intent="ask_program_detail",
        text="do i need a diploma to start"), {})
    assert first.prerequisites and first.prerequisites in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("text, wanted", [
    ("i got no ride to school, im in bend", ["transportation"]),
    ("can someone help me pay for the bus in salem", ["transportation"]),
    ("i use a wheelchair will the school help me", ["disability"]),
    ("my kid needs watching and i need a ride", ["childcare", "transportation"]),
    ("necesito guarderia y comida", ["childcare", "food"]),
    ("welding classes in salem", []),
])
def test_needs_are_read_from_everyday_words_in_order(text, wanted):
    assert categories_in(text) == wanted


async def test_the_service_form_takes_the_need_from_the_message():
    form = ValidateServiceSearchForm()
    found = await form.extract_service_category(
        CollectingDispatcher(), tracker({}, intent="find_service",
                                        text="i dont have a car, im in gresham"), {})
    assert found == {"service_category": "transportation"}


async def test_a_second_need_is_offered_not_dropped(sample_catalogue):
    dispatcher = CollectingDispatcher()
    await ActionSearchServices().run(dispatcher, tracker(
        {"service_category": "childcare", "county": "Marion"}, intent="find_service",
        text="i need child care and a ride in salem"), {})
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Also: rides" in titles


def test_the_field_of_an_unknown_job_is_guessed():
    assert guess_sector("dental hygienist") == "healthcare"
    assert guess_sector("i wanna be an electrician") == "construction"
    assert guess_sector("underwater basket weaving") is None


async def test_no_match_names_the_search_and_offers_a_person(sample_catalogue):
    dispatcher = CollectingDispatcher()
    await ActionSearchPrograms().run(dispatcher, tracker(
        {"interest": "dental hygienist", "place": "Salem"}, text="dental hygienist"), {})
    [message] = dispatcher.messages
    assert "did not find a program" in message["text"]
    assert "dental hygienist near Salem" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert "Talk to a person" in titles
    # The same field nearby, when the catalogue has it.
    assert "health care programs" in message["text"]
    assert "Tell me about 1" in titles


async def test_child_care_alone_asks_help_or_career_with_two_buttons():
    dispatcher = CollectingDispatcher()
    await ActionAskNeedOrCareer().run(dispatcher, tracker(
        {}, intent="need_or_career", text="child care in salem",
        entities=[{"entity": "service_category", "value": "childcare"}]), {})
    [message] = dispatcher.messages
    assert [b["payload"] for b in message["buttons"]] == [
        '/find_service{"service_category": "childcare"}',
        '/find_program{"sector": "early_childhood"}']


async def test_a_help_offered_as_a_button_and_then_typed_is_that_help():
    # "y lo de la comida?" after a reply that offered "Also: food": search for food help.
    asked = tracker({}, intent="need_or_career", text="y lo de la comida?",
                    entities=[{"entity": "service_category", "value": "food"}])
    asked.events = [
        {"event": "user", "text": "en salem necesito guarderia y tambien comida"},
        {"event": "bot", "text": "...", "data": {"buttons": [
            {"title": "También: comida", "payload": '/find_service{"service_category": "food"}'}
        ]}},
        {"event": "user", "text": "y lo de la comida?"},
    ]
    dispatcher = CollectingDispatcher()
    events = await ActionAskNeedOrCareer().run(dispatcher, asked, {})
    assert dispatcher.messages == []
    assert events == [{"event": "slot", "timestamp": None, "name": "service_category",
                       "value": "food"},
                      {"event": "followup", "timestamp": None, "name": "service_search_form"}]


async def test_details_in_the_request_for_a_person_are_not_asked_again():
    form = ValidateHandoffForm()
    asked = tracker({}, intent="human_handoff",
                    text="can someone text me at 541-555-0143, im Dolores, mornings r best")
    dispatcher = CollectingDispatcher()
    assert await form.extract_first_name(dispatcher, asked, {}) == {"first_name": "Dolores"}
    assert await form.extract_contact_method(dispatcher, asked, {}) == {
        CONTACT_METHOD: "text", CONTACT_VALUE: "+15415550143"}
    assert await form.extract_best_time(dispatcher, asked, {}) == {"best_time": "mornings"}
    # Later answers are the form's own questions, not volunteered details.
    later = tracker({}, intent="inform", text="im Rosa")
    assert await form.extract_first_name(dispatcher, later, {}) == {}


@pytest.mark.parametrize("text, response", [
    ("ok and if i never finished high school do i need the ged first", "utter_faq/what_is_ged"),
    ("now the ielce one", "utter_faq/what_is_ielce"),
    ("how long is the iet", "utter_faq/what_is_iet"),
])
async def test_a_term_named_with_no_program_in_view_is_explained(text, response):
    dispatcher = CollectingDispatcher()
    await ActionAnswerProgramQuestion().run(dispatcher, tracker(
        {}, intent="ask_program_detail", text=text), {})
    assert dispatcher.messages[0]["response"] == response


async def test_leaving_in_a_whole_sentence_stores_nothing():
    assert await validate("contact_value", "actually forget it, i dont want a call anymore") == {
        CONSENT: False}


async def test_a_listed_program_is_picked_by_a_word_of_its_title(sample_catalogue):
    from actions.programs import ActionShowProgram

    welding = (await sample_catalogue.programs(text="welding", limit=1))[0]
    nursing = (await sample_catalogue.programs(text="nursing assistant", limit=1))[0]
    dispatcher = CollectingDispatcher()
    events = await ActionShowProgram().run(dispatcher, tracker(
        {"program_results": [nursing.id, welding.id]}, intent="choose_option",
        text="the welding one"), {})
    assert dispatcher.messages[0]["text"].startswith(f"{welding.title} at")
    assert events[0]["value"] == welding.id


async def test_another_place_in_the_message_is_tried_when_the_first_does_not_resolve(
        sample_catalogue):
    from actions.programs import ValidateProgramSearchForm

    places = [{"entity": "place", "value": "oregon"}, {"entity": "place", "value": "ontario"}]
    asked = tracker({}, text="bus driver training ontario oregon", entities=places)
    found = await ValidateProgramSearchForm().validate_place(
        "oregon", CollectingDispatcher(), asked, {})
    assert found == {"place": "Ontario", "county": "Malheur"}


async def test_a_two_part_message_gets_both_parts(sample_catalogue):
    """"welding classes in salem, how much do welders make, and i have no car": the
    programs, the pay at once, and the ride named and offered, nothing dropped."""
    dispatcher = CollectingDispatcher()
    text = "welding classes in salem, how much do welders make, and i have no car"
    await ActionSearchPrograms().run(dispatcher, tracker(
        {"interest": "51-4121", "place": "Salem"}, intent="find_program", text=text,
        entities=[{"entity": "occupation", "value": "51-4121", "start": 0, "end": 7}]), {})
    [message] = dispatcher.messages
    assert "Welding" in message["text"]
    assert "middle pay is $" in message["text"]
    assert "You also asked about rides" in message["text"]
    assert "Also: rides" in [b["title"] for b in message["buttons"]]


async def test_a_near_miss_is_not_shown_as_a_match(sample_catalogue):
    dispatcher = CollectingDispatcher()
    await ActionSearchPrograms().run(dispatcher, tracker(
        {"interest": "cnc welding", "place": "Salem"}, text="cnc welding in salem",
        entities=[{"entity": "place", "value": "salem", "start": 15, "end": 20}]), {})
    [message] = dispatcher.messages
    assert message["text"].startswith("I looked for cnc welding near Salem, but I did not")
    assert "closest" in message["text"] and "Welding" in message["text"]
    assert "Talk to a person" in [b["title"] for b in message["buttons"]]


async def test_a_term_asked_about_in_a_search_is_explained_first(sample_catalogue):
    from actions.programs import ValidateProgramSearchForm

    dispatcher = CollectingDispatcher()
    await ValidateProgramSearchForm().validate_interest(
        "ged", dispatcher, tracker({}, intent="find_program",
                                   text="how much does the ged cost n r there classes for it"), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_faq/what_is_ged"]
    quiet = CollectingDispatcher()
    await ValidateProgramSearchForm().validate_interest(
        "ged", quiet, tracker({}, intent="find_program", text="ged classes in salem"), {})
    assert quiet.messages == []


async def test_a_number_corrected_at_the_read_back_replaces_the_old_one():
    found = await ValidateHandoffForm().extract_handoff_confirmed(
        CollectingDispatcher(), tracker(
            {"requested_slot": "handoff_confirmed", CONTACT_METHOD: "text",
             CONTACT_VALUE: "+15035550161"}, intent="deny",
            text="no the number is wrong, its 503-555-0166"), {})
    assert found == {CONTACT_METHOD: "text", CONTACT_VALUE: "+15035550166",
                     "handoff_confirmed": None}
    same = await ValidateHandoffForm().extract_handoff_confirmed(
        CollectingDispatcher(), tracker(
            {"requested_slot": "handoff_confirmed", CONTACT_VALUE: "+15035550161"},
            intent="affirm", text="yes thats right"), {})
    assert same == {}


def test_the_job_wanted_is_the_one_after_be_or_become():
    from actions.programs import catalogue_named, words_wanted

    assert words_wanted("vet, want to be a firefighter, roseburg", []) == "firefighter"
    text = "been a cook 5 yrs, wanna be kitchen manager. coos bay"
    cook = {"entity": "occupation", "value": "35-2014", "start": 7, "end": 11}
    lead = {"entity": "occupation", "value": "35-1012", "start": 33, "end": 48}
    assert catalogue_named([cook, lead], text) == "35-1012"
    assert catalogue_named([cook, lead], "cook or kitchen manager") == "35-2014"


async def test_pay_and_classes_asked_together_get_both():
    """"welding classes in salem + how much do welders make": the pay and the classes
    near Salem in one answer, numbered so "tell me about 1" works next."""
    from actions.pathways import ActionShowWages

    dispatcher = CollectingDispatcher()
    text = "welding classes in salem + how much do welders make"
    events = await ActionShowWages().run(dispatcher, tracker(
        {}, intent="ask_wages", text=text, entities=[
            {"entity": "occupation", "value": "51-4121", "start": 0, "end": 7},
            {"entity": "place", "value": "salem", "start": 19, "end": 24}]), {})
    [message] = dispatcher.messages
    assert "middle pay is $" in message["text"] and "Classes near Salem" in message["text"]
    assert "Welding" in message["text"]
    assert "Tell me about 1" in [b["title"] for b in message["buttons"]]
    assert {"event": "slot", "name": "program_results"} in [
        {"event": e["event"], "name": e["name"]} for e in events]


async def test_what_you_get_at_the_end_is_about_the_program_on_screen(sample_catalogue):
    from actions.pathways import ActionShowCredential

    dispatcher = CollectingDispatcher()
    await ActionShowCredential().run(dispatcher, tracker(
        {"selected_program": "chemeketa-welding"}, intent="ask_credential",
        text="what certificate do i get at the end"), {})
    [message] = dispatcher.messages
    assert message["text"].startswith("Welding") and "you earn" in message["text"]


async def test_a_job_word_that_fits_the_program_on_screen_means_that_program(sample_catalogue):
    """"what do welders make" with a welding program on screen asks about that program's
    job; "what do nurses make" names another job."""
    from actions.pathways import pathway_queries
    from actions.slots import SELECTED_PROGRAM

    def asking(words: str):
        text = f"what do {words} make after"
        start = text.index(words)
        return tracker({SELECTED_PROGRAM: "chemeketa-welding"}, intent="ask_pathway",
                       text=text, entities=[{"entity": "occupation", "start": start,
                                             "end": start + len(words), "value": words}])

    assert (await pathway_queries(asking("welders")))[0] == {"program_id": "chemeketa-welding"}
    assert (await pathway_queries(asking("nurses")))[0] == {
        "occupation": "nurses", "credential_id": None}


@pytest.mark.parametrize("said, method", [
    ("que me llamen", "call"), ("por mensaje porfa", "text"), ("textos", "text"),
    ("correo electronico", "email"), ("mándeme un texto a mi teléfono", "text"),
])
def test_a_contact_method_said_in_spanish(said, method):
    from actions.handoff import contact_method

    assert contact_method(said) == method


@pytest.mark.parametrize("said, sector", [
    ("me gusta trabajar con niños", "early_childhood"), ("computadoras", "information_technology"),
    ("fixing cars", "transportation"), ("en una oficina", "business"),
])
async def test_the_quiz_takes_a_typed_answer_in_either_language(said, sector):
    from actions.programs import ValidateInterestQuizForm

    asked = tracker({"requested_slot": "sector"}, intent="inform", text=said)
    assert await ValidateInterestQuizForm().extract_sector(
        CollectingDispatcher(), asked, {}) == {"sector": sector}


@pytest.mark.parametrize("said, stored, reply", [
    ("en español", "Spanish", "es"), ("Spanish please", "Spanish", "es"),
    ("english", "English", "en"), ("Tagalog", "Tagalog", None),
])
async def test_the_navigator_language_is_named_and_followed(said, stored, reply):
    answer = await ValidateHandoffForm().validate_preferred_language(
        said, CollectingDispatcher(), tracker({}, text=said), {})
    assert answer["preferred_language"] == stored
    assert answer.get("language") == reply


@pytest.mark.parametrize("typed, schedule", [
    ("a cualquier hora, no trabajo ahorita", "flexible"),
    ("whenever honestly", "flexible"),
    ("nights or weekends", "evening"),
    ("solo los sábados", "weekend"),
    ("mornings while the kids r at school", "day"),
    ("de noche porque trabajo de día", "evening"),
    ("idk", None),
])
def test_when_a_learner_can_go_is_read_from_their_words(typed, schedule):
    assert guess_schedule(typed) == schedule


async def test_the_quiz_takes_a_typed_schedule_only_when_it_asks_for_one():
    form = ValidateInterestQuizForm()
    asked = tracker({"requested_slot": "schedule"}, text="a cualquier hora, no trabajo ahorita")
    assert await form.extract_schedule(CollectingDispatcher(), asked, {}) == {
        "schedule": "flexible"}
    other = tracker({"requested_slot": "sector"}, text="a cualquier hora")
    assert await form.extract_schedule(CollectingDispatcher(), other, {}) == {}
