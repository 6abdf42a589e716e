"""What looks like contact data: column names and sampled values. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence

NAME_WORDS = ("phone", "mobile", "pager", "fax", "email", "sms", "address", "twilio", "token")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)


def name_reason(column: str) -> str | None:
    """Why a column's name suggests contact data, or None."""
    lowered = column.lower()
    for word in NAME_WORDS:
        if word in lowered:
            return f"name contains {word!r}"
    # "sid" only as a word (call_sid, callSID, mdcom_phone_sid), never inside "inside".
    if "sid" in (word.lower() for word in _WORDS.findall(column)):
        return "name contains 'sid'"
    return None


def looks_like_email(value: str) -> bool:
    return bool(_EMAIL.match(value.strip()))


def looks_like_phone(value: str) -> bool:
    text = value.strip()
    digits = sum(ch.isdigit() for ch in text)
    return 7 <= digits <= 15 and bool(_PHONE_CHARS.match(text))


def content_reason(values: Sequence[str]) -> str | None:
    """Why sampled non-empty values suggest contact data (most of them look like it), or None."""
    if not values:
        return None
    emails = sum(looks_like_email(v) for v in values)
    phones = sum(looks_like_phone(v) for v in values)
    if emails * 2 > len(values):
        return f"{emails} of {len(values)} sampled values look like email addresses"
    if phones * 2 > len(values):
        return f"{phones} of {len(values)} sampled values look like phone numbers"
    return None
