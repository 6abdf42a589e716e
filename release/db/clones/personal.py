"""What counts as personal data: column names, and value patterns the server can test. Pure.

Two kinds of personal data: contact channels (a value that reaches a person: phone, email,
pager, fax, SMS, postal address and code, Twilio numbers and SIDs, tokens) and identifiers (a
value that says who a person is: names, birth dates, SSN, medical record numbers).

The content patterns are PCRE, run by MariaDB's REGEXP on every value (the server's collation
makes them case-insensitive; `(?-i:...)` marks what must keep its case). Python's `re` reads the
same text, for the masked examples and the unit tests. They skip values that reach nobody by
design: RFC 2606 domains (`example.com`, `*.invalid`, `*.test`), and numbers in NANP's 555
exchange (555-0100..0199 are fictional; Twilio's test numbers are 500-555-xxxx), which are
also what a scrub writes, so a scrubbed column does not look like contact data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHANNEL_WORDS = ("phone", "mobile", "pager", "fax", "email", "sms", "address", "twilio", "token")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Words that make `<word>_name` a person's name; `table_name`, `file_name`, `username` (a
# login handle, content-checked like any text) and a bare `name` (a clinic's, a product's) are
# not names of people.
PERSON_ROLES = frozenset({
    "first", "last", "middle", "maiden", "given", "family", "full", "nick", "display", "legal",
    "preferred", "sur", "patient", "contact", "person", "customer", "client", "staff", "doctor",
    "provider", "physician", "nurse", "owner", "guardian", "parent", "spouse", "emergency",
    "billing", "shipping", "recipient", "sender", "caller", "member", "employee"})
NAME_WORDS = frozenset({"firstname", "lastname", "surname", "fullname", "middlename",
                        "maidenname", "nickname", "forename"})
POSTAL_WORDS = frozenset({"zip", "zipcode", "postal", "postcode", "street"})
BIRTH_WORDS = frozenset({"dob", "birth", "birthday", "birthdate"})
ID_WORDS = frozenset({"ssn", "mrn"})
ID_PAIRS = (("social", "security"), ("medical", "record"))

_NOT_DOMAIN = (r"(?!(?:[a-z0-9-]+\.)*(?:example\.(?:com|net|org)|[a-z0-9-]+\."
               r"(?:invalid|test|example|localhost))(?![a-z0-9.-]))")
EMAIL = r"[a-z0-9._%+-]+@" + _NOT_DOMAIN + r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
# NANP: optional +1, area and exchange 2-9xx, never the 555 exchange; not inside a longer run
# of word characters, so hashes, ids and timestamps (13 digits, 20231005123456) do not match.
NANP = (r"(?<![\w+])(?:\+?1[ .-]?)?(?:\([2-9][0-9][0-9]\)|[2-9][0-9][0-9])[ .-]?(?!555)"
        r"[2-9][0-9][0-9][ .-]?[0-9]{4}(?!\w)")
# International (E.164 outside NANP): + then 8 to 14 digits, spaces, dots, dashes or brackets.
INTERNATIONAL = r"(?<![\w+])\+[2-9](?:[ .()-]?[0-9]){7,13}(?!\w)"
SID = r"(?-i:(?<![A-Za-z0-9])[A-Z]{2}[0-9a-f]{32}(?![A-Za-z0-9]))"
SSN = r"(?<![\w-])(?!000|666|9[0-9][0-9])[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![\w-])"
PHONE = f"(?:{NANP})|(?:{INTERNATIONAL})"


@dataclass(frozen=True)
class Pattern:
    kind: str        # what a match is, as the report says it: "email address", ...
    regex: str       # PCRE for the server (and Python's re)

    def search(self, value: str) -> str | None:
        found = re.search(self.regex, value, re.IGNORECASE)
        return found.group(0) if found else None


PATTERNS = (Pattern("email address", EMAIL), Pattern("phone number", PHONE),
            Pattern("Twilio SID", SID), Pattern("SSN", SSN))
ANY = "|".join(f"(?:{p.regex})" for p in PATTERNS)


def words(column: str) -> list[str]:
    """A column name's words, lower case: `mdcom_phone_sid`, `callSID`, `firstName`."""
    return [word.lower() for word in _WORDS.findall(column)]


def name_reason(column: str) -> str | None:
    """Why a column's name suggests personal data, or None."""
    lowered = column.lower()
    for word in CHANNEL_WORDS:
        if word in lowered:
            return f"name contains {word!r}"
    parts = words(column)
    # "sid" only as a word (call_sid, callSID, mdcom_phone_sid), never inside "inside".
    if "sid" in parts:
        return "name contains 'sid'"
    for label, found in (("a person's name", _is_person_name(parts)),
                         ("a postal address", bool(POSTAL_WORDS & set(parts))),
                         ("a birth date", bool(BIRTH_WORDS & set(parts))),
                         ("an SSN or medical record number", _is_identifier(parts))):
        if found:
            return f"name says {label}"
    return None


def _is_person_name(parts: list[str]) -> bool:
    if NAME_WORDS & set(parts):
        return True
    return any(word == "name" and index > 0 and parts[index - 1] in PERSON_ROLES
               for index, word in enumerate(parts))


def _is_identifier(parts: list[str]) -> bool:
    return bool(ID_WORDS & set(parts)) or any(
        a in parts and b in parts for a, b in ID_PAIRS)


def name_part(column: str) -> str:
    """Which part of a person's name a column holds: "first", "last" or "full"."""
    parts = words(column)
    if {"first", "given", "forename", "firstname", "middle"} & set(parts):
        return "first"
    if {"last", "surname", "family", "lastname", "sur"} & set(parts):
        return "last"
    return "full"


def classify(value: str) -> str:
    """Which pattern a value matched, for the report."""
    for pattern in PATTERNS:
        if pattern.search(value):
            return pattern.kind
    return "contact data"


def mask(value: str) -> str:
    """The part of a value that matched, masked for a report: `k***@gmail.com`."""
    for pattern in PATTERNS:
        found = pattern.search(value)
        if not found:
            continue
        if pattern.kind == "email address":
            local, _, domain = found.partition("@")
            return f"{local[:1]}***@{domain}"
        if pattern.kind == "Twilio SID":
            return f"{found[:2]}***{found[-4:]}"
        if pattern.kind == "SSN":
            return "***-**-****"
        digits = [index for index, ch in enumerate(found) if ch.isdigit()]
        keep = set(digits[-2:])
        return "".join(ch if not ch.isdigit() or i in keep else "*"
                       for i, ch in enumerate(found))
    return "***"
