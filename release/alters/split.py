"""Cut an alters file's text into raw statements and full-line comments (pure).

The first pass of parsing (parse.py groups what comes out into blocks): it follows
`DELIMITER` changes, keeps a compound statement's inner `;` inside it (compound.py decides),
and reports what cannot be cut: an unterminated string, identifier or comment, a `DELIMITER`
without a delimiter (AL001), a block header inside a statement (AL040). A full-line comment
outside a statement comes out as a `Comment`: it may be a block header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from release.alters import tokens as tk
from release.alters.compound import Nesting, opens_compound
from release.alters.headers import Problem, looks_like_header
from release.alters.registry import AL001, AL040

_MARKER = re.compile(r"(?:--|#|/\*)\s?")
_MAY_HOLD_BODY = ("IF", "WHILE", "REPEAT", "LOOP", "CASE", "FOR", "DECLARE", "BEGIN")
_CREATES_NO_BODY = ("TABLE", "INDEX", "UNIQUE", "DATABASE", "SCHEMA", "VIEW", "USER", "ROLE")


@dataclass
class Raw:
    """A statement as it is cut: where it starts and ends in the text, its normalized code
    pieces (what the checksum covers), the delimiter in force."""

    start: int
    end: int = 0
    normal: list[str] = field(default_factory=list)
    space: bool = False  # white space or a comment since the last code piece
    delimiter: str = ";"
    # a statement that may hold a body (see compound.py): decided at its first `;`
    nesting: Nesting | None = None
    decided: bool = False
    scanned: int = 0  # how far its text has been fed to `nesting`

    @property
    def words(self) -> list[str]:
        return "".join(self.normal[:8]).upper().split()

    def inside_body(self, text: str, delim_start: int) -> bool:
        """Whether the `;` at `delim_start` sits inside a BEGIN ... END (or IF ... END IF,
        ...) of this statement, so that it does not end the statement."""
        if not self.decided:
            self.decided, self.scanned = True, self.start
            if _may_hold_body(self.words):
                head = tk.code_tokens(text[self.start:min(delim_start, self.start + 400)])[0]
                if opens_compound([t.upper() for t in head]):
                    self.nesting = Nesting()
        if self.nesting is None:
            return False
        for token in tk.code_tokens(text[self.scanned:delim_start])[0]:
            self.nesting.feed(token.upper())
        self.nesting.feed(";")
        self.scanned = delim_start + 1
        return self.nesting.open


@dataclass
class Comment:
    """A full-line comment outside any statement, its markers stripped (`marker` is how it
    opens, as written: `-- `, `# `, `--` with no space, `/* `; headers depend on it)."""

    line: int
    col: int
    body: str
    offset: int
    delimiter: str
    marker: str = "-- "


def split(text: str, lines: tk.Lines, start: int,
          delimiter: str) -> tuple[list[Raw | Comment], list[Problem]]:
    """The statements and comments from `start` on, in order, and what could not be cut."""
    lexer = _Lexer(text, lines, delimiter)
    pos, end = start, len(text)
    while pos < end:
        restart = end
        # one finditer per delimiter: a DELIMITER command restarts it with the new pattern
        for match in tk.pattern(lexer.delimiter).finditer(text, pos):
            kind, at, value = match.lastgroup, match.start(), match.group()
            if kind == tk.OPEN:
                lexer.unterminated(at, value)
                return lexer.events, lexer.problems
            if kind == tk.WS or kind == tk.COMMENT:
                lexer.gap(at, value if kind == tk.COMMENT else "")
            elif kind == tk.DELIM:
                lexer.delimiter_token(at, match.end(), value)
            elif lexer.current is None and kind == tk.RUN and _full_line(text, at) and \
                    value[:10].upper().split()[0] == "DELIMITER":
                restart = lexer.delimiter_command(at)
                break
            elif lexer.current is None and text.startswith("--", at):
                # `--x` with no space is no comment to the server, but the mariadb client
                # drops it up to the end of its line where no statement has started yet: so
                # does the splitter (a whole line of it comes out as a comment: a `--alter:`
                # there is a header gone wrong, see headers.py)
                restart = lexer.dashes_line(at, whole=_full_line(text, at))
                break
            else:
                lexer.token(kind, at, match.end(), value)
        pos = restart
    if lexer.current is not None:
        lexer.events.append(lexer.current)  # a last statement without its delimiter still runs
    return lexer.events, lexer.problems


class _Lexer:
    """The state `split` carries between tokens: the statement being read, what was found."""

    def __init__(self, text: str, lines: tk.Lines, delimiter: str) -> None:
        self.text, self.lines, self.delimiter = text, lines, delimiter
        self.events: list[Raw | Comment] = []
        self.problems: list[Problem] = []
        self.current: Raw | None = None

    def unterminated(self, at: int, opener: str) -> None:
        line, col = self.lines.position(at)
        self.problems.append(Problem(
            AL001, line, col, f"unterminated {tk.OPENERS[opener]}: it runs to the end "
            "of the file, so nothing after it can be checked"))

    def gap(self, at: int, comment: str) -> None:
        """White space or a comment: a gap in the statement; a full-line comment outside one
        may be a block header."""
        if self.current is not None:
            self.current.space = True
        if not comment or not _full_line(self.text, at):
            return
        line, col = self.lines.position(at)
        opening = _MARKER.match(comment)
        marker = opening.group() if opening else ""
        body = comment[len(marker):].removesuffix("*/").strip()
        if marker.startswith("/*") and not looks_like_header(marker, body):
            return  # a /* */ comment is never a header; only one that tries is reported
        if self.current is None:
            self.events.append(Comment(line, col, body, at, self.delimiter, marker))
        elif looks_like_header(marker, body):
            self.problems.append(Problem(
                AL040, line, col, "block header inside the statement that starts "
                f"at line {self.lines.line(self.current.start)}: is its delimiter missing?"))

    def dashes_line(self, at: int, *, whole: bool) -> int:
        """`--` and no space, outside a statement, up to the end of its line: a comment to the
        client (`whole`: the line holds nothing else). Returns where lexing goes on."""
        eol = self.text.find("\n", at)
        end = len(self.text) if eol < 0 else eol
        if whole:
            line, col = self.lines.position(at)
            body = self.text[at + 2:end].strip()
            self.events.append(Comment(line, col, body, at, self.delimiter, "--"))
        return end

    def delimiter_token(self, at: int, after: int, value: str) -> None:
        current = self.current
        if current is not None and self.delimiter == ";" and current.inside_body(self.text, at):
            current.normal.append(value)  # a `;` inside a compound statement's body
            current.end, current.space = after, False
            return
        if current is not None:
            self.events.append(current)
            self.current = None

    def delimiter_command(self, at: int) -> int:
        """`DELIMITER x` on a line of its own; returns where lexing goes on."""
        eol = self.text.find("\n", at)
        restart = len(self.text) if eol < 0 else eol
        parts = self.text[at + len("DELIMITER"):restart].split()
        if parts:
            self.delimiter = parts[0]
        else:
            line, col = self.lines.position(at)
            self.problems.append(Problem(AL001, line, col, "DELIMITER without a new delimiter"))
        return restart

    def token(self, kind: str | None, at: int, after: int, value: str) -> None:
        if self.current is None:
            self.current = Raw(at, delimiter=self.delimiter)
        elif self.current.space:
            self.current.normal.append(" ")
            self.current.space = False
        current = self.current
        if kind == tk.RUN:
            # white space inside a run is collapsed; after it, it counts as a gap
            code = value.rstrip()
            current.end = at + len(code)
            current.normal.append(" ".join(code.split()))
            current.space = len(code) < len(value)
        else:
            current.end = after
            current.normal.append(value)


def _may_hold_body(words: list[str]) -> bool:
    """A cheap first look (most statements are ALTER TABLE): could this be compound?"""
    first, second = [*words, "", ""][:2]
    if first == "CREATE":
        return not second.startswith(_CREATES_NO_BODY)
    if first == "ALTER":
        return second.startswith(("EVENT", "DEFINER"))
    return first.startswith(_MAY_HOLD_BODY) or ":" in first + second


def _full_line(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip()
