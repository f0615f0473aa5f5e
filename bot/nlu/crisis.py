"""Rasa NLU component: crisis words always read as the `crisis` intent.

A learner who writes about suicide, abuse, violence or nowhere to sleep tonight must
get 988, 911 and 211 first, whatever the classifier made of the rest of the message. A
statistical classifier can miss a phrasing it never saw, so these patterns decide.
Last in the pipeline (after FallbackClassifier), in config.yml:

    - name: bot.nlu.crisis.CrisisDetector
"""

from __future__ import annotations

import re
from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import CRISIS_INTENT
from bot.nlu.intent_override import IntentOverride

_PATTERNS = [
    # self-harm and suicide
    r"suicid", r"kill(ing)? my ?self", r"end(ing)? (my (own )?life|it all)", r"want(ed)? to die",
    r"take my (own )?life", r"better off dead", r"no reason to (live|go on)",
    r"(do ?n[o']?t|dont) want to (live|be alive|be here)", r"(hurt|harm|cut)(ing)? my ?self",
    r"self[- ]harm", r"not worth living", r"quiero morir", r"me quiero morir", r"suicidar",
    r"matarme",
    r"\bkms\b", r"end(ing)? things", r"better off (w/?o|without) me", r"tak(e|ing) myself out",
    r"giv(e|ing) up on (life|living)", r"(no|the) point (of|in|to) (living|life|being alive)",
    r"(won'?t|wont|will not) be (around|here) (after|tomorrow|anymore)",
    r"\b(been |keep |started )?cutting (myself|again)", r"(took|swallowed|take) (a whole bottle|"
    r"all (my|the)|too many) (of )?(pills|meds)", r"overdos", r"no quiero vivir",
    r"ya no puedo m[aá]s", r"quitar(me)? la vida", r"me quiero matar", r"hacerme da[nñ]o",
    # the pronoun before the verb: "me quiero hacer daño", "me voy a cortar"
    r"\bme (quiero|voy a|pienso|quisiera|dan ganas de|dieron ganas de) (hacer da[nñ]o|"
    r"lastimar|cortar(?! (el|mi) (pelo|cabello)| las u[nñ]as)|matar|morir)",
    r"\b(lastimarme|cortarme)\b(?! (el|mi) (pelo|cabello)| las u[nñ]as)",
    r"\bme estoy cortando\b(?! (el|mi) (pelo|cabello)| las u[nñ]as)",
    r"ganas de morir", r"quiero desaparecer", r"(no le veo|no tiene) sentido (a )?(la vida|vivir)",
    r"(estar[ií]an?|viven|vivir[ií]an?) mejor sin m[ií]",
    r"me tom[eé] (muchas|un frasco de|un bote de|todas (las|mis)) (pastillas|medicinas|pildoras)",
    r"no (vale|tiene sentido) (la pena )?vivir", r"mejor (estar|estaria|estaría) muert[oa]",
    r"(pa|para) (que|qué) (sigo|seguir) viv[oa]", r"no quiero seguir viv[oa]",
    # abuse and violence
    r"abus(e|ed|es|ing|ive)", r"(hits?|hitting|beats?|beating|hurts?|hurting|chok(es|ing)) me",
    r"threat(en|ened|ens|ening) (to kill )?me",
    r"(said|says) (he|she|they)('ll| will| would|'d) kill me",
    r"domestic violence", r"\bviolen(ce|t)\b", r"assault", r"\brap(e|ed)\b",
    r"not safe at home", r"afraid for my life", r"in danger", r"me (pega|golpea)",
    r"violencia", r"abusando", r"(estoy|estamos) en peligro", r"me violaron", r"violaci[oó]n",
    r"me (maltrata|golpea|pega|amenaza|lastima)", r"maltrat(o|a|an) (a mis|a mi)",
    # the same verbs going on now or feared again: "me está lastimando", "me vuelva a pegar"
    r"me est[aá]n? (maltratando|golpeando|pegando|amenazando|lastimando|siguiendo|"
    r"persiguiendo)", r"me vuelvan? a (golpear|pegar|lastimar|maltratar)",
    r"no estoy segur[oa] en (mi )?casa", r"me est[aá]n? haciendo da[nñ]o",
    r"me (va|van) a matar", r"(?<!\bse )me peg[oó]\b", r"me (persigue|acosa)\b",
    r"me encerr[oó]|me tiene encerrad[oa]|no me deja salir",
    r"(est[aá]|anda|estaba) tocando a mi (hij[oa]|ni[nñ][oa])",
    r"touch(ing|ed|es) my (daughter|son|kid|child)",
    r"tengo miedo de (mi (esposo|marido|pareja|novio|novia))",
    r"(gonna|going to|gon|will|to|wants to|trying to) (hurt|kill) (me|us)\b",
    r"chok(ed|ing) me", r"attack(ed|ing) me", r"\bbleeding\b",
    r"(pulled|has|had|with|holding|waving|grabbed) a (knife|gun)", r"(knife|gun) (to|at) me",
    r"(cuchillo|pistola)",
    r"amenaz", r"(hurts|hit|hits|beats) (my|us)\b", r"scared to go home",
    r"miedo de (ir a|volver a) (la )?casa",
    # nowhere to sleep tonight
    r"(nowhere|no where|no place|no ?where) to (sleep|stay|go)", r"homeless tonight",
    r"sleep(ing)? (in my car|outside|on the street)", r"on the streets? tonight",
    r"(shelter|refugio) (tonight|esta noche)", r"no tengo (donde|dónde) dormir",
    r"kicked out", r"evicted today",
    r"nowhere (else|2 sleep|to go tonight)", r"no place to (go|sleep|stay) tonight",
    r"sleep(ing)? (at|in) (the|a) (park|car|tent)", r"in (the|my|our) car tonight",
    r"changed the locks", r"(have ?n[o']?t|havent|not) eaten", r"nothing to eat",
    r"no food (in the house|at home|tonight|for (my|the) (kids|children|family))",
    r"starving", r"no tengo comida", r"no tenemos comida", r"dormir en (el carro|la calle)",
    r"no (tengo|tenemos) (donde|dónde|a donde|a dónde) (quedarme|quedarnos|ir|dormir)",
    r"(durmiendo|dormimos|duermo|dormir) en (la troca|el carro|el coche|la camioneta|la calle|"
    r"el parque)",
    r"me (echaron|corrieron) de (la|mi) casa",
    r"sin casa (esta noche|hoy)", r"(no hemos|no he) comido",
    r"(en|a) la calle (con mis|esta noche|sin (casa|donde))", r"d[oó]nde pasar la noche",
]
CRISIS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def mentions_crisis(text: str) -> bool:
    return bool(CRISIS.search(text or ""))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=False)
class CrisisDetector(IntentOverride):
    def decide(self, message: Message, current: Optional[str]) -> Optional[str]:
        return CRISIS_INTENT if mentions_crisis(message.get(TEXT)) else None
