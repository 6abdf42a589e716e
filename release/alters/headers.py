"""Block headers of an alters file (pure): Stagecraft's and the client's legacy ones.

- `-- alter: <id>`, optionally followed on the next lines by `-- author: <name>`,
  `-- ticket: <text>`, `-- online: gh-ost|pt-osc|instant|inplace`, `-- code-first: yes`
  (the code that writes the block's new columns is already deployed, so a NOT NULL column
  without a default breaks no running INSERT: AL020 stays silent), `-- migration:
  <app>.<name>` (a Django migration the block carries; one line each, or several names
  separated by commas); other comment lines right after it are its description.
- `-- add by <author> <YYYYMMDD> <description>` (or with `#`): id `<YYYYMMDD>-<author>-<k>`,
  k counting that author's blocks that day. The client's alters_de.sql also has an undated
  variant, `# add by mwang, update ...`: it is accepted with date None and id
  `undated-<author>-<k>`, k counting the author's undated blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from release.alters.registry import AL040

ONLINE_STRATEGIES = ("gh-ost", "pt-osc", "instant", "inplace")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*\Z")
_STAGECRAFT = re.compile(r"alter:\s*(.*?)\s*\Z", re.IGNORECASE)
_LEGACY = re.compile(r"add\s+by\b(.*)\Z", re.IGNORECASE)
_LEGACY_DATED = re.compile(r"\s+([^\s,]+)\s*,?\s+(\d{8})(?:\s+(.*?))?\s*\Z")
_LEGACY_UNDATED = re.compile(r"\s+([^\s,]+)\s*,\s*(.*?)\s*\Z")
_META = re.compile(r"(author|ticket|online|code-first|migration):\s*(.*?)\s*\Z",
                   re.IGNORECASE)
_MIGRATION = re.compile(r"[A-Za-z_]\w*\.\w+\Z")


@dataclass(frozen=True)
class Problem:
    """Something in the file the parser cannot make sense of (AL001 lexing, AL040 headers)."""

    code: str
    line: int
    col: int
    message: str


@dataclass
class Header:
    id: str
    line: int
    stagecraft: bool = False
    author: str | None = None
    date: str | None = None
    description: str = ""
    ticket: str | None = None
    online: str | None = None
    code_first: bool = False
    migrations: tuple[str, ...] = ()  # "app.0005_name", in header order
    last_line: int = 0  # the header's last metadata or description line


def header_kind(body: str) -> str | None:
    """'stagecraft' or 'legacy' when a comment's text (markers stripped) is a header."""
    if _STAGECRAFT.match(body):
        return "stagecraft"
    if _LEGACY.match(body):
        return "legacy"
    return None


def parse_header(body: str, line: int, col: int, counts: dict[tuple[str, str], int],
                 problems: list[Problem]) -> Header | None:
    """The header a full-line comment opens, or None; `counts` numbers legacy blocks."""
    stagecraft = _STAGECRAFT.match(body)
    if stagecraft:
        block_id = stagecraft.group(1)
        if not _ID.match(block_id):
            problems.append(Problem(AL040, line, col, f"malformed header: block id "
                                    f"{block_id!r} must be letters, digits, '.', '_', ':', '-'"))
            return None
        return Header(block_id, line, stagecraft=True, last_line=line)
    legacy = _LEGACY.match(body)
    if not legacy:
        return None
    dated = _LEGACY_DATED.match(legacy.group(1))
    if dated:
        author, date, description = dated.group(1), dated.group(2), dated.group(3) or ""
        try:
            datetime.strptime(date, "%Y%m%d")
        except ValueError:
            problems.append(Problem(AL040, line, col,
                                    f"malformed header: {date} is not a date (YYYYMMDD)"))
            return None
        key = (date, author)
    else:
        undated = _LEGACY_UNDATED.match(legacy.group(1))
        if not undated:
            problems.append(Problem(AL040, line, col, "malformed header: expected "
                                    "'add by <author> <YYYYMMDD> <description>'"))
            return None
        author, date, description = undated.group(1), None, undated.group(2)
        key = ("undated", author)
    counts[key] = counts.get(key, 0) + 1
    return Header(f"{key[0]}-{author}-{counts[key]}", line, author=author, date=date,
                  description=description, last_line=line)


def read_metadata(header: Header, body: str, line: int, col: int,
                  problems: list[Problem]) -> None:
    """A comment line right after a header: metadata or description (Stagecraft's only)."""
    header.last_line = line
    if not header.stagecraft:
        return  # legacy headers carry no metadata lines; later comments are just comments
    meta = _META.match(body)
    if meta is None:
        header.description = f"{header.description} {body}".strip()
        return
    key, value = meta.group(1).lower(), meta.group(2)
    if key == "code-first":
        if value.lower() != "yes":
            problems.append(Problem(AL040, line, col, f"code-first: {value!r}: the only "
                                    "value is 'yes' (leave the line out otherwise)"))
        elif header.code_first:
            problems.append(Problem(AL040, line, col, "duplicate code-first: line in the "
                                    f"header of block {header.id!r}"))
        header.code_first = True
        return
    if key == "migration":
        _read_migrations(header, value, line, col, problems)
        return
    if getattr(header, key) is not None:
        problems.append(Problem(AL040, line, col, f"duplicate {key}: line in the header of "
                                f"block {header.id!r}"))
    elif key == "online" and value not in ONLINE_STRATEGIES:
        problems.append(Problem(AL040, line, col, f"online: {value!r} is not one of "
                                f"{', '.join(ONLINE_STRATEGIES)}"))
    elif not value:
        problems.append(Problem(AL040, line, col, f"empty {key}: line"))
    else:
        setattr(header, key, value)


def _read_migrations(header: Header, value: str, line: int, col: int,
                     problems: list[Problem]) -> None:
    for name in (part.strip() for part in value.split(",")):
        if not _MIGRATION.match(name):
            problems.append(Problem(AL040, line, col, f"migration: {name!r} is not "
                                    "<app label>.<migration name> (e.g. patients.0005_dob)"))
        elif name in header.migrations:
            problems.append(Problem(AL040, line, col, f"migration {name} is named twice in "
                                    f"the header of block {header.id!r}"))
        else:
            header.migrations += (name,)
