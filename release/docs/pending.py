"""What ships with a release: alters blocks and push-instruction entries not in the previous one.

Pure: parsed files in, the views the templates show out. A block is pending when its id and
checksum are not both in the previous release tag's version of the file (so a block edited
after it shipped shows up again, and trimming shipped blocks out of the file changes
nothing). An entry is new when the previous release's file does not have it (same date,
author and text, whitespace aside): that is every entry dated after the previous release,
plus any added since with an older or same-day date, which a date comparison would miss.
"""

from __future__ import annotations

from collections.abc import Sequence

from release.alters.parse import AltersFile, Block
from release.alters.push_instructions import Entry, PushInstructions
from release.docs.context import AltersBlock, AltersStatement, Finding, PushEntry


def pending_blocks(current: AltersFile, shipped: AltersFile | None,
                   findings: Sequence[Finding]) -> tuple[AltersBlock, ...]:
    """Blocks of `current` that `shipped` lacks, each with the findings on its lines."""
    done = {(b.id, b.checksum) for b in shipped.blocks} if shipped else set()
    return tuple(_view(current.path, block, findings) for block in current.blocks
                 if (block.id, block.checksum) not in done)


def outside_blocks(current: AltersFile, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings on no block's lines (the file-level BEGIN/COMMIT wrapper, for instance)."""
    return tuple(f for f in findings
                 if not any(_first_line(b) <= f.line <= b.end_line for b in current.blocks))


def _first_line(block: Block) -> int:
    return block.header_line if block.header_line is not None else block.line


def _view(path: str, block: Block, findings: Sequence[Finding]) -> AltersBlock:
    own = sorted((f for f in findings if _first_line(block) <= f.line <= block.end_line),
                 key=lambda f: (f.line, f.col, f.code))
    date = block.date or ""
    if len(date) == 8:
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    return AltersBlock(
        id=block.id, file=path, line=_first_line(block), author=block.author or "",
        date=date, description=block.description, ticket=block.ticket or "",
        online=block.online or "",
        statements=tuple(AltersStatement(line=s.line, text=s.text.strip() + ";")
                         for s in block.statements),
        findings=tuple(own),
    )


def new_entries(current: PushInstructions,
                shipped: PushInstructions | None) -> tuple[PushEntry, ...]:
    done = {_key(e) for e in shipped.entries} if shipped else set()
    return tuple(PushEntry(date=e.date.isoformat(), author=e.author, text=e.text, line=e.line)
                 for e in current.entries if _key(e) not in done)


def _key(entry: Entry) -> tuple[str, str, str]:
    return entry.date.isoformat(), entry.author, " ".join(entry.text.split())
