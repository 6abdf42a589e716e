"""A missing `;`: one statement that holds the start of another (pure, no server needed).

`CREATE TABLE t (...)` followed by `CREATE VIEW v ...` with no `;` between them is one
statement to the splitter, and sqlfluff reads the second as table options, so the mistake went
unreported. A line that begins with a keyword that only ever begins a statement (`CREATE`,
`ALTER TABLE`, `DROP VIEW`, `INSERT INTO`, `LOCK TABLES`, ...), outside parentheses and after
something that can end a statement, is where the second statement begins.

It is deliberately narrow, so that SQL the server runs is never reported: only reserved words
(an unquoted column cannot be called `create`), a follower that confirms the statement (`INSERT
INTO`, not the `INSERT(...)` function), not after a word that continues the statement (`ON
DUPLICATE KEY` / `UPDATE`, `ON` / `DELETE CASCADE`, `FOR` / `UPDATE`), and inside an ALTER only
what no ALTER clause can be (`DROP TABLE`, not `DROP user`, which drops a column named user).
Statements that hold other statements (routines, triggers, events, compound blocks, EXPLAIN,
GRANT lists, CTEs) are left to the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.alters.compound import opens_compound
from release.alters.parse import Statement

_OBJECTS = frozenset({"TABLE", "VIEW", "DATABASE", "SCHEMA", "PROCEDURE", "FUNCTION", "TRIGGER",
                      "EVENT", "USER", "ROLE", "TEMPORARY", "SEQUENCE", "SERVER", "INDEX",
                      "ONLINE", "IGNORE", "DEFINER", "ALGORITHM", "OR", "UNIQUE", "FULLTEXT",
                      "SPATIAL", "SQL", "TABLESPACE", "AGGREGATE"})
# inside an ALTER, `ALTER x`, `DROP x`, `RENAME x` are clauses unless x is one of these
_RESERVED_OBJECTS = frozenset({"TABLE", "DATABASE", "SCHEMA", "PROCEDURE", "TRIGGER"})
_FOLLOWERS = {
    "INSERT": frozenset({"INTO", "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"}),
    "REPLACE": frozenset({"INTO", "LOW_PRIORITY", "DELAYED"}),
    "LOCK": frozenset({"TABLES", "TABLE"}),
    "UNLOCK": frozenset({"TABLES", "TABLE"}),
    "TRUNCATE": frozenset({"TABLE"}),
    "START": frozenset({"TRANSACTION"}),
}
_ANY_NAME = ("CREATE", "UPDATE", "DELETE", "CALL", "SHOW", "USE", "REVOKE", "GRANT")
# after these the statement goes on: a keyword on the next line belongs to it
_CONTINUES = frozenset({",", "(", "=", ".", "+", "-", "*", "/", "AS", "ON", "KEY", "FOR", "WITH",
                        "THEN", "ELSE", "DO", "BEGIN", "AND", "OR", "NOT", "IN", "BY", "IS",
                        "FROM", "INTO", "SET", "WHERE", "TO", "DEFAULT", "COMMENT"})
# statements that hold other statements, or lists of privileges named like statements
_LEFT_TO_THE_SERVER = frozenset({"GRANT", "REVOKE", "EXPLAIN", "DESCRIBE", "DESC", "ANALYZE",
                                 "WITH", "PREPARE", "EXECUTE", "HELP", "LOAD"})
_NOT_A_NAME = frozenset({"(", ",", ")", "=", ".", "INDEX", "KEY"})


@dataclass(frozen=True)
class SecondStatement:
    line: int
    col: int
    words: str  # as written: "CREATE VIEW"


def second_statement(statement: Statement) -> SecondStatement | None:
    """Where a second statement begins inside this one, if one visibly does."""
    tokens = statement.tokens
    up = [t.upper() for t in tokens]
    if len(up) < 3 or up[0] in _LEFT_TO_THE_SERVER or opens_compound(up):
        return None
    inside_alter = up[0] == "ALTER"
    depth = 0
    for i, token in enumerate(up):
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif i and not depth and up[i - 1] not in _CONTINUES and i + 1 < len(up) \
                and _line_start(statement.text, statement.offsets[i]) \
                and _starts(token, up[i + 1], inside_alter):
            line, col = statement.position(statement.offsets[i])
            return SecondStatement(line, col, f"{tokens[i]} {tokens[i + 1]}")
    return None


def _starts(word: str, follower: str, inside_alter: bool) -> bool:
    if word in ("ALTER", "DROP", "RENAME"):
        return follower in (_RESERVED_OBJECTS if inside_alter else _OBJECTS)
    if word in _FOLLOWERS:
        return follower in _FOLLOWERS[word]
    return word in _ANY_NAME and follower not in _NOT_A_NAME


def _line_start(text: str, offset: int) -> bool:
    start = text.rfind("\n", 0, offset) + 1
    return start > 0 and not text[start:offset].strip()
