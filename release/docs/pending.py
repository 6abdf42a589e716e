"""What ships with a release, as the templates show it: the pending alters blocks and the new
push-instruction entries (pure; what "pending" and "new" mean is release.alters.shipping's)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from release.alters.explain_store import Explained
from release.alters.findings import Finding
from release.alters.ledger_plan import statement_checksum
from release.alters.parse import AltersFile, Block
from release.alters.push_instructions import PushInstructions
from release.alters.shipping import new_entries as new_in
from release.alters.shipping import pending
from release.docs.context import AltersBlock, AltersStatement, PushEntry


def pending_blocks(current: AltersFile, shipped: AltersFile | None,
                   findings: Sequence[Finding],
                   explained: Mapping[str, Explained] | None = None,
                   baselined: Collection[tuple[str, str]] = ()) -> tuple[AltersBlock, ...]:
    """Blocks of `current` that `shipped` lacks (and alters.baseline did not record), each
    with the findings on its lines and, per statement, what the server said when
    `alters.explain` asked it (`explained`)."""
    before = {b.id: b.checksum for b in shipped.blocks} if shipped else None
    return tuple(_view(current.path, block, findings, explained or {})
                 for block in pending(current.blocks, before, baselined))


def server_said(answer: Explained) -> str:
    """One line for a person: the server's answer and what it means for writes."""
    where = f" on {answer.environment}" if answer.environment else ""
    rows = f" ({answer.rows:,} rows)" if answer.rows else ""
    effect = "writes go on" if answer.online else "BLOCKS WRITES while it copies the table"
    return f"the server{where}{rows} said ALGORITHM={answer.algorithm}, LOCK={answer.lock}: " \
        f"{effect}"


def outside_blocks(current: AltersFile, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings on no block's lines (the file-level BEGIN/COMMIT wrapper, for instance)."""
    return tuple(f for f in findings
                 if not any(_first_line(b) <= f.line <= b.end_line for b in current.blocks))


def _first_line(block: Block) -> int:
    return block.header_line if block.header_line is not None else block.line


def _view(path: str, block: Block, findings: Sequence[Finding],
          explained: Mapping[str, Explained]) -> AltersBlock:
    own = sorted((f for f in findings if _first_line(block) <= f.line <= block.end_line),
                 key=lambda f: (f.line, f.col, f.code))
    date = block.date or ""
    if len(date) == 8:
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    return AltersBlock(
        id=block.id, file=path, line=_first_line(block), author=block.author or "",
        date=date, description=block.description, ticket=block.ticket or "",
        online=block.online or "",
        statements=tuple(AltersStatement(
            line=s.line, text=s.text.strip() + ";",
            server=server_said(a) if (a := explained.get(statement_checksum(s))) else "")
            for s in block.statements),
        findings=tuple(own),
    )


def new_entries(current: PushInstructions,
                shipped: PushInstructions | None) -> tuple[PushEntry, ...]:
    return tuple(PushEntry(date=e.date.isoformat(), author=e.author, text=e.text, line=e.line)
                 for e in new_in(current.entries, shipped.entries if shipped else None))
