"""Crisis words are never left to the statistical classifier."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis import CrisisDetector, mentions_crisis


@pytest.mark.parametrize("text", [
    "i dont want to live anymore", "I want to kill myself", "thinking about suicide",
    "my husband hits me", "he threatened to kill me", "i have nowhere to sleep tonight",
    "sleeping in my car tonight", "me quiero morir", "no tengo donde dormir",
    "my partner is abusive", "i am not safe at home", "thinking about ending my life",
    "sometimes i want to take my own life", "they'd be better off dead without me... i mean me",
    # indirect and slang phrasings of self-harm
    "thinking of ending things", "my family is better off without me", "kms fr",
    "no point in living like this", "i might take myself out", "started cutting myself",
    "i swallowed all my pills", "i wont be here tomorrow, bye", "ya no puedo mas con esto",
    # Spanish with the pronoun before the verb, as people say it
    "a veces me quiero hacer daño", "me voy a cortar otra vez", "pienso en lastimarme",
    "mi pareja me esta pegando", "tengo miedo que me vuelvan a golpear",
    # danger now
    "he is trying to kill me", "my roommate pulled a knife", "someone attacked me",
    "she choked me last night", "im scared to go home", "me amenazo con una pistola",
    # no roof or food tonight
    "we have nowhere to go tonight", "sleeping in the park since monday",
    "i havent eaten since yesterday", "there is nothing to eat at home",
    "no food for my kids tonight", "no tenemos comida",
    # Spanish, in each of the three groups
    "a veces pienso en quitarme la vida", "estamos en peligro en la casa",
    "mi pareja me maltrata y tengo miedo", "no tengo a donde ir esta noche con mis hijos",
    "me corrieron de mi casa hoy", "no tenemos donde quedarnos esta noche",
    "ando durmiendo en la camioneta con los ninos", "ya ni se para que sigo vivo",
])
def test_crisis_phrasings(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "i want to cancel my request", "welding classes in salem", "i dont want to pay a lot",
    "where do i sleep during the clinic rotation", "is the class at night", "hi",
    "i need child care tonight for class", "when does the term end", "is it all online",
    "i need food stamps", "food bank near salem", "i need a ride to the park",
    "this commute is killing me lol", "do they teach knife skills in the cooking class",
    "busco clases de cocina en salem", "necesito guarderia en la noche",
    "me voy a cortar el pelo antes de la clase", "me quiero cortar el pelo",
    "se me pegó la gripa de mi hijo", "se me pegó el sueño y llegué tarde",
])
def test_everyday_messages_are_not_crisis(text):
    assert not mentions_crisis(text)


def test_detector_overrides_the_classifier():
    message = Message.build(text="i dont want to be alive", intent="cancel_referral")
    message.set("intent", {"name": "cancel_referral", "confidence": 0.9})
    message.set("intent_ranking", [{"name": "cancel_referral", "confidence": 0.9}])
    CrisisDetector().process([message])
    assert message.get("intent")["name"] == "crisis"
    assert message.get("intent_ranking")[1]["name"] == "cancel_referral"
