"""The safety rules over parsed statements (pure): AL002-AL004, AL010-AL031, AL050.

They read the statement's code tokens, so a `DROP TABLE` inside a string or a comment is
never a finding, and keyword case (`AlTER`) does not matter. AL001 (syntax) lives in
syntax.py, AL040/AL041 (headers, shipped blocks) in lint.py, AL020 in end_state.py, AL030
and AL031 in online.py.

A compound statement is one statement (see compound.py). The statements of an anonymous
block (`BEGIN NOT ATOMIC ... END`, a top-level IF) run when it is applied, so every rule
looks at them as the block's own. A stored program's body runs later, each time the
routine is called or fires: only what destroys data or schema there (DROP TABLE/DATABASE,
DROP COLUMN, TRUNCATE) is reported, saying so; its UPDATE or DELETE without WHERE is the
routine's business, and it is no data change of the block (no AL003).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from release.alters.bodies import Body, body_of, parts
from release.alters.clauses import (
    NOT_COLUMNS,
    Code,
    Hit,
    added_columns,
    adds_columns,
    alter_clauses,
    is_alter_table,
    is_if,
    name,
    pair,
    skip,
    top_level,
    type_text,
)
from release.alters.end_state import end_state_findings
from release.alters.explain_store import Explained
from release.alters.findings import Finding
from release.alters.online import online_findings
from release.alters.parse import Block, Statement
from release.alters.registry import (
    AL002,
    AL003,
    AL004,
    AL010,
    AL011,
    AL012,
    AL013,
    AL021,
    AL022,
    AL023,
    AL024,
    AL050,
)

_IN_BODIES = (AL010, AL011, AL012)


@dataclass(frozen=True)
class Context:
    path: str
    large_table_rows: int
    table_rows: Mapping[str, int]  # from the stats file; empty when unknown
    dialect: str = "mysql"
    explained: Mapping[str, Explained] = field(default_factory=dict)  # alters.explain's record


def block_findings(block: Block, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    applied = [part for statement in block.statements for part in parts(statement)]
    if {"ddl", "dml"} <= {s.kind for s in applied}:
        findings.append(Finding(ctx.path, block.line, 1, AL003, f"block {block.id} mixes DDL "
                                "and data changes: a failure leaves it half applied; split it "
                                "into two blocks"))
    findings.extend(_transactions(block, ctx))
    for statement in block.statements:
        findings.extend(statement_findings(statement, block, ctx))
    findings.extend(end_state_findings(block, applied, ctx.path))
    return findings


def statement_findings(statement: Statement, block: Block, ctx: Context) -> list[Finding]:
    code = Code.of(statement)
    body = body_of(statement, code.up)
    found = list(_statement(code, block, ctx))
    if body is not None:
        found += _body(statement, body, block, ctx)
    return [Finding(ctx.path, line, col, rule, message, statement.end_line)
            for rule, (line, col), message in found]


def _body(statement: Statement, body: Body, block: Block, ctx: Context) -> Iterator[Hit]:
    if statement.delimiter == ";" and ";" in statement.tokens:
        yield AL004, (statement.line, statement.col), "compound statement without " \
            "DELIMITER: Stagecraft applies it as one statement, but the mysql command-line " \
            "client would cut it at its first `;`; put `DELIMITER $$` before it and `$$` and " \
            "`DELIMITER ;` after it if it may ever be run by hand"
    for inner in body.statements:
        hits = _statement(Code.of(inner), block, ctx)
        if body.program is None:
            yield from hits
            continue
        kind, routine = body.program
        for code, where, message in hits:
            if code in _IN_BODIES:
                yield code, where, f"in the body of {kind} {routine}, which runs it " \
                    f"each time it is called or fires: {message}"


def _statement(c: Code, block: Block, ctx: Context) -> Iterator[Hit]:
    first, second = c.at(0), c.at(1)
    here = (c.statement.line, c.statement.col)
    if first == "DROP" and second in ("TABLE", "TABLES", "DATABASE", "SCHEMA"):
        names = ", ".join(name(t) for t in c.raw[2:] if t != "," and not is_if(t)
                          and t.upper() not in ("RESTRICT", "CASCADE"))
        yield AL010, here, f"DROP {second} {names}: the data is gone for good and the " \
            "running code may still use it; drop it in a later release, after a backup"
    elif first == "TRUNCATE":
        yield AL012, here, "TRUNCATE deletes every row and cannot be rolled back"
    elif first in ("UPDATE", "DELETE") and "WHERE" not in top_level(c):
        yield AL013, here, f"{first} without WHERE changes every row of the table"
    elif first == "RENAME" and second in ("TABLE", "TABLES"):
        yield AL023, here, "RENAME TABLE breaks the running code, which still uses " \
            "the old name"
    elif is_alter_table(c):
        yield from _alter_table(c, block, ctx)
    elif first == "CREATE" and "INDEX" in c.up[1:4] and "ON" in c.up:
        on = c.up.index("ON")
        table = name(c.raw[on + 1]) if on + 1 < len(c.raw) else "?"
        if "UNIQUE" in c.up[1:3]:
            yield AL024, here, f"new UNIQUE index on {table}: it fails if the table " \
                "holds duplicates; check for them first"
        yield from _online(c, table, [], block, ctx)


def _alter_table(c: Code, block: Block, ctx: Context) -> Iterator[Hit]:
    table, clauses = alter_clauses(c)
    for clause in clauses:
        yield from _clause(clause, table)
    yield from _online(c, table, clauses, block, ctx)


def _online(c: Code, table: str, clauses: list[Code], block: Block,
            ctx: Context) -> Iterator[Hit]:
    return online_findings(c, table, clauses, block, dialect=ctx.dialect,
                           explained=ctx.explained, large_table_rows=ctx.large_table_rows,
                           table_rows=ctx.table_rows)


def _clause(c: Code, table: str) -> Iterator[Hit]:
    verb, where = c.at(c.start), c.where(c.start)
    j = c.start + 1
    if verb == "ADD":
        if not adds_columns(c):
            if "UNIQUE" in c.up[c.start:min(c.end, c.start + 4)]:
                yield AL024, where, f"new UNIQUE key on {table}: it fails if the " \
                    "table holds duplicates; check for them first"
            return
        for column, definition in added_columns(c):
            if "UNIQUE" in definition:
                yield AL024, where, f"new UNIQUE column {column}: it fails if the " \
                    "table holds duplicates"
    elif verb == "DROP" and c.at(j) not in NOT_COLUMNS:
        j = skip(c, j, ["COLUMN"], ["IF", "EXISTS"])
        column = name(c.raw[j]) if j < c.end else "?"
        yield AL011, where, f"DROP COLUMN {table}.{column}: the data is lost and the " \
            "running code still reads it; drop it in a later release"
    elif verb in ("MODIFY", "CHANGE"):
        j = skip(c, j, ["COLUMN"], ["IF", "EXISTS"])
        old = name(c.raw[j]) if j < c.end else "?"
        if verb == "CHANGE":
            new = name(c.raw[j + 1]) if j + 1 < c.end else "?"
            if new.lower() != old.lower():
                yield AL023, where, f"CHANGE renames column {old} to {new}: the " \
                    "running code breaks; add the new column and copy instead"
            j += 1
        definition = c.up[j + 1:c.end]
        if pair(definition, "NOT", "NULL"):
            yield AL021, where, f"{verb} makes {table}.{old} NOT NULL: it fails on " \
                "existing NULLs and breaks inserts that omit it"
        kind = type_text(c, j + 1)
        yield AL022, where, f"{verb} restates the type of {table}.{old} as " \
            f"{kind}: a different type may truncate values, and it copies the table"
    elif verb == "RENAME" and c.at(j) not in ("INDEX", "KEY"):
        what = "column" if c.at(j) == "COLUMN" else "table"
        yield AL023, where, f"RENAME {what} on {table}: the running code still uses " \
            "the old name"


def _transactions(block: Block, ctx: Context) -> Iterator[Finding]:
    open_at: Statement | None = None
    reported = False
    for statement in block.statements:
        words = [t.upper() for t in statement.tokens]
        if statement.kind == "transaction" and words[0] in ("BEGIN", "START"):
            if open_at is not None:
                yield _at(ctx, open_at, AL050, f"BEGIN at line {open_at.line} is never "
                          f"committed (line {statement.line} starts another transaction)")
            open_at, reported = statement, False
        elif statement.kind == "transaction":
            if open_at is None:
                yield _at(ctx, statement, AL050, f"{words[0]} without a BEGIN in block "
                          f"{block.id}")
            open_at = None
        elif statement.kind == "ddl" and open_at is not None and not reported:
            reported = True
            yield _at(ctx, open_at, AL002, f"the transaction opened here holds DDL (line "
                      f"{statement.line}): MySQL commits before and after DDL, so nothing "
                      "can be rolled back; remove BEGIN/COMMIT around it")
    if open_at is not None:
        yield _at(ctx, open_at, AL050, f"BEGIN without COMMIT in block {block.id}")


def wrapper_finding(path: str, wrapper: tuple[int, int] | None,
                    blocks: Sequence[Block]) -> list[Finding]:
    """AL002 for a file-level BEGIN/COMMIT around DDL (the client's habit)."""
    if wrapper is None:
        return []
    ddl = sum(1 for b in blocks for s in b.statements if s.kind == "ddl")
    if not ddl:
        return []
    return [Finding(path, wrapper[0], 1, AL002, f"BEGIN (line {wrapper[0]}) ... COMMIT (line "
                    f"{wrapper[1]}) wraps {ddl} DDL statement(s): MySQL commits implicitly "
                    "around DDL, so this protects nothing; remove the wrapper")]


def _at(ctx: Context, statement: Statement, rule: str, message: str) -> Finding:
    return Finding(ctx.path, statement.line, statement.col, rule, message, statement.end_line)
