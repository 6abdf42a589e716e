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

A comment that looks like a header but is not one (`-- alter 2026...` without its colon,
`--alter:`, `-- alters:`, `# alter:`, `-- alter:` without an id) is an AL040 error, never an
ordinary comment: otherwise its statements would silently join the block above it, whose
checksum would then change after it was applied.
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
# Stagecraft's header is a `--` comment: `--` then white space (else the server reads code)
_OUR_MARKER = re.compile(r"--[ \t]")
# the same words with anything between them and the id: a colon missing, doubled or spaced,
# an `alters:` or `alter-id:`
_NEAR_COLON = re.compile(r"alters?(?:[ \t]*[-_]?[ \t]*id)?[ \t]*[:=]", re.IGNORECASE)
# `alter <id>` with no colon: an id-like word that starts with a digit (a date), or the only
# word after `alter` that is no SQL word (so commented-out SQL such as `-- alter table` passes)
_NEAR_WORD = re.compile(r"alters?[ \t]+([A-Za-z0-9][A-Za-z0-9._:-]*)(\s.*)?\Z",
                        re.IGNORECASE | re.DOTALL)
_SQL_WORDS = {"TABLE", "TABLES", "VIEW", "INDEX", "DATABASE", "SCHEMA", "EVENT", "PROCEDURE",
              "FUNCTION", "TRIGGER", "USER", "SERVER", "SEQUENCE", "ONLINE", "IGNORE", "COLUMN",
              "ALGORITHM", "DEFINER", "TABLESPACE", "LOGFILE", "INSTANCE", "ROLE"}


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


def near_miss(marker: str, body: str) -> str | None:
    """Why a full-line comment that looks like a block header is not one, or None.

    `marker` is the comment's opening as written (`-- `, `--`, `# `, `/* `), `body` its text."""
    shown = repr(f"{marker}{body}".strip()[:40])
    fix = ("a block header is `-- alter: <id>` (two dashes, a space, `alter:`, the id); fix "
           "the line, or reword the comment. Until then the statements after it form a block "
           "of their own that nothing applies")
    if _STAGECRAFT.match(body) or _LEGACY.match(body):
        if _OUR_MARKER.match(marker) or (marker.startswith("#") and _LEGACY.match(body)):
            return None
        return f"{shown} looks like a block header but is not one: {fix}"
    if _NEAR_COLON.match(body):
        return f"{shown} looks like a block header but is not one: {fix}"
    word = _NEAR_WORD.match(body)
    if word and _id_like(word.group(1), alone=not (word.group(2) or "").strip()):
        return f"{shown} looks like a block header but is not one (no colon): {fix}"
    return None


def _id_like(word: str, *, alone: bool) -> bool:
    """`2026-02-x` or `0042` after `alter` is an id (`alter 2 of 3` is prose); a lone word
    is one unless SQL (`-- alter table` is commented-out SQL)."""
    if word[0].isdigit() and (len(word) >= 4 or any(c in word for c in "-._:")):
        return True
    return alone and word.upper() not in _SQL_WORDS


def looks_like_header(marker: str, body: str) -> bool:
    """A header, or a comment that tries to be one."""
    return header_kind(body) is not None or near_miss(marker, body) is not None


def parse_header(body: str, line: int, col: int, counts: dict[tuple[str, str], int],
                 problems: list[Problem], *, marker: str = "-- ") -> Header | None:
    """The header a full-line comment opens, or None; `counts` numbers legacy blocks.

    A header that is malformed, or a comment that only looks like one, is a problem and
    returns None (the caller still starts a block there: see parse.py)."""
    wrong = near_miss(marker, body)
    if wrong:
        problems.append(Problem(AL040, line, col, wrong))
        return None
    stagecraft = _STAGECRAFT.match(body)
    if stagecraft:
        block_id = stagecraft.group(1)
        if not block_id:
            problems.append(Problem(AL040, line, col, "malformed header: `-- alter:` without "
                                    "a block id: write `-- alter: <id>` (letters, digits, "
                                    "'.', '_', ':', '-')"))
            return None
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
