"""Parse production_push_instructions.txt (pure): a free-text header, then dated entries.

The client's format: any text up to the first line that starts with a date, then entries

    2013-08-11: KurtV, run alters.sql.  Removes FK partner in MHLUsers and partner tables.
        indented continuation lines (and blank lines) belong to the entry above

An unindented line after the first entry that is not an entry is a `Malformed` line
(the linter reports it as PI002).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_ENTRY = re.compile(r"(\d{4}-\d{2}-\d{2})\s*:\s*(.*?)\s*\Z")
_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}\b")


@dataclass(frozen=True)
class Entry:
    date: datetime.date
    author: str
    text: str  # the first line's text after "author," plus its continuation lines
    line: int


@dataclass(frozen=True)
class Malformed:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class PushInstructions:
    header: str
    header_lines: int  # how many lines the header spans (0: the file starts with an entry)
    entries: tuple[Entry, ...]
    malformed: tuple[Malformed, ...]


def parse_push_instructions(text: str) -> PushInstructions:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if _DATE_START.match(line)), len(lines))
    header = "\n".join(lines[:first]).strip("\n")
    entries: list[Entry] = []
    malformed: list[Malformed] = []
    current: tuple[datetime.date, str, list[str], int] | None = None

    def close() -> None:
        if current is not None:
            date, author, body, line = current
            entries.append(Entry(date, author, "\n".join(body).strip(), line))

    for number, line in enumerate(lines[first:], start=first + 1):
        if not line.strip() or line[0] in " \t":
            if current is not None:
                current[2].append(line.strip())
            continue
        close()
        current = None
        parsed = _entry(line, number)
        if isinstance(parsed, Malformed):
            malformed.append(parsed)
        else:
            current = (parsed.date, parsed.author, [parsed.text], number)
    close()
    return PushInstructions(header, first, tuple(entries), tuple(malformed))


def _entry(line: str, number: int) -> Entry | Malformed:
    match = _ENTRY.match(line)
    if not match:
        return Malformed(number, line, "expected 'YYYY-MM-DD: author, text' (continuation "
                         "lines are indented)")
    try:
        date = datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return Malformed(number, line, f"{match.group(1)} is not a date")
    author, comma, rest = match.group(2).partition(",")
    if not comma or not author.strip() or " " in author.strip():
        return Malformed(number, line, "expected 'YYYY-MM-DD: author, text': the author and "
                         "a comma come right after the date")
    return Entry(date, author.strip(), rest.strip(), number)
