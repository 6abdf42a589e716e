"""Reading a statement's code tokens (pure): ALTER TABLE's target and clauses, column
definitions, options. Shared by the rules of rules.py, end_state.py and online.py."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from release.alters.parse import Statement

NOT_COLUMNS = {"INDEX", "KEY", "FOREIGN", "PRIMARY", "CONSTRAINT", "CHECK", "PARTITION",
               "SYSTEM", "PERIOD", "UNIQUE", "FULLTEXT", "SPATIAL"}

Hit = tuple[str, tuple[int, int], str]  # code (its level is the registry's), (line, col), message


@dataclass
class Code:
    """One statement's code tokens (upper-cased words and as written), or a clause of them."""

    up: list[str]
    raw: Sequence[str]
    statement: Statement
    start: int = 0
    end: int = 0

    @classmethod
    def of(cls, statement: Statement) -> Code:
        up = [t.upper() if is_word(t) else t for t in statement.tokens]
        return cls(up, statement.tokens, statement, 0, len(up))

    def where(self, i: int) -> tuple[int, int]:
        return self.statement.position(self.statement.offsets[i])

    def at(self, i: int) -> str:
        return self.up[i] if 0 <= i < len(self.up) and i < self.end else ""

    def clause(self, start: int, end: int) -> Code:
        return Code(self.up, self.raw, self.statement, start, end)


def is_alter_table(c: Code) -> bool:
    return c.at(0) == "ALTER" and "TABLE" in c.up[1:3]


def alter_target(c: Code) -> tuple[str, int]:
    """The table an ALTER TABLE changes and the index of its first clause."""
    i = c.up.index("TABLE") + 1
    if c.up[i:i + 2] == ["IF", "EXISTS"]:
        i += 2
    table = name(c.raw[i]) if i < len(c.raw) else "?"
    i += 1
    while i < len(c.raw) and c.raw[i].startswith("."):  # `db`.`table` or `db`.table
        if c.raw[i] == "." and i + 1 < len(c.raw):
            table, i = name(c.raw[i + 1]), i + 2
        else:
            table, i = name(c.raw[i][1:]), i + 1
    return table, i


def alter_clauses(c: Code) -> tuple[str, list[Code]]:
    """An ALTER TABLE's table and its comma-separated clauses."""
    table, first = alter_target(c)
    return table, [c.clause(start, end) for start, end in clause_spans(c.up, first)]


def clause_spans(up: list[str], start: int) -> Iterator[tuple[int, int]]:
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


def adds_columns(c: Code) -> bool:
    """Whether an ADD clause adds columns (not an index, key or constraint)."""
    return c.at(c.start) == "ADD" and (
        c.at(c.start + 1) == "COLUMN" or c.at(c.start + 1) not in NOT_COLUMNS)


def column_definitions(c: Code, j: int) -> Iterator[tuple[str, list[str]]]:
    """(name, definition words) of the column an ADD adds, or of each in `ADD (a ..., b ...)`."""
    if c.at(j) != "(":
        yield (name(c.raw[j]) if j < c.end else "?"), c.up[j + 1:c.end]
        return
    depth, start = 0, j + 1
    for k in range(j, c.end):
        token = c.up[k]
        depth += (token == "(") - (token == ")")
        if (token == "," and depth == 1) or depth == 0:
            if start < k:
                yield name(c.raw[start]), c.up[start + 1:k]
            start = k + 1
            if depth == 0:
                return


def added_columns(c: Code) -> Iterator[tuple[str, list[str]]]:
    """The (name, definition) of each column an ADD clause adds."""
    return column_definitions(c, skip(c, c.start + 1, ["COLUMN"], ["IF", "NOT", "EXISTS"]))


def is_word(token: str) -> bool:
    return token[:1].isalnum() or token[:1] in "_$@"


def is_if(token: str) -> bool:
    return token.upper() in ("IF", "EXISTS")


def name(token: str) -> str:
    if token[:1] in "`\"'":
        return token[1:-1]
    return token.split(".")[-1]


def skip(c: Code, j: int, *optional: list[str]) -> int:
    for words in optional:
        if c.up[j:j + len(words)] == words and j + len(words) <= c.end:
            j += len(words)
    return j


def pair(words: Sequence[str], first: str, second: str) -> bool:
    return any(a == first and b == second for a, b in pairwise(words))


def type_text(c: Code, j: int) -> str:
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


def top_level(c: Code) -> list[str]:
    depth, words = 0, []
    for token in c.up:
        depth += (token == "(") - (token == ")")
        if depth == 0:
            words.append(token)
    return words


def option(up: list[str], key: str) -> str | None:
    for i, token in enumerate(up):
        if token == key:
            value = up[i + 2] if i + 2 < len(up) and up[i + 1] == "=" else (
                up[i + 1] if i + 1 < len(up) else "")
            return value.upper()
    return None
