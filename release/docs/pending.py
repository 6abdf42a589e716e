"""What ships with a release, as the templates show it: the pending alters blocks and the new
push-instruction entries (pure; what "pending" and "new" mean is release.alters.shipping's)."""

from __future__ import annotations

from collections.abc import Sequence

from release.alters.findings import Finding
from release.alters.parse import AltersFile, Block
from release.alters.push_instructions import PushInstructions
from release.alters.shipping import new_entries as new_in
from release.alters.shipping import pending
from release.docs.context import AltersBlock, AltersStatement, PushEntry


def pending_blocks(current: AltersFile, shipped: AltersFile | None,
                   findings: Sequence[Finding]) -> tuple[AltersBlock, ...]:
    """Blocks of `current` that `shipped` lacks, each with the findings on its lines."""
    before = {b.id: b.checksum for b in shipped.blocks} if shipped else None
    return tuple(_view(current.path, block, findings)
                 for block in pending(current.blocks, before))


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
    return tuple(PushEntry(date=e.date.isoformat(), author=e.author, text=e.text, line=e.line)
                 for e in new_in(current.entries, shipped.entries if shipped else None))
