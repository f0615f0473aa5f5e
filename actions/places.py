"""Shared form behaviour: understanding where the learner is."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import find_place
from actions.form_exits import LeavableFormValidation
from actions.slots import COUNTY, PLACE
from actions.wording import say
from knowledge.geography import Place


def place_label(tracker: Optional[Tracker], place: Place) -> str:
    """"Marion County" for a county, the town's name for a town."""
    if place.kind == "county":
        return say(tracker, "say_places_county", county=place.name)
    return place.name


class PlaceFormValidation(LeavableFormValidation):
    """Base for forms that ask where the learner lives.

    The domain must declare the slots `place` (text, from_entity place and from_text
    while the form asks for it) and `county` (text, custom), and `utter_ask_place`.
    """

    @abstractmethod
    def name(self) -> str:
        """Abstract, so rasa-sdk registers only the concrete forms' validators."""

    async def validate_place(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> Dict[str, Any]:
        place = await find_place(str(slot_value or "").strip())
        if place is None:
            # "ontario oregon": the classifier may tag "oregon" too; another place the
            # message names may be the one.
            for other in tracker.get_latest_entity_values(PLACE):
                place = await find_place(str(other))
                if place is not None:
                    break
        if place is None:
            if tracker.get_slot("requested_slot") not in (None, PLACE):
                # A word taken for a place while the form asks something else ("Amara",
                # a phone number) is dropped quietly; a county found earlier stays.
                return {PLACE: None}
            dispatcher.utter_message(text=say(tracker, "say_places_not_found"))
            return {PLACE: None, COUNTY: None}
        return {PLACE: place.name, COUNTY: place.county}
