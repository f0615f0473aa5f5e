"""Journeys 1 and 2: find a program, look at one, ask about it, start over."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import program_questions as q
from actions.catalogue_access import catalogue, find_place
from actions.explanations import explain_named_term
from actions.form_exits import OTHER_REQUESTS, LeavableFormValidation
from actions.formatting import Choice, Reply, send
from actions.outcomes import note_program_search
from actions.places import PlaceFormValidation, place_label
from actions.program_questions import aspect_of
from actions.services import NEED_CATEGORIES, need_words, service_choice
from actions.slots import (
    CLASS_LANGUAGE,
    COST,
    INTEREST,
    LAST_SEARCH,
    MODALITY,
    PLACE,
    PROGRAM_RESULTS,
    REPLY_LANGUAGE,
    SCHEDULE,
    SEARCH_SLOTS,
    SECTOR,
    SELECTED_PROGRAM,
)
from actions.store_access import store_engine
from actions.wages import wage_sentence
from actions.wording import catalogue_name, catalogue_names, catalogue_text, say
from bot.follow_ups import plan_class_reminder, reminder_day
from bot.wording import known
from knowledge.clock import today
from knowledge.freshness import checked_long_ago
from knowledge.search import guess_schedule, guess_sector, jobs_and_needs
from knowledge.search.text import content_words, licence_classes, shown_word, stem

# The codes the catalogue has words for (`say_programs_language_<code>`, …); another
# code is shown as it is.
LANGUAGE_CODES = ("en", "es", "ru", "vi", "zh", "ar", "so", "uk")
MODALITY_CODES = ("in_person", "online", "hybrid")
SCHEDULE_CODES = ("day", "evening", "weekend", "flexible")
SECTOR_CODES = ("healthcare", "manufacturing", "construction", "transportation",
                "early_childhood", "business", "information_technology", "hospitality",
                "public_safety", "agriculture", "energy", "other")
ORDINALS = {"first": 1, "second": 2, "third": 3, "1st": 1, "2nd": 2, "3rd": 3,
            "one": 1, "two": 2, "three": 3, "primero": 1, "segundo": 2, "tercero": 3}


class ValidateProgramSearchForm(PlaceFormValidation):
    """Asks only for what is missing: an interest (unless the quiz chose a field) and a place."""

    leaves_for = OTHER_REQUESTS - {"find_program"}

    def name(self) -> str:
        return "validate_program_search_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher,
        tracker: Tracker, domain: DomainDict,
    ) -> List[str]:
        interest = tracker.get_slot(INTEREST)
        if tracker.get_slot(SECTOR) and not interest:
            return [slot for slot in domain_slots if slot != INTEREST]
        # A program named by title needs no place: there is only one of it.
        if interest and not SOC_RE.match(interest) and await catalogue().program(interest):
            return [slot for slot in domain_slots if slot != PLACE]
        return domain_slots

    async def extract_interest(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        """A search in words no entity covers ("police academy near medford") is searched
        as those words, rather than asked again what the learner is looking for."""
        message = tracker.latest_message
        text = str(message.get("text") or "")
        if (tracker.get_slot(INTEREST) or tracker.get_slot(SECTOR) or text.startswith("/")
                or tracker.get_intent_of_latest_message() not in SEARCHING
                or tracker.get_slot("requested_slot")):
            return {}
        words = " ".join(content_words(without_places(text, message.get("entities") or [])))
        return {INTEREST: words[:100]} if words else {}

    async def validate_interest(
        self, slot_value: Any, dispatcher: CollectingDispatcher,
        tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        text = str(slot_value or "").strip()
        message = tracker.latest_message
        said = str(message.get("text") or "")
        if said.startswith("/"):
            return {INTEREST: text[:100] or None}
        if tracker.get_slot("requested_slot") is None and QUESTION.search(said):
            # "how much does the ged cost n r there classes for it": the term is
            # explained before the search asks where.
            explain_named_term(dispatcher, said)
        # The first record the catalogue knows in the message is the one meant; a job
        # inside the words of a need ("cant drive" is not bus driving) is not one.
        known = catalogue_named(jobs_named(message), said)
        if known:
            text = known
        elif text and not SOC_RE.match(text) and not await catalogue().program(text):
            # The classifier's guess at a job can be any word ("ARMY", "co", "newport"),
            # or a word the learner never wrote ("technology" for "wind turbine tech"):
            # the learner's own words are searched instead.
            place = await find_place(text)
            rest = content_words(without_places(said, message.get("entities") or []))
            if place is not None and place.name.lower() == text.lower():
                text = " ".join(w for w in rest if w != text.lower())
            elif text.lower() not in said.lower() and rest:
                text = " ".join(rest)
            else:
                # "vet, want to be a firefighter": the job wanted, not the one had.
                # Only real places are left out ("firefighter" tagged as a place is not).
                places = [e for e in message.get("entities") or []
                          if e.get("entity") == PLACE and await find_place(str(e.get("value")))]
                wanted = words_wanted(said, places)
                if wanted and text.lower() not in wanted:
                    text = wanted
        return {INTEREST: text[:100] or None}


KB_EXTRACTOR = "KnowledgeBaseEntityMatcher"
# A first message that starts a search: "wanna fix cars for a living, pendleton" may be
# read as just giving details (inform).
SEARCHING = frozenset({"find_program", "inform"})
QUESTION = re.compile(r"\?|^\W*(what|whats|how|is|are|do|does|can|que|cuanto|cual)\b|"
                      r"\b(do|does|can|should|will|would) (i|you|they|it|we)\b|"
                      r"\b(what is|what's|whats|what does|mean|means|explain|es lo mismo)\b",
                      re.IGNORECASE)


def catalogue_named(entities: List[Dict[str, Any]], text: str = "") -> Optional[str]:
    """The job, program or credential the catalogue knows that the message asks for: the
    first one named after "be", "become", "work as"… ("been a cook 5 yrs, wanna be
    kitchen manager"), else the first one named."""
    known = []
    for entity in sorted(entities, key=lambda e: e.get("start", 0)):
        if entity.get("entity") not in ("occupation", "program", "credential"):
            continue
        value = str(entity.get("value") or "")
        # A typo match (lower confidence) is a guess too; only a sure find beats the CRF's.
        sure = entity.get("extractor") == KB_EXTRACTOR and entity.get("confidence", 1) >= 0.95
        if SOC_RE.match(value) or sure:
            known.append((entity.get("start", 0), value))
    wanted_from = [m.end() for m in WANT.finditer(text)]
    after = [value for start, value in known if wanted_from and start >= wanted_from[0]]
    return (after or [value for _, value in known] or [None])[0]


def words_wanted(text: str, entities: List[Dict[str, Any]]) -> str:
    """The words after "want to be", "become"… up to the end of that clause."""
    cue = WANT.search(text)
    if cue is None:
        return ""
    clause = re.split(r"[,.;!?]| and | but ", text[cue.end():])[0]
    start = cue.end()
    blanked = without_places(text, entities)[start:start + len(clause)]
    return " ".join(content_words(blanked))


# What comes after these is the job wanted, not the one the learner has now.
WANT = re.compile(r"\b(wanna be|want to be|be an?|become|becoming|work as|train (as|for|to be)|"
                  r"get into|move up to|switch to|quiero ser|ser)\b", re.IGNORECASE)


def without_places(text: str, entities: List[Dict[str, Any]]) -> str:
    """The message with the places it names blanked out."""
    for entity in sorted(entities, key=lambda e: -int(e.get("start", 0))):
        if entity.get("entity") == PLACE and "start" in entity:
            text = text[:entity["start"]] + " " + text[entity["end"]:]
    return text


def _word(tracker: Optional[Tracker], kind: str, code: str, known) -> str:
    """The catalogue's word for a code ("evening" → "evenings"), or the code itself."""
    return say(tracker, f"say_programs_{kind}_{code}") if code in known else code


def schedule_word(tracker: Optional[Tracker], code: str) -> str:
    return _word(tracker, "schedule", code, SCHEDULE_CODES)


def modality_word(tracker: Optional[Tracker], code: str) -> str:
    return _word(tracker, "modality", code, MODALITY_CODES)


def language_name(tracker: Optional[Tracker], code: str) -> str:
    return _word(tracker, "language", code, LANGUAGE_CODES)


def sector_name(tracker: Optional[Tracker], sector: str) -> str:
    """The field as searched ("early childhood"); an unknown one as the classifier named it."""
    if sector in SECTOR_CODES:
        return say(tracker, f"say_programs_sector_{sector}")
    return sector.replace("_", " ")


def money(tracker: Optional[Tracker], amount: Optional[float]) -> str:
    if amount is None:
        return say(tracker, "say_programs_cost_unknown")
    if amount == 0:
        return say(tracker, "say_programs_free")
    return f"${amount:,.0f}"


def date_text(tracker: Optional[Tracker], day) -> str:
    return say(tracker, "say_programs_date", day=day.day, year=day.year,
               month=say(tracker, f"say_programs_month_{day.month}"))


def start_text(tracker: Optional[Tracker], program) -> str:
    """The next start date, as a sentence (it ends with a period); followed by the month
    it was checked when that is long ago."""
    if not quotes_start(program):
        return say(tracker, "say_programs_start_unknown")
    return _sentences(say(tracker, "say_programs_next_start",
                          date=date_text(tracker, program.next_start)),
                      checked_text(tracker, program))


def quotes_start(program) -> bool:
    return program.next_start is not None and not program.start_passed


def checked_text(tracker: Optional[Tracker], program) -> str:
    """Says when the facts were last checked ("… in Mar 2025."), for a quoted cost or start
    date checked longer ago than NAVIGATOR_STALE_DAYS; nothing when recent or never dated
    (there is no month to name)."""
    checked = program.last_verified
    if not checked_long_ago(checked):
        return ""
    return say(tracker, "say_programs_last_checked", year=checked.year,
               month=say(tracker, f"say_programs_month_{checked.month}"))


def weeks_text(tracker: Optional[Tracker], program) -> str:
    parts = []
    if program.duration_weeks:
        parts.append(say(tracker, "say_programs_weeks", weeks=program.duration_weeks))
    if program.schedule:
        parts.append(", ".join(schedule_word(tracker, s) for s in program.schedule))
    if program.modality and program.modality != "in_person":
        parts.append(modality_word(tracker, program.modality))
    return ", ".join(parts)


def summary_line(tracker: Optional[Tracker], number: int, program) -> str:
    title = catalogue_name(tracker, program, "title")
    if program.campus_city:
        head = say(tracker, "say_programs_summary_head_city", number=number,
                   title=title, provider=program.provider_name, city=program.campus_city)
    else:
        head = say(tracker, "say_programs_summary_head", number=number, title=title,
                   provider=program.provider_name)
    bits = [head]
    when = weeks_text(tracker, program)
    if when:
        bits.append(say(tracker, "say_programs_sentence", text=when.capitalize()))
    bits.append(say(tracker, "say_programs_sentence", text=money(tracker, program.cost_usd)))
    if program.credentials:
        bits.append(say(tracker, "say_programs_you_earn",
                        credentials=", ".join(catalogue_names(tracker, program, "credentials"))))
    return " ".join(bits)


def filters_from(tracker: Tracker) -> Dict[str, Any]:
    schedule = tracker.get_slot(SCHEDULE)
    cost = tracker.get_slot(COST)
    return {
        "schedule": [schedule] if schedule and schedule != "flexible" else None,
        "modality": tracker.get_slot(MODALITY),
        "language": tracker.get_slot(CLASS_LANGUAGE),
        "max_cost": 0 if cost == "free" else (1000 if cost == "low" else None),
    }


def describe_filters(tracker: Optional[Tracker], filters: Dict[str, Any]) -> str:
    words = []
    if filters["schedule"]:
        words.append(schedule_word(tracker, filters["schedule"][0]))
    if filters["modality"]:
        words.append(modality_word(tracker, filters["modality"]))
    if filters["language"]:
        words.append(say(tracker, "say_programs_in_language",
                         class_language=language_name(tracker, filters["language"])))
    if filters["max_cost"] == 0:
        words.append(say(tracker, "say_programs_filter_free"))
    return ", ".join(words)


SOC_RE = re.compile(r"^\d{2}-\d{4}$")


async def interest_query(interest: Optional[str]) -> Dict[str, Any]:
    """Search terms for what the learner wants.

    The knowledge-base entity matcher fills the slot with a SOC code (an occupation) or a
    program id (a program named by title); free text is searched as words.
    """
    if not interest:
        return {}
    if SOC_RE.match(interest):
        return {"occupation": interest}
    program = await catalogue().program(interest)
    if program is not None:
        return {"text": program.title, "label": program.title}
    return {"text": interest, "label": interest}


class ActionSearchPrograms(Action):
    """Shows up to three programs that fit the learner's interest, place and filters."""

    def name(self) -> str:
        return "action_search_programs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        interest = tracker.get_slot(INTEREST)
        sector = tracker.get_slot(SECTOR)
        place = await find_place(tracker.get_slot(PLACE))
        filters = filters_from(tracker)
        query = {**await interest_query(interest), "place": place, "limit": 3}
        by_words = bool(interest) and query.get("text") == interest
        label = query.pop("label", None)
        if sector and not interest:
            query["sector"] = sector
        results = await catalogue().programs(**query, **filters)
        relaxed = False
        if not results and any(v is not None for v in filters.values()):
            results = await catalogue().programs(**query)
            relaxed = bool(results)
        results = with_licence_class(results, tracker.latest_message.get("text"))
        noted = await note_program_search(tracker, results, place)  # anonymous, for the dashboard
        if label is None and results and results[0].occupations and "occupation" in query:
            label = results[0].occupations[0].lower()
        what = label or (sector_name(tracker, sector) if sector
                         else say(tracker, "say_programs_for_you"))
        near = (say(tracker, "say_programs_near", place=place_label(tracker, place))
                if place else "")
        if not results or all(p.partial for p in results):
            # Near misses ("cnc machinist" → a maintenance program) are shown as the
            # closest there is, never as a match.
            events = await self._nothing_found(dispatcher, tracker, searched_words(tracker, what),
                                               near, interest, sector, place, results)
            return [*events, *noted]
        chosen = describe_filters(tracker, filters)
        if relaxed:
            head = say(tracker, "say_programs_relaxed", filters=chosen, what=what, near=near)
        else:
            extra = say(tracker, "say_programs_filters_extra", filters=chosen) if chosen else ""
            count = (say(tracker, "say_programs_one_program") if len(results) == 1
                     else say(tracker, "say_programs_n_programs", count=len(results)))
            head = say(tracker, "say_programs_found", count=count, what=what, near=near,
                       extra=extra)
        lines, choices = program_list(tracker, results)
        if by_words or any(p.serves_area is False for p in results):
            # Matched by words, not a known job or program, or only far away: maybe not
            # what was meant, so a person is offered too.
            choices.append(Choice(say(tracker, "say_programs_talk_to_person"), "/human_handoff"))
        # Nothing the learner asked in the same message is dropped.
        wage = await pay_line(tracker, results)
        if wage:
            lines.append(wage)
        elif asks_pay(tracker):
            choices.append(Choice(say(tracker, "say_programs_what_job_pays"), "/ask_wages"))
        need_lines, need_choices = also_asked(tracker)
        send(dispatcher, tracker, Reply("\n".join([head, *lines, *need_lines]),
                                        [*choices, *need_choices]))
        return [*showing(results), *noted]

    async def _nothing_found(self, dispatcher, tracker, what, near, interest, sector,
                             place, closest) -> List[Dict[str, Any]]:
        """Says what was searched, shows the closest programs (or the same field nearby)
        when there are any, and offers a person: never a dead end."""
        # The learner's own words first: "wind turbine tech" is energy, whatever field
        # the classifier read into "tech".
        field = guess_sector(what) or guess_sector(interest) or sector
        others = closest[:2] or (
            await catalogue().programs(sector=field, place=place, limit=2) if field else [])
        lines = [say(tracker, "say_programs_not_found", what=what, near=near)]
        if closest:
            lines.append(say(tracker, "say_programs_closest"))
        elif others and field in FIELD_LABELS:
            lines.append(say(tracker, "say_programs_other_field",
                             field=say(tracker, f"say_programs_field_{field}")))
        elif others:
            lines.append(say(tracker, "say_programs_other_programs"))
        listed, choices = program_list(tracker, others)
        need_lines, need_choices = also_asked(tracker)
        lines += [*listed, *need_lines, say(tracker, "say_programs_offer_navigator")]
        send(dispatcher, tracker, Reply("\n".join(lines), [
            *choices, Choice(say(tracker, "say_programs_talk_to_person"), "/human_handoff"),
            *need_choices, Choice(say(tracker, "say_programs_start_over"), "/start_over")]))
        return showing(others)


def program_list(tracker: Optional[Tracker], programs) -> Tuple[List[str], List[Choice]]:
    """A numbered line per program, with a "Tell me about N" button each."""
    return ([summary_line(tracker, i, p) for i, p in enumerate(programs, start=1)],
            [Choice(say(tracker, "say_programs_tell_me_about", number=i),
                    f'/choose_option{{"number": "{i}"}}')
             for i in range(1, len(programs) + 1)])


def showing(programs) -> List[Dict[str, Any]]:
    """Remembers the programs on screen, so "tell me about 2" finds the second."""
    return [SlotSet(PROGRAM_RESULTS, [p.id for p in programs]),
            SlotSet(SELECTED_PROGRAM, None), SlotSet(LAST_SEARCH, "programs")]


def searched_words(tracker: Tracker, what: str) -> str:
    """What the learner asked for, in their words when they typed the search just now
    ("farm work, tractors n irrigation"), so "nothing found" names all of it."""
    message = tracker.latest_message
    text = str(message.get("text") or "")
    if text.startswith("/") or (what.lower() not in text.lower()
                                and not licence_classes(text)):
        return what
    words = content_words(without_places(text, message.get("entities") or []))
    return " ".join(shown_word(w) for w in words[:6]) or what


def with_licence_class(results, text: Optional[str]):
    """A program for another licence class than the one asked for ("class A cdl", the
    Class B program) is a near miss, however the job was found."""
    wanted = licence_classes(text)
    if not wanted:
        return results
    return [p if wanted <= licence_classes(p.title) else replace(p, partial=True)
            for p in results]


JOB_ENTITIES = ("occupation", "program", "credential", "sector")


def _job_spans(message: Dict[str, Any]) -> List[Tuple[int, int]]:
    return [(e["start"], e["end"]) for e in message.get("entities") or []
            if e.get("entity") in JOB_ENTITIES and "start" in e]


def jobs_named(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The message's job, program and credential entities, less those inside the words
    of a need ("i cant drive" names no driving job)."""
    jobs, _ = jobs_and_needs(str(message.get("text") or ""), _job_spans(message))
    return [e for e in message.get("entities") or []
            if e.get("entity") not in JOB_ENTITIES or (e.get("start"), e.get("end")) in jobs]


def needs_beside(tracker: Tracker) -> List[Tuple[str, str]]:
    """Needs named beside the program ("welding in salem, i have no car"), each as its
    category and the learner's words. Words inside the program's own name ("bus
    driver") are not a need."""
    message = tracker.latest_message
    text = str(message.get("text") or "")
    if text.startswith("/"):
        return []
    # The need's words may be the job itself ("work at a daycare as my job").
    interest = str(tracker.get_slot(INTEREST) or "").lower()
    return [(category, text[start:end])
            for start, end, category in jobs_and_needs(text, _job_spans(message))[1]
            if category in NEED_CATEGORIES and text[start:end].lower() not in interest]


def asks_pay(tracker: Tracker) -> bool:
    text = str(tracker.latest_message.get("text") or "")
    return not text.startswith("/") and bool(PAY_QUESTION.search(text))


def also_asked(tracker: Tracker) -> Tuple[List[str], List[Choice]]:
    """The first need named beside the program, said back and offered as a button, so
    it is never dropped silently."""
    lines, choices = [], []
    for category, said in needs_beside(tracker)[:1]:
        # "other" says nothing to the learner; their own words ("boots") do.
        words = said if category == "other" else need_words(tracker, category)
        lines.append(say(tracker, "say_programs_also_asked", need=words))
        choices.append(service_choice(tracker, category))
    return lines, choices


async def pay_line(tracker: Tracker, results) -> Optional[str]:
    """"welding classes and how much do welders make": the pay, answered at once."""
    jobs = [job for p in results[:1] for job in p.occupations[:1]]
    if not (jobs and asks_pay(tracker)):
        return None
    wages = await catalogue().wages(jobs[0])
    return wage_sentence(tracker, wages[0]) if wages else None


# "welding classes and how much do welders make": the pay question is offered too.
PAY_QUESTION = re.compile(r"\b(how much (do|does|would|will|can) \w+ (make|earn|get)|"
                          r"the pay|pays|paid|wages?|salary|earn|cuanto gana\w*|sueldo|"
                          r"salario)\b",
                          re.IGNORECASE)


# The fields with a label for "Here are other … programs" (`say_programs_field_<sector>`).
FIELD_LABELS = ("healthcare", "manufacturing", "construction", "transportation",
                "early_childhood", "business", "information_technology", "hospitality",
                "public_safety", "agriculture", "energy")


def picked_number(tracker: Tracker) -> Optional[int]:
    for value in tracker.get_latest_entity_values("number"):
        text = str(value).strip().lower().lstrip("#")
        if text.isdigit():
            return int(text)
        if text in ORDINALS:
            return ORDINALS[text]
    digits = [t for t in (tracker.latest_message.get("text") or "").split() if t.isdigit()]
    return int(digits[0]) if digits else None


class ActionShowProgram(Action):
    """Tells more about the program the learner picked ("tell me more about 2")."""

    def name(self) -> str:
        return "action_show_program"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        results = tracker.get_slot(PROGRAM_RESULTS) or []
        number = picked_number(tracker)
        program_id = next(iter(tracker.get_latest_entity_values("program")), None)
        if program_id is None and number and 1 <= number <= len(results):
            program_id = results[number - 1]
        program = await catalogue().program(program_id) if program_id else None
        if program is None and not number:
            program = await named_in_list(results, tracker.latest_message.get("text"))
        if program is None:
            if explain_named_term(dispatcher, tracker.latest_message.get("text")):
                return []
            send(dispatcher, tracker, Reply(
                say(tracker, "say_programs_which_one"),
                [Choice(say(tracker, "say_programs_find_program"), "/find_program")],
            ))
            return []
        send(dispatcher, tracker, details_reply(tracker, program))
        return [SlotSet(SELECTED_PROGRAM, program.id)]


async def named_in_list(results: List[str], text: Optional[str]):
    """The one listed program whose title has a word of the text: "the dental one"."""
    wanted = {stem(w) for w in content_words(text) if w not in ("one", "first", "last")}
    if not wanted:
        return None
    found = []
    for program_id in results:
        program = await catalogue().program(program_id)
        if program and wanted & {stem(w) for w in content_words(program.title)}:
            found.append(program)
    return found[0] if len(found) == 1 else None


def details_reply(tracker: Optional[Tracker], program) -> Reply:
    lines = [say(tracker, "say_programs_details_head",
                 title=catalogue_name(tracker, program, "title"),
                 provider=program.provider_name),
             catalogue_text(tracker, program, "description")]
    when = weeks_text(tracker, program)
    if when:
        lines.append(say(tracker, "say_programs_details_when", when=when))
    lines.append(say(tracker, "say_programs_details_cost", cost=money(tracker, program.cost_usd)))
    if program.cost_notes:
        lines.append(catalogue_text(tracker, program, "cost_notes"))
    if program.credentials:
        lines.append(say(tracker, "say_programs_you_earn",
                         credentials=", ".join(catalogue_names(tracker, program, "credentials"))))
    if program.english_support:
        lines.append(say(tracker, "say_programs_english_help"))
    lines.append(start_text(tracker, program))  # says when it was checked, if long ago
    if program.cost_usd is not None and not quotes_start(program) and (
            checked := checked_text(tracker, program)):
        lines.append(checked)
    if program.provider_phone:
        lines.append(say(tracker, "say_programs_call", phone=program.provider_phone))
    choices = [
        Choice(say(tracker, "say_programs_ask_cost"), "/ask_cost"),
        Choice(say(tracker, "say_programs_ask_pathway"), "/ask_pathway"),
        Choice(say(tracker, "say_programs_help_nearby"), "/find_service"),
    ]
    if can_remind(program):
        choices.append(Choice(say(tracker, "say_programs_remind_me"), REMIND_PAYLOAD))
    return Reply(" ".join(lines), choices)


# "Remind me before it starts": a question about the start, asking to be reminded.
REMIND_PAYLOAD = '/ask_schedule{"reminder": "class_start"}'


def wants_reminder(tracker: Tracker) -> bool:
    return any(entity.get("entity") == "reminder"
               for entity in tracker.latest_message.get("entities") or [])


async def remind_class_start(dispatcher: CollectingDispatcher, tracker: Tracker,
                             program) -> None:
    """Plans one reminder 3 days before the program starts, in the learner's channel and
    language (bot/follow_ups.py sends it), or says why it cannot."""
    contact = program.provider_phone or program.url or program.provider_name
    if program.next_start is None or program.start_passed:
        send(dispatcher, tracker, Reply(say(tracker, "say_reminder_no_date", contact=contact)))
        return
    starts = date_text(tracker, program.next_start)
    if not can_remind(program):
        send(dispatcher, tracker, Reply(say(tracker, "say_reminder_too_late", date=starts,
                                            contact=contact)))
        return
    title = catalogue_name(tracker, program, "title")
    await asyncio.to_thread(
        plan_class_reminder, store_engine(), sender_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "socketio",
        language=known(tracker.get_slot(REPLY_LANGUAGE)), program_id=program.id,
        starts=program.next_start, facts={"program": title, "date": starts, "contact": contact})
    send(dispatcher, tracker, Reply(say(
        tracker, "say_reminder_set", program=title,
        date=date_text(tracker, reminder_day(program.next_start)))))


def can_remind(program) -> bool:
    """A reminder 3 days before the start is still ahead (by the catalogue's date)."""
    return (program.next_start is not None and not program.start_passed
            and reminder_day(program.next_start) > today())


class ActionAnswerProgramQuestion(Action):
    """Answers a follow-up (cost, schedule) about the program the learner is looking at."""

    def name(self) -> str:
        return "action_answer_program_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        program_id = tracker.get_slot(SELECTED_PROGRAM)
        results = tracker.get_slot(PROGRAM_RESULTS) or []
        if not program_id and len(results) == 1:
            program_id = results[0]
        program = await catalogue().program(program_id) if program_id else None
        if program is not None and wants_reminder(tracker):
            await remind_class_start(dispatcher, tracker, program)
            return []
        if program is None:
            if explain_named_term(dispatcher, tracker.latest_message.get("text")):
                return []
            send(dispatcher, tracker, Reply(
                say(tracker, "say_programs_which_program"),
                [Choice(say(tracker, "say_programs_find_program"), "/find_program")],
            ))
            return []
        aspect = aspect_of(tracker.latest_message.get("text"),
                           tracker.get_intent_of_latest_message())
        if aspect is None:
            send(dispatcher, tracker, details_reply(tracker, program))
            return [SlotSet(SELECTED_PROGRAM, program.id)]
        send(dispatcher, tracker, Reply(answer(tracker, program, aspect), [
            Choice(say(tracker, "say_programs_ask_pathway"), "/ask_pathway"),
            Choice(say(tracker, "say_programs_help_nearby"), "/find_service"),
        ]))
        return [SlotSet(SELECTED_PROGRAM, program.id)]


def answer(tracker: Optional[Tracker], program, aspect: str) -> str:
    """One short answer about one part of a program, from the catalogue's facts."""
    title = program.title
    hours = (say(tracker, "say_programs_hours_a_week", hours=program.hours_per_week)
             if program.hours_per_week else "")
    if aspect == q.COST:
        cost = say(tracker, "say_programs_answer_cost", title=title,
                   cost=money(tracker, program.cost_usd))
        return _sentences(cost, catalogue_text(tracker, program, "cost_notes"),
                          checked_text(tracker, program) if program.cost_usd is not None else "")
    if aspect == q.LENGTH:
        if not program.duration_weeks:
            return say(tracker, "say_programs_answer_length_unknown", title=title)
        return _sentences(say(tracker, "say_programs_answer_length", title=title,
                              weeks=program.duration_weeks), hours)
    if aspect == q.START:
        return say(tracker, "say_programs_answer_start", title=title,
                   start=start_text(tracker, program))
    if aspect == q.WHERE:
        if program.campus_city:
            where = say(tracker, "say_programs_answer_where_city", title=title,
                        provider=program.provider_name, city=program.campus_city)
        else:
            where = say(tracker, "say_programs_answer_where", title=title,
                        provider=program.provider_name)
        online = (say(tracker, "say_programs_answer_it_is",
                      modality=modality_word(tracker, program.modality))
                  if program.modality in ("online", "hybrid") else "")
        return _sentences(where, online)
    if aspect == q.ONLINE:
        modality = (modality_word(tracker, program.modality)
                    if program.modality in MODALITY_CODES else modality_word(tracker, "in_person"))
        return say(tracker, "say_programs_answer_online", title=title, modality=modality)
    if aspect == q.ENGLISH:
        taught = ", ".join(language_name(tracker, code) for code in program.languages)
        help_text = (say(tracker, "say_programs_english_help") if program.english_support
                     else "")
        return _sentences(say(tracker, "say_programs_answer_languages", title=title,
                              languages=taught or language_name(tracker, "en")), help_text)
    if aspect == q.PREREQUISITES:
        if program.prerequisites:
            return say(tracker, "say_programs_answer_prerequisites", title=title,
                       needs=catalogue_text(tracker, program, "prerequisites"))
        return say(tracker, "say_programs_answer_prerequisites_unknown", title=title)
    if aspect == q.CREDENTIAL and program.credentials:
        return say(tracker, "say_programs_answer_credential", title=title,
                   credentials=", ".join(catalogue_names(tracker, program, "credentials")))
    when = weeks_text(tracker, program)
    text = (say(tracker, "say_programs_answer_schedule", title=title, when=when) if when
            else say(tracker, "say_programs_answer_schedule_unknown", title=title))
    return _sentences(text, hours, start_text(tracker, program))


def _sentences(*parts: Optional[str]) -> str:
    """Rendered sentences (and catalogue notes) one after another; empty ones left out."""
    return " ".join(p.strip() for p in parts if p and p.strip())


class ActionStartOver(Action):
    """Forgets the search, keeps where the learner lives."""

    def name(self) -> str:
        return "action_start_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_start_over")
        return [SlotSet(slot, None) for slot in SEARCH_SLOTS]



class ValidateInterestQuizForm(LeavableFormValidation):
    """The quiz's "what do you like to do most?" answered in words, in either language
    ("me gusta trabajar con niños", "fixing cars"), not only with its buttons."""

    # "idk" to a quiz question is an answer the quiz can live with, not a new request.
    leaves_for = OTHER_REQUESTS - {"not_sure"}

    def name(self) -> str:
        return "validate_interest_quiz_form"

    async def extract_sector(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        text = str(tracker.latest_message.get("text") or "")
        if tracker.get_slot("requested_slot") != SECTOR or text.startswith("/"):
            return {}
        sector = guess_sector(text)
        return {SECTOR: sector} if sector else {}

    async def extract_schedule(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> Dict[str, Any]:
        """"a cualquier hora, no trabajo ahorita", "nights mostly": typed, not tapped."""
        text = str(tracker.latest_message.get("text") or "")
        if (tracker.get_slot("requested_slot") != SCHEDULE or text.startswith("/")
                or tracker.get_slot(SCHEDULE)):
            return {}
        schedule = guess_schedule(text)
        return {SCHEDULE: schedule} if schedule else {}
