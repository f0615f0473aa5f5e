"""What a job pays, said the same way wherever it is asked."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.wording import say
from knowledge.search import OccupationWage


def pay(tracker: Optional[Tracker], annual: Optional[float], hourly: Optional[float]) -> str:
    if annual and hourly:
        return say(tracker, "say_pay_year_and_hour", year=f"${annual:,.0f}",
                   hour=f"${hourly:,.2f}")
    if annual:
        return say(tracker, "say_pay_year", year=f"${annual:,.0f}")
    if hourly:
        return say(tracker, "say_pay_hour", hour=f"${hourly:,.2f}")
    return say(tracker, "say_pay_unknown")


def wage_sentence(tracker: Optional[Tracker], job: OccupationWage) -> str:
    pays = pay(tracker, job.median_annual_wage, job.median_hourly_wage)
    if job.wage_source:
        return say(tracker, "say_wage_with_source", job=job.title, pay=pays,
                   source=job.wage_source)
    return say(tracker, "say_wage", job=job.title, pay=pays)
