"""Rasa NLU component: an explicit request for a person always reads as `human_handoff`.

"is there anybody who could phone me about nursing classes" names a topic too, and a
classifier may take it for a program search; but a person is always one message away,
so asking for one must never be lost. These patterns decide, like the crisis words
(which still win: CrisisDetector runs after this). In config.yml, after
FallbackClassifier and before CrisisDetector:

    - name: bot.nlu.person_request.PersonRequestDetector

Deliberately narrow: "can someone help me find welding classes" asks for classes, not a
person, so "help" counts only with an explicit person word ("can a person help me").
"""

from __future__ import annotations

import re
from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import IntentOverride

HANDOFF_INTENT = "human_handoff"
# Intents a person request never overrides.
KEEP = frozenset({"crisis", "cancel_referral", "check_referral", "delete_my_data"})

_SOMEONE = r"(some ?one|some ?body|any ?one|any ?body)"
_WHO = (r"(real |actual |live |human |)(person|human|navigator|counselor|counsellor|advisor|"
        r"adviser|staff( member)?|agent|representative|rep)s?")
_PERSON = rf"(a |an |the |some |one )?{_WHO}"
_A_PERSON = rf"(a |an |some |one ){_WHO}"
_CONTACT = (r"(call|phone|ring|text|txt|e-?mail|contact|reach( out to)?|get (back )?to|"
            r"get in touch with|talk (to|with)|speak (to|with)|chat with|walk)")
_PATTERNS = [
    # "can someone call me", "have somebody text me back", "anybody who could phone me"
    rf"\b{_SOMEONE}\b( \w+){{0,4}} {_CONTACT} me\b",
    # "a real person to call me", "can a navigator help me", "is there a human who..."
    rf"\b{_PERSON}\b( \w+){{0,4}} ({_CONTACT}|help|explain( this| it)? to) me\b",
    # "talk to a person", "speak with a human", "get me someone", "connect me with staff"
    rf"\b(talk|speak|chat|e-?mail|text|message)( \w+)? (to|with) ({_PERSON}|{_SOMEONE}|"
    r"a human being)\b",
    # "i want a real person", "i'd rather have a human", "need a navigator"
    rf"\b(want|need|prefer|rather|like)( to)?( have| get)? {_A_PERSON}\b",
    rf"\b(get|give|find|connect|transfer|put) me( \w+)? ({_PERSON}|{_SOMEONE})\b",
    rf"\b(get|connect|transfer|put) me (through |in touch )?(to|with) ({_PERSON}|{_SOMEONE})\b",
    # "call me back", "callback", when asked for in so many words
    r"\b(call ?back|call me back|text me back)\b",
    # Spanish: "que alguien me llame", "hablar con una persona", "llámenme"
    r"\balguien (que )?me (llame|hable|explique|contacte|mande|escriba|ayude)",
    r"\bhablar con (una persona|alguien|un humano|un consejero|una consejera|un navegador|"
    r"una navegadora)",
    r"\bll[aá]m(ame|enme)\b",
    # "pasame con un humano", "que alguien me marque", "quiero que me devuelvan la llamada"
    r"\b(p[aá]s(a|e)me|comun[ií](c|qu)(a|e)me|con[eé]ct(a|e)me) con (una? )?(persona|humano|"
    r"alguien|consejer[oa]|navegador[a]?|agente)",
    r"\balguien (que )?me (marque|devuelva|escriba|atienda)",
    r"\b(una persona|un humano|un navegador|una navegadora|un consejero|una consejera) "
    r"(que )?me (llame|mande|escriba|hable|contacte|marque|explique|ayude)",
    r"\b(devuelvan|regresen|regrese|devuelva) la llamada",
    r"\b(quiero|necesito|prefiero) (hablar con (una persona|alguien|un humano|un navegador|"
    r"una navegadora)|una persona real|un humano|alguien real|un navegador|una navegadora)\b",
]
# A cancel always says so ("no need to call me", "dont call", "ya no"); "can someone call
# me, my english no es bueno" asking for a call is not one.
CANCEL_CUE = re.compile(r"\b(cancel\w*|no need|don'?t|do not|stop|no longer|any ?more|ya no|"
                        r"nobody needs|never ?mind|nvm|withdraw|take me off|no thanks|"
                        r"not anymore)\b", re.IGNORECASE)
# Asking after a request says when ("did", "yet", "when", "todavía"); "could a navigator
# ring me sometime" asks for one, though a classifier may read it as a status check.
STATUS_CUE = re.compile(r"\b(yet|already|did|didn'?t|has|hasn'?t|have|haven'?t|still|when|"
                        r"ya|todav[ií]a|a[uú]n|nadie|cu[aá]ndo)\b", re.IGNORECASE)
# A cancel or a status check is kept over a request for a person only when it says so.
SAYS_SO = {"cancel_referral": CANCEL_CUE, "check_referral": STATUS_CUE}
PERSON_REQUEST = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def asks_for_person(text: str) -> bool:
    return bool(PERSON_REQUEST.search(text or ""))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=False)
class PersonRequestDetector(IntentOverride):
    def decide(self, message: Message, current: Optional[str]) -> Optional[str]:
        text = message.get(TEXT) or ""
        if text.startswith("/") or not asks_for_person(text):
            return None
        cue = SAYS_SO.get(current)
        if current in KEEP and (cue is None or cue.search(text)):
            return None
        return HANDOFF_INTENT
