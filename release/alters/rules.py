"""The safety rules over parsed statements (pure): AL002, AL003, AL010-AL031, AL050.

They read the statement's code tokens, so a `DROP TABLE` inside a string or a comment is
never a finding, and keyword case (`AlTER`) does not matter. AL001 (syntax) lives in
syntax.py, AL040/AL041 (headers, shipped blocks) in lint.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from release.alters.findings import ERROR, WARNING, Finding
from release.alters.parse import Block, Statement

_NOT_COLUMNS = {"INDEX", "KEY", "FOREIGN", "PRIMARY", "CONSTRAINT", "CHECK", "PARTITION",
                "SYSTEM", "PERIOD", "UNIQUE", "FULLTEXT", "SPATIAL"}
_ONLINE_TOOLS = ("gh-ost", "pt-osc")


@dataclass(frozen=True)
class Context:
    path: str
    large_table_rows: int
    table_rows: Mapping[str, int]  # from the stats file; empty when unknown


@dataclass
class _Code:
    """One statement's code tokens (upper-cased words and as written), or a clause of them."""

    up: list[str]
    raw: Sequence[str]
    statement: Statement
    start: int = 0
    end: int = 0

    def where(self, i: int) -> tuple[int, int]:
        return self.statement.position(self.statement.offsets[i])

    def at(self, i: int) -> str:
        return self.up[i] if 0 <= i < len(self.up) and i < self.end else ""


def block_findings(block: Block, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    kinds = {s.kind for s in block.statements}
    if {"ddl", "dml"} <= kinds:
        findings.append(Finding(ctx.path, block.line, 1, "AL003", f"block {block.id} mixes DDL "
                                "and data changes: a failure leaves it half applied; split it "
                                "into two blocks", WARNING))
    findings.extend(_transactions(block, ctx))
    for statement in block.statements:
        findings.extend(statement_findings(statement, block, ctx))
    return findings


def statement_findings(statement: Statement, block: Block, ctx: Context) -> list[Finding]:
    up = [t.upper() if _is_word(t) else t for t in statement.tokens]
    code = _Code(up, statement.tokens, statement, 0, len(up))
    found = list(_statement(code, statement, block, ctx))
    return [Finding(ctx.path, line, col, rule, message, level, statement.end_line)
            for rule, level, (line, col), message in found]


_Hit = tuple[str, str, tuple[int, int], str]


def _statement(c: _Code, statement: Statement, block: Block, ctx: Context) -> Iterator[_Hit]:
    first, second = c.at(0), c.at(1)
    here = (statement.line, statement.col)
    if first == "DROP" and second in ("TABLE", "TABLES", "DATABASE", "SCHEMA"):
        names = ", ".join(_name(t) for t in c.raw[2:] if t not in (",",) and not _is_if(t))
        yield "AL010", ERROR, here, f"DROP {second} {names}: the data is gone for good and the " \
            "running code may still use it; drop it in a later release, after a backup"
    elif first == "TRUNCATE":
        yield "AL012", ERROR, here, "TRUNCATE deletes every row and cannot be rolled back"
    elif first in ("UPDATE", "DELETE") and "WHERE" not in _top_level(c):
        yield "AL013", ERROR, here, f"{first} without WHERE changes every row of the table"
    elif first == "RENAME" and second in ("TABLE", "TABLES"):
        yield "AL023", ERROR, here, "RENAME TABLE breaks the running code, which still uses " \
            "the old name"
    elif first == "ALTER" and "TABLE" in c.up[1:3]:
        yield from _alter_table(c, statement, block, ctx)
    elif first == "CREATE" and "INDEX" in c.up[1:4] and "ON" in c.up:
        on = c.up.index("ON")
        table = _name(c.raw[on + 1]) if on + 1 < len(c.raw) else "?"
        if "UNIQUE" in c.up[1:3]:
            yield "AL024", WARNING, here, f"new UNIQUE index on {table}: it fails if the table " \
                "holds duplicates; check for them first"
        yield from _online(c.up, table, here, block, ctx)


def _alter_table(c: _Code, statement: Statement, block: Block,
                 ctx: Context) -> Iterator[_Hit]:
    i = c.up.index("TABLE") + 1
    if c.up[i:i + 2] == ["IF", "EXISTS"]:
        i += 2
    table = _name(c.raw[i]) if i < len(c.raw) else "?"
    i += 1
    while i < len(c.raw) and c.raw[i].startswith("."):  # `db`.`table` or `db`.table
        if c.raw[i] == "." and i + 1 < len(c.raw):
            table, i = _name(c.raw[i + 1]), i + 2
        else:
            table, i = _name(c.raw[i][1:]), i + 1
    for start, end in _clauses(c.up, i):
        clause = _Code(c.up, c.raw, c.statement, start, end)
        yield from _clause(clause, table)
    yield from _online(c.up, table, (statement.line, statement.col), block, ctx)


def _clause(c: _Code, table: str) -> Iterator[_Hit]:
    verb, where = c.at(c.start), c.where(c.start)
    j = c.start + 1
    if verb == "ADD":
        column = c.at(j) == "COLUMN" or c.at(j) not in _NOT_COLUMNS
        if not column:
            if "UNIQUE" in c.up[c.start:min(c.end, c.start + 4)]:
                yield "AL024", WARNING, where, f"new UNIQUE key on {table}: it fails if the " \
                    "table holds duplicates; check for them first"
            return
        j = _skip(c, j, ["COLUMN"], ["IF", "NOT", "EXISTS"])
        for name, definition in _column_definitions(c, j):
            if _pair(definition, "NOT", "NULL") and not {"DEFAULT", "AUTO_INCREMENT", "AS",
                                                          "GENERATED"} & set(definition):
                yield "AL020", ERROR, where, f"ADD COLUMN {name} NOT NULL without DEFAULT: " \
                    "inserts from the running code fail until it is reloaded; add a DEFAULT"
            if "UNIQUE" in definition:
                yield "AL024", WARNING, where, f"new UNIQUE column {name}: it fails if the " \
                    "table holds duplicates"
    elif verb == "DROP" and c.at(j) not in _NOT_COLUMNS:
        j = _skip(c, j, ["COLUMN"], ["IF", "EXISTS"])
        name = _name(c.raw[j]) if j < c.end else "?"
        yield "AL011", ERROR, where, f"DROP COLUMN {table}.{name}: the data is lost and the " \
            "running code still reads it; drop it in a later release"
    elif verb in ("MODIFY", "CHANGE"):
        j = _skip(c, j, ["COLUMN"], ["IF", "EXISTS"])
        old = _name(c.raw[j]) if j < c.end else "?"
        if verb == "CHANGE":
            new = _name(c.raw[j + 1]) if j + 1 < c.end else "?"
            if new.lower() != old.lower():
                yield "AL023", ERROR, where, f"CHANGE renames column {old} to {new}: the " \
                    "running code breaks; add the new column and copy instead"
            j += 1
        definition = c.up[j + 1:c.end]
        if _pair(definition, "NOT", "NULL"):
            yield "AL021", WARNING, where, f"{verb} makes {table}.{old} NOT NULL: it fails on " \
                "existing NULLs and breaks inserts that omit it"
        kind = _type_text(c, j + 1)
        yield "AL022", WARNING, where, f"{verb} restates the type of {table}.{old} as " \
            f"{kind}: a different type may truncate values, and it copies the table"
    elif verb == "RENAME" and c.at(j) not in ("INDEX", "KEY"):
        what = "column" if c.at(j) == "COLUMN" else "table"
        yield "AL023", ERROR, where, f"RENAME {what} on {table}: the running code still uses " \
            "the old name"


def _online(up: list[str], table: str, here: tuple[int, int], block: Block,
            ctx: Context) -> Iterator[_Hit]:
    algorithm, lock = _option(up, "ALGORITHM"), _option(up, "LOCK")
    if block.online not in _ONLINE_TOOLS and algorithm != "INSTANT" \
            and not (algorithm and lock):
        yield "AL030", WARNING, here, f"ALTER of {table} without ALGORITHM= and LOCK=: it may " \
            "copy the table and block writes; say e.g. ALGORITHM=INPLACE, LOCK=NONE"
    rows = ctx.table_rows.get(table, ctx.table_rows.get(table.lower()))
    online = block.online is not None or algorithm in ("INSTANT", "NOCOPY") or (
        algorithm == "INPLACE" and lock == "NONE")
    if rows is not None and rows > ctx.large_table_rows and not online:
        yield "AL031", ERROR, here, f"{table} has {rows:,} rows (large_table_rows is " \
            f"{ctx.large_table_rows:,}) and this ALTER has no online strategy: add " \
            "`-- online: gh-ost|pt-osc|instant|inplace` to the block header or ALGORITHM=INSTANT"


def _transactions(block: Block, ctx: Context) -> Iterator[Finding]:
    open_at: Statement | None = None
    reported = False
    for statement in block.statements:
        words = [t.upper() for t in statement.tokens]
        if statement.kind == "transaction" and words[0] in ("BEGIN", "START"):
            if open_at is not None:
                yield _at(ctx, open_at, "AL050", f"BEGIN at line {open_at.line} is never "
                          f"committed (line {statement.line} starts another transaction)")
            open_at, reported = statement, False
        elif statement.kind == "transaction":
            if open_at is None:
                yield _at(ctx, statement, "AL050", f"{words[0]} without a BEGIN in block "
                          f"{block.id}")
            open_at = None
        elif statement.kind == "ddl" and open_at is not None and not reported:
            reported = True
            yield _at(ctx, open_at, "AL002", f"the transaction opened here holds DDL (line "
                      f"{statement.line}): MySQL commits before and after DDL, so nothing "
                      "can be rolled back; remove BEGIN/COMMIT around it")
    if open_at is not None:
        yield _at(ctx, open_at, "AL050", f"BEGIN without COMMIT in block {block.id}")


def wrapper_finding(path: str, wrapper: tuple[int, int] | None,
                    blocks: Sequence[Block]) -> list[Finding]:
    """AL002 for a file-level BEGIN/COMMIT around DDL (the client's habit)."""
    if wrapper is None:
        return []
    ddl = sum(1 for b in blocks for s in b.statements if s.kind == "ddl")
    if not ddl:
        return []
    return [Finding(path, wrapper[0], 1, "AL002", f"BEGIN (line {wrapper[0]}) ... COMMIT (line "
                    f"{wrapper[1]}) wraps {ddl} DDL statement(s): MySQL commits implicitly "
                    "around DDL, so this protects nothing; remove the wrapper")]


def _at(ctx: Context, statement: Statement, rule: str, message: str) -> Finding:
    return Finding(ctx.path, statement.line, statement.col, rule, message, ERROR,
                   statement.end_line)


def _is_word(token: str) -> bool:
    return token[:1].isalnum() or token[:1] in "_$@"


def _is_if(token: str) -> bool:
    return token.upper() in ("IF", "EXISTS")


def _column_definitions(c: _Code, j: int) -> Iterator[tuple[str, list[str]]]:
    """(name, definition words) of the column an ADD adds, or of each in `ADD (a ..., b ...)`."""
    if c.at(j) != "(":
        yield (_name(c.raw[j]) if j < c.end else "?"), c.up[j + 1:c.end]
        return
    depth, start = 0, j + 1
    for k in range(j, c.end):
        token = c.up[k]
        depth += (token == "(") - (token == ")")
        if (token == "," and depth == 1) or depth == 0:
            if start < k:
                yield _name(c.raw[start]), c.up[start + 1:k]
            start = k + 1
            if depth == 0:
                return


def _name(token: str) -> str:
    if token[:1] in "`\"'":
        return token[1:-1]
    return token.split(".")[-1]


def _skip(c: _Code, j: int, *optional: list[str]) -> int:
    for words in optional:
        if c.up[j:j + len(words)] == words and j + len(words) <= c.end:
            j += len(words)
    return j


def _pair(words: Sequence[str], first: str, second: str) -> bool:
    return any(a == first and b == second for a, b in pairwise(words))


def _type_text(c: _Code, j: int) -> str:
    """A column type as written, such as `varchar(30)` or `int(11) unsigned`."""
    if j >= c.end:
        return "?"
    end = j + 1
    if end < c.end and c.raw[end] == "(":
        while end < c.end and c.raw[end] != ")":
            end += 1
        end += 1
    text = "".join(c.raw[j:min(end, c.end)])
    while end < c.end and c.up[end] in ("UNSIGNED", "ZEROFILL", "SIGNED"):
        text += f" {c.raw[end]}"
        end += 1
    return text


def _clauses(up: list[str], start: int) -> Iterator[tuple[int, int]]:
    depth, begin = 0, start
    for i in range(start, len(up)):
        token = up[i]
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "," and depth == 0:
            if i > begin:
                yield begin, i
            begin = i + 1
    if len(up) > begin:
        yield begin, len(up)


def _top_level(c: _Code) -> list[str]:
    depth, words = 0, []
    for token in c.up:
        depth += (token == "(") - (token == ")")
        if depth == 0:
            words.append(token)
    return words


def _option(up: list[str], name: str) -> str | None:
    for i, token in enumerate(up):
        if token == name:
            value = up[i + 2] if i + 2 < len(up) and up[i + 1] == "=" else (
                up[i + 1] if i + 1 < len(up) else "")
            return value.upper()
    return None
