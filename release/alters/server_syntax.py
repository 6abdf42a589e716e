"""AL001 as the server says it: statements a MariaDB (or MySQL) server refuses to parse.

The server is the judge of its own SQL: sqlfluff misses statements it refuses (`DELETE ...
LIMIT 0,25`) and refuses statements it runs (`PARTITION BY RANGE`, `LOCK TABLES ... READ
LOCAL`). The caller hands in a `SyntaxServer` (release.db asks a real one, without running
anything); this module only decides what to ask, remembers the answers and words the findings.

A verdict depends on the statement's text, the server's version and its SQL mode (ANSI_QUOTES,
PIPES_AS_CONCAT, ... change the grammar), so that is the key of the verdicts kept in the
repository's state folder (`al001-server.json`, written whole or not at all): the hook asks the
server only about statements it has never asked about, and a warm hook asks nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from release.alters.findings import Finding
from release.alters.parse import Statement
from release.alters.registry import AL001
from release.alters.separators import SecondStatement, second_statement
from release.state import write_atomically

VERDICTS_FILE = "al001-server.json"
# how verdicts are reached and stored: change it and every kept verdict is dropped
_FORMAT = 1
_KEEP = 50_000  # verdicts kept; the oldest go first


@dataclass(frozen=True)
class Verdict:
    """The server's answer about one statement."""

    parses: bool
    line: int = 1      # where the server places the problem, counted from the statement's start
    message: str = ""  # the server's own words when it refuses; why it was not asked otherwise
    checked: bool = True  # False: the server could not be asked without running the statement


class SyntaxServer(Protocol):
    """A server that parses statements without running them."""

    @property
    def name(self) -> str:
        """How findings name it: its version and where it is."""
        ...

    def identity(self) -> str:
        """Its version and SQL mode: what a verdict depends on besides the text."""
        ...

    def check(self, texts: Sequence[str]) -> list[Verdict]:
        """One verdict per text, in order."""
        ...


def server_findings(path: str, statements: Sequence[Statement], server: SyntaxServer, *,
                    state: Path | None) -> list[Finding]:
    """AL001 for each statement the server refuses, at the line the server names (or where
    a second statement begins inside it, when that is what went wrong); and for a body the
    mariadb client would cut at its first `;` (no DELIMITER) into what the server refuses."""
    if not statements:
        return []
    cuts = {i: cut for i, s in enumerate(statements) if (cut := client_cut(s)) is not None}
    texts = [s.text for s in statements] + [statements[i].text[:c] for i, c in cuts.items()]
    verdicts = verdicts_for(texts, server, state=state)
    pieces = dict(zip(cuts, verdicts[len(statements):], strict=True))
    findings = []
    for i, (statement, verdict) in enumerate(zip(statements, verdicts[:len(statements)],
                                                  strict=True)):
        if verdict.parses:
            piece = pieces.get(i)
            if piece is not None and not piece.parses:
                findings.append(_cut_finding(path, statement, cuts[i], server, piece))
            continue
        said = f"the server does not parse it ({server.name}): {verdict.message}"
        second = second_statement(statement)
        if second is not None:
            findings.append(separator_finding(path, statement, second, said))
            continue
        line, col = statement.line + verdict.line - 1, 1
        if verdict.line <= 1:
            line, col = statement.line, statement.col
        findings.append(Finding(path, line, col, AL001, said, end_line=statement.end_line))
    return findings


def client_cut(statement: Statement) -> int | None:
    """Where the mariadb (or mysql) client would end a statement that holds a `;` with no
    DELIMITER in force: at that `;` (Stagecraft applies the statement whole)."""
    if statement.delimiter != ";" or ";" not in statement.tokens:
        return None
    return statement.offsets[statement.tokens.index(";")]


def _cut_finding(path: str, statement: Statement, cut: int, server: SyntaxServer,
                 piece: Verdict) -> Finding:
    line, col = statement.position(cut)
    return Finding(path, line, col, AL001,
                   "with no DELIMITER line, the mariadb client sends this statement only up to "
                   f"this `;`, and the server does not parse that ({server.name}): "
                   f"{piece.message}. Put `DELIMITER //` on a line before the statement, end "
                   "it with `//` and restore `DELIMITER ;` after it",
                   end_line=statement.end_line)


def separator_finding(path: str, statement: Statement, second: SecondStatement,
                      verdict: str) -> Finding:
    """A statement holding the start of another: the `;` between them is missing."""
    return Finding(path, second.line, second.col, AL001,
                   f"`{second.words}` begins another statement inside the one that starts at "
                   f"line {statement.line}: is the `;` before it missing? {verdict}",
                   end_line=statement.end_line)


def verdicts_for(texts: Sequence[str], server: SyntaxServer, *,
                 state: Path | None) -> list[Verdict]:
    """The server's verdict on each text, asking it only about texts it has not judged."""
    identity = server.identity()
    keys = [_key(identity, text) for text in texts]
    kept = _read(state)
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in kept}
    fresh: dict[str, Verdict] = {}
    if missing:
        fresh = dict(zip(missing, server.check(list(missing.values())), strict=True))
        _write(state, kept, {k: v for k, v in fresh.items() if v.checked})
    return [fresh[key] if key in fresh else kept[key] for key in keys]


def _key(identity: str, text: str) -> str:
    return hashlib.sha256(f"{_FORMAT}\0{identity}\0{text}".encode()).hexdigest()


def _read(state: Path | None) -> dict[str, Verdict]:
    if state is None:
        return {}
    try:
        data = json.loads((state / VERDICTS_FILE).read_text(encoding="utf-8"))
        return {key: Verdict(bool(parses), int(line), str(message))
                for key, (parses, line, message) in data["verdicts"].items()} \
            if data.get("format") == _FORMAT else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # only a cache: anything unreadable is asked again


def _write(state: Path | None, kept: Mapping[str, Verdict], fresh: Mapping[str, Verdict]) -> None:
    if state is None or not fresh:
        return
    merged = {**kept, **fresh}
    rows = list(merged.items())[-_KEEP:]
    data = {"format": _FORMAT,
            "verdicts": {key: [v.parses, v.line, v.message] for key, v in rows}}
    with suppress(OSError):  # only a cache: the next run asks again
        write_atomically(state / VERDICTS_FILE, json.dumps(data))
