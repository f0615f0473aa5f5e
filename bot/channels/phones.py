"""Phone numbers in the SMS channel: E.164 for storing, masked for logs."""

from __future__ import annotations

from typing import Optional

import phonenumbers


def masked(phone: str) -> str:
    """Phone numbers are personal data: logs get only the last four digits."""
    return f"***{phone[-4:]}" if phone else "?"


def e164(raw: str) -> Optional[str]:
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
