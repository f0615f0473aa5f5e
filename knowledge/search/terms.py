"""Words learners use that the catalogue does not: stopwords, abbreviations, labels."""

from __future__ import annotations

from typing import Dict, Tuple

# Words that say nothing about which program or service is wanted. Domain words such as
# "class" or "college" are here too: every program is one, so they would match everything.
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for from with about as into near around i im i'm
me my mine we our you your he she they them it its is are was were be b been being am do
does did doing have has had can could would should will want wanna wants need needs needed
looking look find get got go going like learn learning become becoming how what where when
which who why that this these those there here some any more most very so just also please
help show tell give know not no yes ok okay hi hello thanks thank u ur r pls plz
class classes course courses program programs programa training train job jobs work
working career careers school college community cc near me area nearby local around
""".split())

# Abbreviations learners type, spelled out in catalogue words (used when the catalogue
# itself does not contain the abbreviation).
SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "cna": ("nursing", "assistant"),
    "cdl": ("commercial", "driver", "truck"),
    "hvac": ("heating", "air", "conditioning"),
    "ece": ("early", "childhood"),
    "esl": ("english", "language"),
    "ged": ("ged", "high", "school", "equivalency"),
    "it": ("information", "technology", "computer"),
    "daycare": ("childcare", "child", "care"),
    "trucking": ("truck", "driving"),
    "nurse": ("nursing",),
    "medic": ("medical",),
}

# Sector words a learner might type for each sector value.
SECTOR_WORDS: Dict[str, Tuple[str, ...]] = {
    "healthcare": ("healthcare", "health", "medical", "care"),
    "manufacturing": ("manufacturing", "factory", "production"),
    "construction": ("construction", "building", "trades"),
    "transportation": ("transportation", "driving", "logistics"),
    "early_childhood": ("early", "childhood", "childcare", "preschool"),
    "business": ("business", "office", "administrative"),
    "information_technology": ("information", "technology", "computer", "computers", "tech"),
    "hospitality": ("hospitality", "hotel", "restaurant", "culinary"),
    "public_safety": ("public", "safety", "police", "fire"),
    "agriculture": ("agriculture", "farm", "farming"),
    "energy": ("energy", "solar", "utility"),
    "other": (),
}
SECTOR_ALIASES: Dict[str, str] = {
    "health care": "healthcare", "health": "healthcare", "medical": "healthcare",
    "it": "information_technology", "tech": "information_technology",
    "computers": "information_technology", "information technology": "information_technology",
    "early childhood": "early_childhood", "childcare": "early_childhood",
    "public safety": "public_safety", "trades": "construction",
}

# Words that name each service category, so "daycare" finds child-care services.
CATEGORY_WORDS: Dict[str, Tuple[str, ...]] = {
    "transportation": ("transportation", "ride", "rides", "bus", "gas", "transit", "car"),
    "childcare": ("childcare", "child", "daycare", "babysitter", "kids"),
    "disability": ("disability", "disabilities", "accommodation", "accessibility"),
    "food": ("food", "groceries", "meals", "snap", "pantry", "hungry"),
    "housing": ("housing", "rent", "shelter", "homeless", "apartment"),
    "technology": ("technology", "computer", "laptop", "internet", "wifi", "phone"),
    "health": ("health", "doctor", "medical", "dental", "clinic", "insurance"),
    "legal": ("legal", "lawyer", "immigration", "court"),
    "financial": ("financial", "money", "tuition", "scholarship", "bills", "aid"),
    "language": ("language", "english", "esl", "interpreter", "translation"),
    "basic_needs": ("basic", "needs", "clothes", "clothing", "hygiene"),
    "career": ("career", "resume", "interview", "employment"),
    "other": (),
}
CATEGORY_ALIASES: Dict[str, str] = {
    "child care": "childcare", "daycare": "childcare", "day care": "childcare",
    "transport": "transportation", "rides": "transportation", "ride": "transportation",
    "basic needs": "basic_needs", "money": "financial", "rent": "housing",
}

# Names for the instruction languages Oregon programs most often offer besides English.
LANGUAGE_NAMES: Dict[str, str] = {
    "en": "English", "es": "Spanish", "ru": "Russian", "vi": "Vietnamese", "zh": "Chinese",
    "ar": "Arabic", "so": "Somali", "uk": "Ukrainian", "ko": "Korean", "fa": "Farsi",
    "sw": "Swahili", "tl": "Tagalog", "ja": "Japanese", "fr": "French", "pt": "Portuguese",
}
