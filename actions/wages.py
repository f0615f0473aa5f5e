"""What a job pays, said the same way wherever it is asked."""

from __future__ import annotations

from typing import Optional

from knowledge.search import OccupationWage


def pay(annual: Optional[float], hourly: Optional[float]) -> str:
    if annual:
        text = f"${annual:,.0f} a year"
        return text + (f" (${hourly:,.2f} an hour)" if hourly else "")
    if hourly:
        return f"${hourly:,.2f} an hour"
    return "pay not known"


def wage_sentence(job: OccupationWage) -> str:
    source = f" ({job.wage_source})" if job.wage_source else ""
    return (f"{job.title}: in Oregon, the middle pay is "
            f"{pay(job.median_annual_wage, job.median_hourly_wage)}. "
            f"Half earn more, half earn less{source}.")
