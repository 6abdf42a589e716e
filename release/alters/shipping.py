"""What a release adds to the alters files and the push instructions (pure): the one
definition of a pending block and of a new entry, shared by the hooks, staging.status, the
release notes and the checklist.

A block is pending when its id and checksum are not both in the previous release's version
of the file, so a block edited after it shipped counts again and trimming shipped blocks out
changes nothing. A block `alters.baseline` recorded (id and checksum, see baselined.py) has
shipped too: the database had it before Stagecraft did.

An entry is new when the previous release's file lacks it (same date, author and text,
whitespace aside): every entry dated after the release, plus any added since with
an older date, which comparing dates would miss; reflowing an old entry does not make it new.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from release.alters.push_instructions import Entry


class Checksummed(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def checksum(self) -> str: ...


B = TypeVar("B", bound=Checksummed)


def is_pending(block: Checksummed, shipped: Mapping[str, str] | None,
               baselined: Collection[tuple[str, str]] = ()) -> bool:
    """`shipped`: the previous release's blocks, id -> checksum; None before any release.
    `baselined`: (id, checksum) of the blocks alters.baseline recorded."""
    if (block.id, block.checksum) in baselined:
        return False
    return shipped is None or shipped.get(block.id) != block.checksum


def pending(blocks: Iterable[B], shipped: Mapping[str, str] | None,
            baselined: Collection[tuple[str, str]] = ()) -> list[B]:
    return [block for block in blocks if is_pending(block, shipped, baselined)]


def entry_key(entry: Entry) -> tuple[str, str, str]:
    return entry.date.isoformat(), entry.author, " ".join(entry.text.split())


def new_entries(current: Sequence[Entry], shipped: Sequence[Entry] | None) -> list[Entry]:
    """`shipped`: the previous release's entries; None before any release (all are new)."""
    done = {entry_key(e) for e in shipped} if shipped is not None else set()
    return [e for e in current if entry_key(e) not in done]
