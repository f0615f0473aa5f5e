"""Slot names shared by actions (the domain declares them)."""

INTEREST = "interest"
SECTOR = "sector"
PLACE = "place"
COUNTY = "county"
PROVIDER = "provider"
SCHEDULE = "schedule"
MODALITY = "modality"
COST = "cost"
CLASS_LANGUAGE = "class_language"
REPLY_LANGUAGE = "language"
SERVICE_CATEGORY = "service_category"
PROGRAM_RESULTS = "program_results"
SELECTED_PROGRAM = "selected_program"
LAST_SEARCH = "last_search"
# The ids of this conversation's search outcome rows (actions/outcomes.py); not
# forgotten on "start over": a referral later still follows those searches.
SEARCH_OUTCOME_IDS = "search_outcome_ids"

# What "start over" forgets; the learner's place is kept (journey 5 reuses it).
SEARCH_SLOTS = (
    INTEREST, SECTOR, PROVIDER, SCHEDULE, MODALITY, COST, CLASS_LANGUAGE, SERVICE_CATEGORY,
    PROGRAM_RESULTS, SELECTED_PROGRAM, LAST_SEARCH,
)
