"""The hook's shortcut past history (pure): resume parsing at the first block that matters.

Blocks that are shipped (in the release tag) and whose text is byte for byte what HEAD
has, up to and including the next block's header line, are neither linted nor changed, so
the hook need not split them again: an `Outline` of HEAD's version (cached by git's blob
id) gives their ids, checksums and lines, and parsing resumes at the first other block.
A file that starts with BEGIN is always parsed whole: its wrapper depends on its end.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from release.alters.headers import Problem
from release.alters.parse import AltersFile, Resume, starts_with_begin
from release.state import damaged
from release.validation import Invalid, from_json_value

REMEDY = "Delete it: it only caches parsed files, and is rebuilt as needed."


@dataclass(frozen=True)
class Mark:
    """What the hook needs of a block it does not parse again."""

    id: str
    checksum: str
    line: int  # header line, or first statement line for a headerless block
    offset: int | None  # where its header comment starts (None: the headerless block)
    delimiter: str
    statements: int


@dataclass(frozen=True)
class Outline:
    marks: tuple[Mark, ...]
    problems: tuple[Problem, ...]
    begins: bool  # the first statement opens a transaction


def outline(parsed: AltersFile) -> Outline:
    marks = tuple(Mark(b.id, b.checksum, b.line, b.offset, b.delimiter, len(b.statements))
                  for b in parsed.blocks)
    return Outline(marks, parsed.problems, starts_with_begin(parsed))


def to_json(value: Outline) -> dict[str, Any]:
    return {"marks": [[m.id, m.checksum, m.line, m.offset, m.delimiter, m.statements]
                      for m in value.marks],
            "problems": [[p.code, p.line, p.col, p.message] for p in value.problems],
            "begins": value.begins}


@dataclass(frozen=True)
class _Stored:
    """`to_json`'s shape: rows, not objects, to keep the cache small."""

    marks: tuple[tuple[str, str, int, int | None, str, int], ...]
    problems: tuple[tuple[str, int, int, str], ...]
    begins: bool


def from_json(data: object, *, where: str) -> Outline:
    """The outline `to_json` stored, read back from `where` (Damaged when it does not fit)."""
    try:
        stored = from_json_value(_Stored, data)
    except Invalid as invalid:
        raise damaged(where, invalid.problems, REMEDY) from None
    return Outline(tuple(Mark(*row) for row in stored.marks),
                   tuple(Problem(*row) for row in stored.problems), stored.begins)


def resume_point(head: Outline, head_text: str, text: str,
                 shipped: Collection[str]) -> tuple[Resume, tuple[Mark, ...],
                                                    tuple[Problem, ...]] | None:
    """Where to resume parsing `text` (the working copy), the settled blocks before that
    point and their problems; None when the whole file must be parsed."""
    if head.begins:
        return None
    same = common_prefix(head_text, text)
    marks = head.marks
    settled = 0
    for index, mark in enumerate(marks[:-1]):  # the last block runs to the end: never
        following = marks[index + 1].offset
        assert following is not None  # only the first block can lack a header
        header_end = head_text.find("\n", following)
        if mark.id not in shipped or header_end < 0 or header_end + 1 > same:
            break
        settled = index + 1
    # the file's first statement must be among them, so that no wrapper can start later
    if not any(m.statements for m in marks[:settled]):
        return None
    first = marks[settled]
    assert first.offset is not None
    resume = Resume(first.offset, first.delimiter,
                    tuple((m.id, m.line) for m in marks[:settled]))
    problems = tuple(p for p in head.problems if p.line < first.line)
    return resume, marks[:settled], problems


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix, by halving (string compares run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
