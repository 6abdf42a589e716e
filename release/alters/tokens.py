"""The MySQL lexer under alters parsing: just enough to split statements safely.

It tells code from strings, quoted identifiers and comments (`--`, `#`, `/* */`), treats
`/*! ... */` version comments as code (MySQL runs them), and follows `DELIMITER` changes.

Splitting a file uses a coarse pattern that takes a whole run of plain code as one match,
so the hook can split a large file with history quickly; the rules need words, which
`code_tokens` produces, lazily, for the statements actually linted.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

WS = "ws"
COMMENT = "comment"
VERSION = "version"  # /*!NNNNN ... */: executed by MySQL
DELIM = "delim"
RUN = "run"  # plain code: words, numbers, operators, white space between them
OPEN = "open"  # a string, identifier or comment that is never closed

OPENERS = {"/*": "comment", "'": "string", '"': "string", "`": "quoted identifier"}

_COMMON = (
    r"(?P<ws>\s+)"
    r"|(?P<comment>(?:--(?=[ \t\r\n]|$)|\#)[^\n]*|/\*(?!!).*?\*/)"
    r"|(?P<version>/\*!.*?\*/)"
    r"|(?P<string>'(?:[^'\\]++|\\.|'')*+'|\"(?:[^\"\\]++|\\.|\"\")*+\")"
    r"|(?P<quoted>`(?:[^`]++|``)*+`)"
    r"|(?P<open>/\*|['\"`])"
)
_WORD_CHARS = "A-Za-z0-9_$@."

# a statement's own code tokens: no delimiter inside it (a routine's `;` is punctuation)
_FINE = re.compile(_COMMON + f"|(?P<word>[{_WORD_CHARS}]+)|(?P<punct>.)", re.DOTALL)


@lru_cache(maxsize=16)
def pattern(delimiter: str) -> re.Pattern[str]:
    """The coarse splitter for a delimiter: a run of code (white space included) stops
    only where something else may start: a quote, a comment, the delimiter."""
    escaped = re.escape(delimiter)
    stop = re.escape("'\"`#/-" + delimiter[0])
    return re.compile(
        _COMMON + f"|(?P<delim>{escaped})|(?P<run>[^{stop}]+)|(?P<punct>.)", re.DOTALL
    )


def code_tokens(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A statement's code tokens (words, punctuation, strings and identifiers with their
    quotes; /*! */ comments opened) and where each starts in `text`."""
    tokens: list[str] = []
    offsets: list[int] = []
    for match in _FINE.finditer(text):
        kind = match.lastgroup
        if kind in (WS, COMMENT):
            continue
        if kind == VERSION:
            body = re.match(r"/\*!\d*", match.group())
            inner_start = match.start() + (body.end() if body else 3)
            inner, _ = code_tokens(text[inner_start:match.end() - 2])
            tokens.extend(inner)
            offsets.extend([match.start()] * len(inner))
        else:
            tokens.append(match.group())
            offsets.append(match.start())
    return tuple(tokens), tuple(offsets)


class Lines:
    """Offsets to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)
