"""Which part of a chosen program a follow-up asks about, in the learner's own words.

"is it at night", "do i need my ged first", "can i do it from home", "cuanto dura": the
intent says a question was asked about the program; the words say which part. Checked in
order, so "how long" is a length before it is a time of day, and "do i need a diploma
to start" asks what it takes before it asks when.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple

COST = "cost"
SCHEDULE = "schedule"
LENGTH = "length"
START = "start"
WHERE = "where"
PREREQUISITES = "prerequisites"
ENGLISH = "english"
ONLINE = "online"
CREDENTIAL = "credential"

# (aspect, pattern) in the order they are tried; accents are stripped before matching.
_CUES: Tuple[Tuple[str, str], ...] = (
    (LENGTH, r"how long|how many (weeks|months|hours)|length|duration|take to (finish|"
             r"complete)|long is it|cuanto (dura|tiempo)|cuantas semanas|weeks|months"),
    (PREREQUISITES, r"\b(need (a|my|to have)|diploma|ged|requirement|requirements|"
                    r"prereq|prerequisite|qualify|background check|before i|do i have to|"
                    r"test first|requisito|necesito)"),
    (START, r"\b(start|starts|starting|begin|begins|next class|next one|enroll|sign up|"
            r"signup|register|deadline|empieza|comienza|inicia|inscrib)"),
    (COST, r"\b(cost|costs|price|how much|free|tuition|fee|fees|pay for|afford|aid|fafsa|"
           r"pell|wioa|scholarship|money|cuesta|cuanto es|precio|gratis|pagar|dinero|\$)"),
    (ONLINE, r"\b(online|on line|remote|from home|zoom|virtual|in person|hybrid|en linea|"
             r"desde casa)"),
    (ENGLISH, r"\b(english|esl|spanish|espanol|language|ingles|idioma|bilingual|"
              r"interpreter)"),
    (WHERE, r"\b(where|location|located|address|campus|how far|close to|donde|lejos)"),
    (CREDENTIAL, r"\b(certificate|certification|license|credential|what do i get|"
                 r"degree|diploma at the end|certificado|licencia)"),
    (SCHEDULE, r"\b(when|schedule|days|nights|night|evening|evenings|weekend|weekends|"
               r"morning|mornings|time|times|hours|horario|noche|dias|cuando)"),
)
_COMPILED = tuple((aspect, re.compile(pattern)) for aspect, pattern in _CUES)
_INTENT_ASPECT = {"ask_cost": COST, "ask_schedule": SCHEDULE}
_ACCENTS = str.maketrans("áéíóúüñ¿¡", "aeiouun  ")


def aspect_of(text: Optional[str], intent: Optional[str]) -> Optional[str]:
    """The part asked about, or None when the words do not say (show the whole card)."""
    plain = (text or "").lower().translate(_ACCENTS)
    for aspect, pattern in _COMPILED:
        if pattern.search(plain):
            return aspect
    return _INTENT_ASPECT.get(intent or "")
