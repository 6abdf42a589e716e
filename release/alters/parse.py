"""Parse an alters file into blocks and statements (pure: text in, values out).

split.py cuts the text into statements and full-line comments; this module reads the
comments that are block headers and groups the statements into blocks.

A block starts at a header comment and runs to the next one:

- Stagecraft's `-- alter: <id>` (with optional author/ticket/online lines) or the client's
  legacy `-- add by <author> <YYYYMMDD> <description>`: see headers.py.
- Statements before any header form a block with id `head-<first 12 hex of its checksum>`.

A file-level `BEGIN;` (or `START TRANSACTION;`) as the first statement and `COMMIT;` as the
last is recorded as `wrapper` and belongs to no block (AL002 reports it). Anything the
parser cannot make sense of is a `Problem` (AL001 for lexing, AL040 for headers).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from release.alters import tokens as tk
from release.alters.headers import Header, Problem, parse_header, read_metadata
from release.alters.registry import AL040
from release.alters.split import Comment, Raw, split

MALFORMED = "malformed@"  # the id of a block under a header gone wrong: no real id has '@'
_DDL = {"ALTER", "CREATE", "DROP", "RENAME", "TRUNCATE"}
_DML = {"INSERT", "UPDATE", "DELETE", "REPLACE"}


@dataclass(frozen=True)
class Statement:
    index: int  # 0-based within its block
    text: str  # exact SQL, without its trailing delimiter
    line: int
    col: int
    kind: str  # ddl | dml | transaction | other
    end_line: int = field(default=0, compare=False)
    # the code with comments dropped and white space collapsed (what the checksum covers)
    normalized: str = field(default="", compare=False, repr=False)
    delimiter: str = field(default=";", compare=False)  # the one in force where it ends

    @cached_property
    def _lexed(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        return tk.code_tokens(self.text)

    @property
    def tokens(self) -> tuple[str, ...]:
        """Code tokens: strings and identifiers keep their quotes; /*! */ comments opened."""
        return self._lexed[0]

    @property
    def offsets(self) -> tuple[int, ...]:
        """Where each token starts, as an offset into `text`."""
        return self._lexed[1]

    def position(self, offset: int) -> tuple[int, int]:
        """The file line and column of an offset into `text`."""
        newlines = self.text.count("\n", 0, offset)
        if not newlines:
            return self.line, self.col + offset
        return self.line + newlines, offset - self.text.rfind("\n", 0, offset)


@dataclass(frozen=True)
class Block:
    id: str
    author: str | None
    date: str | None  # YYYYMMDD
    description: str
    ticket: str | None
    online: str | None
    header_line: int | None
    line: int
    end_line: int
    statements: tuple[Statement, ...]
    checksum: str
    # where the header comment starts in the file, and the delimiter in force there: a
    # parse can resume at that point (see Resume)
    offset: int | None = field(default=None, compare=False)
    delimiter: str = field(default=";", compare=False)
    code_first: bool = field(default=False, compare=False)  # `-- code-first: yes`
    # `-- migration: app.0005_name`: the Django migrations applying the block records
    migrations: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class AltersFile:
    path: str
    blocks: tuple[Block, ...]
    wrapper: tuple[int, int] | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Resume:
    """Parse from a block header on, knowing what came before it: the splitter is at the
    top level there, so the blocks from that header on come out exactly as in a parse of
    the whole file (minus the file-level BEGIN/COMMIT wrapper, which needs the start)."""

    offset: int  # where the header comment starts
    delimiter: str
    ids_before: tuple[tuple[str, int], ...]  # (id, header line) of the blocks before it


def parse_alters(text: str, path: str, *, resume: Resume | None = None) -> AltersFile:
    """The file's blocks; with `resume`, only those from that header on."""
    lines = tk.Lines(text)
    start, delimiter = (resume.offset, resume.delimiter) if resume else (0, ";")
    events, problems = split(text, lines, start, delimiter)
    raws = [e for e in events if isinstance(e, Raw)]
    wrapper = None
    if resume is None and len(raws) >= 2 and _is_begin(raws[0].words) \
            and raws[-1].words == ["COMMIT"]:
        wrapper = (lines.line(raws[0].start), lines.line(raws[-1].start))
        events = [e for e in events if e is not raws[0] and e is not raws[-1]]
    blocks = _group(text, lines, events, problems, resume.ids_before if resume else ())
    return AltersFile(path, tuple(blocks), wrapper, tuple(problems))


def starts_with_begin(parsed: AltersFile) -> bool:
    """Whether the file's first statement opens a transaction (wrapper or not)."""
    if parsed.wrapper is not None:
        return True
    first = next((b.statements[0] for b in parsed.blocks if b.statements), None)
    return first is not None and first.kind == "transaction" and \
        _is_begin(first.normalized.upper().split())


def block_checksum(normalized: list[str]) -> str:
    return hashlib.sha256("\n".join(normalized).encode()).hexdigest()


def _is_begin(words: list[str]) -> bool:
    return words in (["BEGIN"], ["BEGIN", "WORK"], ["START", "TRANSACTION"])


def statement_kind(words: list[str]) -> str:
    """ddl, dml, transaction or other, from a statement's first (upper-cased) words."""
    first = words[0] if words else ""
    if first in _DDL:
        return "ddl"
    if first in _DML:
        return "dml"
    if _is_begin(words) or first in ("COMMIT", "ROLLBACK"):
        return "transaction"
    return "other"


@dataclass
class _Open:
    header: Header
    offset: int | None = None
    delimiter: str = ";"
    raws: list[Raw] = field(default_factory=list)


def _group(
    text: str, lines: tk.Lines, events: list[Raw | Comment], problems: list[Problem],
    ids_before: tuple[tuple[str, int], ...],
) -> list[Block]:
    opened: list[_Open] = []
    head = _Open(Header("", 0))
    seen: dict[str, int] = {}
    counts: dict[tuple[str, str], int] = {}
    for block_id, line in ids_before:
        seen.setdefault(block_id, line)
        date, _, rest = block_id.partition("-")
        author, _, k = rest.rpartition("-")
        if ((len(date) == 8 and date.isdigit()) or date == "undated") and k.isdigit():
            counts[(date, author)] = max(counts.get((date, author), 0), int(k))
    for event in events:
        block = opened[-1] if opened else head
        if isinstance(event, Raw):
            block.raws.append(event)
            continue
        found = len(problems)
        new = parse_header(event.body, event.line, event.col, counts, problems,
                           marker=event.marker)
        if new is None and len(problems) > found:
            # A header gone wrong still ends the block above: its statements must never
            # join that block (whose checksum would change after it was applied).
            new = Header(f"{MALFORMED}{event.line}", event.line, last_line=event.line)
        if new is not None:
            if new.id in seen:
                problems.append(Problem(AL040, event.line, event.col,
                                        f"duplicate block id {new.id!r} (first at line "
                                        f"{seen[new.id]}): give this block its own id"))
            seen.setdefault(new.id, event.line)
            opened.append(_Open(new, event.offset, event.delimiter))
        elif opened and not block.raws and event.line == block.header.last_line + 1:
            read_metadata(block.header, event.body, event.line, event.col, problems)
    result = []
    if head.raws:
        head.header.id = f"head-{_checksum(head.raws)[:12]}"
        result.append(_block(text, lines, head, header_line=None))
    result.extend(_block(text, lines, block, header_line=block.header.line) for block in opened)
    return result


def _checksum(raws: list[Raw]) -> str:
    return block_checksum(["".join(raw.normal) for raw in raws])


def _block(text: str, lines: tk.Lines, block: _Open, header_line: int | None) -> Block:
    statements = []
    for index, raw in enumerate(block.raws):
        line, col = lines.position(raw.start)
        statements.append(Statement(
            index, text[raw.start:raw.end], line, col, statement_kind(raw.words),
            end_line=lines.line(raw.end - 1), normalized="".join(raw.normal),
            delimiter=raw.delimiter))
    h = block.header
    first = header_line if header_line is not None else statements[0].line
    last = max([h.last_line, first, *(s.end_line for s in statements)])
    return Block(h.id, h.author, h.date, h.description, h.ticket, h.online, header_line,
                 first, last, tuple(statements), _checksum(block.raws), block.offset,
                 block.delimiter, h.code_first, h.migrations)
