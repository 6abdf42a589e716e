"""What the ledger says about the alters files (pure: parsed files and ledger rows in, a plan out).

A statement is named `<block id>#<n>`, n counting the block's statements from 1 in file order
(for example `20130624-htian-1#3`): short enough to type into `alters.resolve`.

A block is `changed` when a statement the ledger records as done no longer reads the same: for a
block that was applied completely the block checksum must match; for one left part-way by a
failure only its done statements must match, so the failing statement may be fixed and re-run.
Blocks the ledger knows but the files no longer hold were trimmed: they are never re-run.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from release.alters.parse import AltersFile, Block, Statement
from release.errors import Refused

DONE = ("applied", "baseline", "resolved")
_BEGIN = re.compile(r"\s*(BEGIN|START\s+TRANSACTION)\b", re.IGNORECASE)
_COMMIT = re.compile(r"\s*COMMIT\b", re.IGNORECASE)


def statement_id(block_id: str, position: int) -> str:
    return f"{block_id}#{position}"


def statement_checksum(statement: Statement) -> str:
    normalized = statement.normalized or " ".join(statement.text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LedgerRow:
    """One statement as the ledger table records it."""

    block_id: str
    position: int
    file: str
    line: int
    block_checksum: str
    block_statements: int
    statement_checksum: str
    statement: str
    status: str
    applied_at: datetime | None = None
    applied_by: str = ""
    release_tag: str = ""
    duration_ms: int | None = None
    error: str = ""

    @property
    def statement_id(self) -> str:
        return statement_id(self.block_id, self.position)


@dataclass(frozen=True)
class Pending:
    """A statement to run, with everything its ledger row records."""

    file: str
    block: Block
    position: int
    statement: Statement
    block_statements: int

    @property
    def statement_id(self) -> str:
        return statement_id(self.block.id, self.position)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.statement.line}"

    @property
    def checksum(self) -> str:
        return statement_checksum(self.statement)


@dataclass(frozen=True)
class Unit:
    """What commits at once: DML (one statement, or a block's BEGIN...COMMIT group) commits
    together with its ledger rows; anything else commits by itself, between `started` and
    `applied` rows."""

    transactional: bool
    statements: tuple[Pending, ...]


@dataclass(frozen=True)
class BlockState:
    block_id: str
    file: str | None  # None: trimmed out of the files after it was applied
    line: int | None
    author: str | None
    state: str  # applied | baseline | pending | partial | failed | changed | uncertain
    done: int
    total: int
    applied_at: datetime | None
    applied_by: str
    detail: str


@dataclass(frozen=True)
class LedgerPlan:
    blocks: tuple[BlockState, ...]
    units: tuple[Unit, ...]
    uncertain: tuple[LedgerRow, ...]
    changed: tuple[BlockState, ...]

    @property
    def pending(self) -> tuple[Pending, ...]:
        return tuple(p for unit in self.units for p in unit.statements)


def executable(block: Block) -> list[tuple[int, Statement]]:
    """The statements that get ledger rows, with their 1-based positions; a block's own
    BEGIN/COMMIT only groups its DML."""
    return [(i + 1, s) for i, s in enumerate(block.statements) if s.kind != "transaction"]


def plan(files: Sequence[AltersFile], rows: Sequence[LedgerRow]) -> LedgerPlan:
    _refuse_duplicates(files)
    by_block: dict[str, dict[int, LedgerRow]] = {}
    for row in rows:
        by_block.setdefault(row.block_id, {})[row.position] = row
    states: list[BlockState] = []
    units: list[Unit] = []
    for file in files:
        for block in file.blocks:
            block_rows = by_block.pop(block.id, {})
            state = _block_state(file.path, block, block_rows)
            states.append(state)
            if state.state not in ("changed", "uncertain"):
                units += _units(file.path, block, block_rows)
    for block_id, block_rows in by_block.items():
        states.append(_trimmed_state(block_id, block_rows))
    uncertain = tuple(r for r in rows if r.status == "started")
    return LedgerPlan(
        blocks=tuple(states),
        units=tuple(units),
        uncertain=uncertain,
        changed=tuple(s for s in states if s.state == "changed"),
    )


def through(files: Sequence[AltersFile], block_id: str | None) -> set[str]:
    """The ids of the blocks up to and including block_id, in file order (all when None)."""
    ids: set[str] = set()
    for file in files:
        for block in file.blocks:
            ids.add(block.id)
            if block.id == block_id:
                return ids
    if block_id is None:
        return ids
    known = ", ".join(b.id for f in files for b in f.blocks) or "none"
    raise Refused(f"no block {block_id!r} in the alters files (blocks: {known}).")


def _refuse_duplicates(files: Sequence[AltersFile]) -> None:
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for file in files:
        for block in file.blocks:
            where = f"{file.path}:{block.line}"
            if block.id in seen:
                clashes.append(f"  {block.id}: {seen[block.id]} and {where}")
            seen.setdefault(block.id, where)
    if clashes:
        raise Refused("block ids must be unique across the alters files, or the ledger cannot "
                      "tell the blocks apart:\n" + "\n".join(clashes)
                      + "\nGive one of each pair its own `-- alter: <id>` header.")


def _block_state(path: str, block: Block, rows: dict[int, LedgerRow]) -> BlockState:
    statements = executable(block)
    done = [r for r in rows.values() if r.status in DONE]
    latest = max(done, key=lambda r: r.applied_at or datetime.min, default=None)

    def state(name: str, detail: str = "") -> BlockState:
        return BlockState(block.id, path, block.line, block.author, name, len(done),
                          len(statements), latest.applied_at if latest else None,
                          latest.applied_by if latest else "", detail)

    started = [r for r in rows.values() if r.status == "started"]
    if started:
        return state("uncertain", f"{started[0].statement_id} started and never finished")
    changed = _changed(block, statements, done)
    if changed:
        return state("changed", changed)
    pending = [pos for pos, _ in statements if pos not in rows or rows[pos].status not in DONE]
    failed = [r for r in rows.values() if r.status == "failed"]
    if not pending:
        baseline = done and all(r.status == "baseline" for r in done)
        return state("baseline" if baseline else "applied")
    if failed:
        first = min(failed, key=lambda r: r.position)
        return state("failed", f"{first.statement_id}: {first.error}")
    return state("partial" if done else "pending")


def _changed(block: Block, statements: list[tuple[int, Statement]],
             done: list[LedgerRow]) -> str:
    if not done:
        return ""
    # The latest row knows the block as it was when its last statement ran (a failed
    # statement may have been fixed in between).
    recorded = max(done, key=lambda r: r.applied_at or datetime.min)
    complete = len(done) >= recorded.block_statements
    if complete and recorded.block_checksum != block.checksum:
        return (f"edited after it was applied (checksum {recorded.block_checksum[:12]} then, "
                f"{block.checksum[:12]} now)")
    current = dict(statements)
    for row in sorted(done, key=lambda r: r.position):
        now = current.get(row.position)
        if now is None or statement_checksum(now) != row.statement_checksum:
            return f"{row.statement_id} was edited or removed after it was applied"
    return ""


def _units(path: str, block: Block, rows: dict[int, LedgerRow]) -> list[Unit]:
    count = len(executable(block))
    units: list[Unit] = []
    group: list[Pending] | None = None
    for index, statement in enumerate(block.statements):
        position = index + 1
        if statement.kind == "transaction":
            if _BEGIN.match(statement.text):
                group = []
            elif _COMMIT.match(statement.text) and group is not None:
                if group:
                    units.append(Unit(True, tuple(group)))
                group = None
            continue
        row = rows.get(position)
        if row is not None and row.status in DONE:
            continue
        pending = Pending(path, block, position, statement, count)
        if statement.kind == "dml" and group is not None:
            group.append(pending)
            continue
        if group:
            # DDL commits implicitly: the DML before it in the group is committed first anyway.
            units.append(Unit(True, tuple(group)))
            group = []
        units.append(Unit(statement.kind == "dml", (pending,)))
    if group:
        units.append(Unit(True, tuple(group)))
    return units


def _trimmed_state(block_id: str, rows: dict[int, LedgerRow]) -> BlockState:
    done = [r for r in rows.values() if r.status in DONE]
    latest = max(done, key=lambda r: r.applied_at or datetime.min, default=None)
    started = [r for r in rows.values() if r.status == "started"]
    state = "uncertain" if started else ("applied" if done else "failed")
    detail = (f"{started[0].statement_id} started and never finished" if started
              else "no longer in the alters files (trimmed); never re-run")
    return BlockState(block_id, None, None, None, state, len(done), len(rows),
                      latest.applied_at if latest else None,
                      latest.applied_by if latest else "", detail)


def resolve_hint(environment: str, ident: str) -> str:
    """The commands that settle an uncertain statement, ready to paste."""
    quoted = shlex.quote(ident)
    base = f"invoke alters.resolve --env {shlex.quote(environment)} --statement {quoted}"
    return (f"Check the database by hand, then record what happened:\n"
            f"    {base} --applied       # it took effect\n"
            f"    {base} --not-applied   # it did not: alters.apply will run it again")


def uncertain_message(environment: str, rows: Sequence[LedgerRow]) -> str:
    lines = [f"environment {environment!r}: stopped before changing anything: the ledger has "
             f"{len(rows)} statement(s) that started and never finished (the run that started "
             "it was killed or lost its connection), so nobody knows whether it took effect:"]
    for row in rows:
        first = row.statement.strip().splitlines()[0][:120] if row.statement.strip() else ""
        lines.append(f"  {row.statement_id} ({row.file}:{row.line}), started "
                     f"{row.applied_at:%Y-%m-%d %H:%M:%S} by {row.applied_by}: {first}"
                     if row.applied_at else f"  {row.statement_id} ({row.file}:{row.line})")
    lines.append(resolve_hint(environment, rows[0].statement_id))
    return "\n".join(lines)
