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
de del la las el los en y o para por con un una unos unas que q quiero busco necesito
hay donde cerca aqui mi mis me gustaria puedo como cual cuales clase clases curso cursos
programa programas trabajo trabajar estudiar aprender ser porfa favor pa algo alguna
algun alguno sobre tipo
class classes course courses program programs programa training train job jobs work
working career careers school college community cc near me area nearby local around
""".split())

# Words that name a kind of training or a level, not its subject: a program matching only
# these ("plumber apprenticeship" → the electrical one) is not what was asked for.
FORM_WORDS = frozenset("""
apprenticeship apprenticeships apprentice preapprenticeship pre license licence licensed
licensing certificate certificates certification certified cert certs tech techs
technician technicians basics basic fundamentals readiness skills skill intro beginner
beginners level online remote degree helper helpers aide aides
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
    "daycare": ("childcare", "child", "childhood", "preschool"),
    "trucking": ("truck", "driving"),
    "nurse": ("nursing",),
    "medic": ("medical",),
    **{word: english for english, words in {
        # Spanish words for the subjects of training, as learners type them (no accents
        # needed: the index folds them); a catalogue without Spanish keywords still
        # matches "tecnico de farmacia" or "recepcionista de clinica".
        ("welding",): ("soldadura", "soldador", "soldadora", "soldar"),
        ("nursing", "assistant"): ("enfermera", "enfermero", "enfermeria"),
        ("pharmacy",): ("farmacia",),
        ("technician",): ("tecnico", "tecnica", "tecnicos"),
        ("receptionist", "front", "office"): ("recepcionista", "recepcion"),
        ("clinic", "medical"): ("clinica", "medico", "medica"),
        ("dental",): ("dentista", "dentales"),
        ("cook", "kitchen", "culinary"): ("cocina", "cocinero", "cocinera", "cocinar"),
        ("mechanic", "automotive"): ("mecanico", "mecanica", "mecanicos", "carros"),
        ("electrician", "electrical"): ("electricista", "electricidad"),
        ("plumber", "plumbing"): ("plomero", "plomeria", "fontanero"),
        ("carpenter", "carpentry"): ("carpintero", "carpinteria"),
        ("construction",): ("construccion", "obra"),
        ("computer", "technology"): ("computadoras", "computacion", "computadora"),
        ("office", "administrative"): ("oficina", "secretaria", "administrativo"),
        ("warehouse", "logistics"): ("bodega", "almacen"),
        ("forklift",): ("montacargas",),
        ("truck", "driver"): ("camion", "troca", "trailero", "chofer", "camionero"),
        ("caregiver", "home", "health"): ("cuidador", "cuidadora", "ancianos", "cuidar"),
        ("child", "early", "childhood"): ("ninos", "guarderia", "infantil"),
        ("teacher", "classroom"): ("maestro", "maestra", "maestros"),
        ("assistant",): ("asistente", "ayudante"),
        ("manufacturing", "production"): ("manufactura", "fabrica", "produccion"),
        ("heating", "air", "conditioning"): ("calefaccion", "refrigeracion", "aire"),
        ("security",): ("seguridad", "guardia", "vigilante"),
        ("janitorial", "custodial", "cleaning"): ("limpieza", "conserje", "intendencia"),
        ("billing", "bookkeeping", "accounting"): ("facturacion", "contabilidad"),
        ("customer", "service"): ("cliente", "clientes", "atencion"),
        ("farm", "agriculture"): ("campo", "agricultura", "rancho"),
        ("solar", "energy"): ("energia",),
        ("maintenance",): ("mantenimiento",),
        ("cosmetology", "beauty", "hair", "barber"): ("belleza", "estilista", "pelo",
                                                     "cabello", "peluqueria", "barberia"),
        ("nail",): ("unas",),
        ("english", "language"): ("ingles",),
    }.items() for word in words},
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
# Job words that tell the field of a job the catalogue does not have ("dental hygienist"
# is health care), so "nothing matched" can still show the same field nearby. Kept apart
# from SECTOR_WORDS, which the search index matches: a dental search must not pretend a
# nursing program is a dental one.
SECTOR_HINTS: Dict[str, Tuple[str, ...]] = {
    "healthcare": ("nurse", "nursing", "cna", "dental", "dentist", "hygienist", "pharmacy",
                   "pharmacist", "medical", "doctor", "clinic", "hospital", "phlebotomy",
                   "patient", "caregiver", "caregiving", "therapy", "therapist", "emt",
                   "paramedic", "radiology", "xray", "lab", "surgical", "optician",
                   "massage", "vet", "veterinary", "health", "healthcare", "enfermera",
                   "enfermeria", "salud", "enfermos", "enferma", "enfermo", "pacientes"),
    "manufacturing": ("welding", "welder", "weld", "machinist", "machining", "cnc",
                      "fabrication", "factory", "assembly", "mechatronics", "production",
                      "soldadura", "soldador", "arreglar", "construir", "fabrica"),
    "construction": ("construction", "carpenter", "carpentry", "electrician", "electrical",
                     "plumber", "plumbing", "hvac", "roofing", "roofer", "painter",
                     "drywall", "framing", "concrete", "mason", "builder", "construccion",
                     "carpintero", "electricista"),
    "transportation": ("truck", "trucking", "trucker", "cdl", "driver", "driving", "bus",
                       "forklift", "warehouse", "delivery", "mechanic", "diesel", "auto",
                       "automotive", "camion", "chofer", "manejar", "cars", "carros"),
    "early_childhood": ("preschool", "daycare", "childcare", "teacher", "teaching",
                        "nanny", "ece", "maestra", "maestro", "kids", "children", "ninos",
                        "bebes", "guarderia"),
    "business": ("office", "bookkeeping", "bookkeeper", "accounting", "accountant",
                 "receptionist", "secretary", "clerk", "admin", "administrative", "cashier",
                 "banking", "bank", "retail", "sales", "customer", "oficina", "ventas"),
    "information_technology": ("computer", "computers", "coding", "coder", "programming",
                               "programmer", "software", "developer", "web", "it", "tech",
                               "network", "cybersecurity", "helpdesk", "data",
                               "computadora", "computadoras"),
    "hospitality": ("cook", "cooking", "chef", "culinary", "kitchen", "restaurant", "baker",
                    "baking", "hotel", "barista", "server", "waiter", "waitress",
                    "housekeeping", "cocina", "cocinero"),
    "public_safety": ("police", "firefighter", "fire", "security", "guard", "corrections",
                      "dispatcher", "policia", "bombero"),
    "agriculture": ("farm", "farming", "farmer", "agriculture", "ranch", "nursery",
                    "landscaping", "landscaper", "gardening", "forestry", "tractor",
                    "campo", "granja"),
    "energy": ("solar", "wind", "energy", "utility", "lineman", "lineworker", "power"),
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
# How learners say a need without naming the category ("i got no ride", "my kid needs
# watching", "i use a wheelchair"): regular expressions over lower-case text without
# accents. A message can name several; they are read in the order it names them.
NEED_CUES: Tuple[Tuple[str, str], ...] = (
    ("transportation", r"\b(ride|rides|bus|buses|busses|transit|trimet|tri-met|gas|car|"
                       r"cars|carpool|vehicle|transport|transportation|transporte|"
                       r"get to (school|class|campus)|getting to (school|class)|"
                       r"way to get|bike|uber|lyft|train fare|fare|carro|camion|raite|"
                       r"aventon|pasaje|gasolina|(dont|don't|cant|can't|cannot|can not|do not|"
                       r"doesnt|doesn't) (drive|have a (car|license|ride))|no (car|license)|"
                       r"no tengo (carro|coche|raite)|troca|(se me )?descompuso|"
                       r"sin (carro|coche|raite|troca)|no (manejo|tengo licencia))\b"),
    ("childcare", r"\b((child ?care|day ?care|daycare) (money|help|costs?|assistance|"
                  r"subsid\w*|vouchers?|stipends?|scholarships?)|"
                  r"child ?care|day ?care|daycare|babysit\w*|sitter|nanny|"
                  r"watch(es|ing)? (my |the |our )?(kids?|child|children|baby|son|daughter|"
                  r"toddler|little ones?|em|them|him|her)\b|care (for|of) (my|the|our) "
                  r"(kids?|child|children|baby)|(kids?|child|children|baby|toddler) (who |that )?"
                  r"(care|needs? care|needs? watching)|(a|our|the|my) (toddler|baby|newborn|"
                  r"little one) (at home|to watch|to care for)|after ?school care|guarderia|"
                  r"cuidado de ninos|ninera|cuid(e|en|ar) a mis|"
                  r"quien (me )?(lo|la|los|las) cuid(a|e|en)|"
                  r"(nino|nina|ninos|bebe) chiquit[oa]s?)\b"),
    ("disability", r"\b(disab\w*|wheelchair|deaf|blind|hard of hearing|adhd|autism|"
                   r"autistic|dyslexi\w*|learning (disability|difference)|accommodat\w*|"
                   r"accessib\w*|ptsd|silla de ruedas|discapacidad|sordo|ciego)\b"),
    # Longer phrases first: "comida pa la casa" is a need, "comida" alone may be a trade.
    ("food", r"\b((comida|mandado) (pa|para) (la casa|comer|mi familia|mis hijos)|"
             r"banco de comida|food (bank|pantry|stamps)|food|hungry|groceries|grocery|meal|"
             r"meals|pantry|snap|ebt|wic|comida|hambre|despensa)\b"),
    ("housing", r"\b(rent|housing|shelter|homeless|evict\w*|apartment|landlord|"
                r"place to live|vivienda|renta|desalojo)\b"),
    ("technology", r"\b(laptop|computer|computers|chromebook|tablet|internet|wifi|"
                   r"wi-fi|hotspot|computadora|internet en casa)\b"),
    ("financial", r"\b(tuition|financial aid|fafsa|pell|scholarship\w*|pay(ing)? for (school|"
                  r"class|classes|college|books|the program|the course)|afford|"
                  r"money for (school|class|books)|"
                  r"beca|becas|ayuda financiera|pagar la escuela)\b"),
    # "dental" and "medical" alone name a field of work ("dental asst class"); as a need
    # they come with what is needed ("dental care", "medical bills").
    ("health", r"\b(doctor|clinic|dentist|glasses|insurance|ohp|"
               r"(dental|medical) (care|visit|checkup|cleaning|pain|bills?|help|coverage|"
               r"insurance|card|problems?)|"
               r"mental health|counseling|therapy|medicine|seguro medico|medico)\b"),
    ("legal", r"\b(lawyer|legal|immigration|court|abogado|inmigracion|(a|my) (criminal )?record|"
              r"background check|felony|felonies|conviction|expunge\w*|antecedentes)\b"),
    ("language", r"\b(interpreter|translator|translation|interprete|traductor|"
                 r"conversation (group|circle|club|class|partner)s?|practice (my )?"
                 r"(talking|speaking|english)|english (practice|club|circle|group))\b"),
    ("basic_needs", r"\b(clothes|clothing|diapers|hygiene|utility|utilities|electric|"
                    r"bills|coat|shower|showers|laundry|wash my clothes|haircut|"
                    r"ropa|panales|lavanderia|ducha)\b"),
    ("other", r"\b(work boots|boots|steel toe\w*|tools|uniforms?|scrubs|"
              r"work (gear|clothes)|herramientas)\b"),
    ("career", r"\b(resume|interview|job coach|job search|find a job|employment|"
               r"curriculum|entrevista)\b"),
)
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
