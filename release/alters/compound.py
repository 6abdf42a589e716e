"""Compound statements (pure): where `BEGIN ... END` and its kin start and end.

The server reads `CREATE TRIGGER ... BEGIN ...; ...; END` as one statement, with or without a
`DELIMITER` line around it; so do Stagecraft's splitter and rules. A statement can hold a
body when it creates a stored program (procedure, function, trigger, event; `ALTER EVENT`),
when it is one of MariaDB's top-level compound statements (`BEGIN NOT ATOMIC`, `IF`, `CASE`,
`LOOP`, `REPEAT`, `WHILE`, `FOR`, a labelled block) or a `DECLARE` (a handler's body).

A top-level `BEGIN;` or `BEGIN WORK;` opens a transaction, never a block: only a `BEGIN`
after a label, `NOT ATOMIC`, a routine's header, `THEN`/`ELSE`/`DO`/`LOOP`/`REPEAT`, a
handler's condition or another statement of a body opens one. `END IF`, `END LOOP`, `END
WHILE`, `END REPEAT`, `END FOR` and `END CASE` close their own statements, and a bare `END`
also closes a `CASE ... END` expression.
"""

from __future__ import annotations

from collections.abc import Sequence

STORED = ("PROCEDURE", "FUNCTION", "TRIGGER", "EVENT")
_LOOPS = ("IF", "WHILE", "REPEAT", "LOOP", "FOR")
_CASE_EXPR = "CASE-EXPR"
# after these a new statement of a body may start
_STATEMENT_AFTER = {"", ";", ":", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "BEGIN", "ATOMIC",
                    "ROW"}
# after these a `begin` is a word of an expression or a name, not a block
_NOT_BLOCK_AFTER = {".", ",", "(", "=", "<", ">", "+", "-", "*", "/", "%", "SELECT", "AS", "XA",
                    "BY", "FROM", "JOIN", "INTO", "WHERE", "AND", "OR", "ON", "SET", "TABLE",
                    "COLUMN", "KEY", "INDEX", "ADD", "DROP", "MODIFY", "CHANGE", "RENAME", "TO",
                    "AFTER", "VALUES", "USING"}
# a CREATE that names one of these before a stored program's keyword creates something else
_NOT_STORED = {"TABLE", "VIEW", "INDEX", "UNIQUE", "FULLTEXT", "SPATIAL", "DATABASE", "SCHEMA",
               "USER", "ROLE", "SEQUENCE", "SERVER", "TABLESPACE", "TEMPORARY", "ALGORITHM",
               "LOGFILE", "(", "SELECT"}


def opens_compound(up: Sequence[str]) -> bool:
    """Whether a statement starting with these upper-cased tokens may hold a body."""
    first = up[0] if up else ""
    if first in (*_LOOPS, "CASE", "DECLARE") or (len(up) > 1 and up[1] == ":"):
        return True
    if first == "BEGIN":
        return list(up[1:3]) == ["NOT", "ATOMIC"]
    return stored_program(up) is not None


def stored_program(up: Sequence[str],
                   raw: Sequence[str] | None = None) -> tuple[str, str] | None:
    """(kind, name as written in `raw`) when the statement creates or alters a stored
    program."""
    if not up or up[0] not in ("CREATE", "ALTER"):
        return None
    for i, token in enumerate(up[1:24], start=1):
        if token in STORED:
            j = i + 1
            while j < len(up) and up[j] in ("IF", "NOT", "EXISTS"):
                j += 1
            name = (raw or up)[j] if j < len(up) else "?"
            return token, name.strip("`\"")
        if token in _NOT_STORED:
            return None
    return None


class Nesting:
    """Follows the open compound statements through a statement's tokens, fed one by one
    (upper-cased), so that the splitter can tell a `;` inside a body from the last one."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.parens = 0
        self.prev = ""
        self.pending_end = False
        self.count = 0
        self.starts: list[int] = []  # token indices where a statement of a body starts

    @property
    def open(self) -> bool:
        return bool(self.stack)

    def feed(self, token: str) -> None:
        index, self.count = self.count, self.count + 1
        if self.pending_end:
            self.pending_end = False
            if token in (*_LOOPS, "CASE"):
                self._close(token)
                self.prev = f"END {token}"
                return
            self._close(None)
        at_start = self.parens == 0 and self.prev in _STATEMENT_AFTER and (
            not self.stack or self.stack[-1] != _CASE_EXPR)
        if token == "(":
            self.parens += 1
        elif token == ")":
            self.parens = max(0, self.parens - 1)
        elif token == "END":
            self.pending_end = True
        elif token == "CASE":
            self.stack.append("CASE" if at_start else _CASE_EXPR)
        elif token in _LOOPS and at_start:
            self.stack.append(token)
        elif token == "BEGIN" and self.parens == 0 and self.prev not in _NOT_BLOCK_AFTER:
            self.stack.append("BEGIN")
        elif (self.prev, token) in (("BEGIN", "NOT"), ("NOT", "ATOMIC")):
            pass  # `BEGIN NOT ATOMIC` opens the block: its first statement comes after it
        elif at_start and token not in (";", "ELSE", "ELSEIF", "UNTIL"):
            self.starts.append(index)
        if token == ";":
            self.parens = 0  # a body's statement never carries a parenthesis past its end
        self.prev = token if token != "BEGIN" or self.stack[-1:] == ["BEGIN"] else "BEGIN-WORD"

    def finish(self) -> None:
        """The statement ends here: a trailing `END` is a bare one."""
        if self.pending_end:
            self.pending_end = False
            self._close(None)

    def _close(self, kind: str | None) -> None:
        """Close the innermost `kind` (None: a bare END's BEGIN or CASE), and whatever a
        misread left open inside it; an END that matches nothing is ignored."""
        wanted = (kind,) if kind is not None else ("BEGIN", "CASE", _CASE_EXPR)
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth] in wanted:
                del self.stack[depth:]
                return


def body_spans(up: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) token indices of the simple statements inside a compound statement's
    bodies, nested blocks included; labels are left out."""
    nesting = Nesting()
    for token in up:
        nesting.feed(token)
    spans = []
    for start in nesting.starts:
        if start == 0 or (start + 1 < len(up) and up[start + 1] == ":"):
            continue
        end = start
        while end < len(up) and up[end] != ";":
            end += 1
        spans.append((start, end))
    return spans
