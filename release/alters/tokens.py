"""The MySQL lexer under alters parsing: just enough to split statements safely.

It tells code from strings, quoted identifiers and comments (`--`, `#`, `/* */`), opens
`/*! ... */` version comments (their contents run on MySQL, so they are code), and follows
`DELIMITER` changes. It is one compiled regular expression per delimiter, so a 5 MB file
lexes in well under a second; sqlfluff's full parse (AL001) runs later, block by block.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

WS = "ws"
COMMENT = "comment"
VERSION = "version"  # /*!NNNNN ... */: executed by MySQL
STRING = "string"
QUOTED = "quoted"  # `identifier`
WORD = "word"
DELIM = "delim"
PUNCT = "punct"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


_COMMON = (
    r"(?P<ws>\s+)"
    r"|(?P<comment>(?:--(?=[ \t\r\n]|$)|\#)[^\n]*|/\*(?!!).*?\*/)"
    r"|(?P<version>/\*!.*?\*/)"
    r"|(?P<string>'(?:[^'\\]++|\\.|'')*+'|\"(?:[^\"\\]++|\\.|\"\")*+\")"
    r"|(?P<quoted>`(?:[^`]++|``)*+`)"
    r"|(?P<open>/\*|['\"`])"
)
_WORD_CHARS = "A-Za-z0-9_$@."

OPENERS = {"/*": "comment", "'": "string", '"': "string", "`": "quoted identifier"}


@lru_cache(maxsize=16)
def pattern(delimiter: str) -> re.Pattern[str]:
    escaped = re.escape(delimiter)
    word = f"[{_WORD_CHARS}]+"
    if re.match(f"[{_WORD_CHARS}]", delimiter):
        # `END$$` must end the routine at `$$`, not lex as one word
        word = f"(?:(?!{escaped})[{_WORD_CHARS}])+"
    return re.compile(
        _COMMON + f"|(?P<delim>{escaped})|(?P<word>{word})|(?P<punct>.)",
        re.DOTALL | re.MULTILINE,
    )


def scan(text: str, start: int, end: int, delimiter: str) -> Token:
    """The one token at `start` (within text[:end]) under the given delimiter."""
    match = pattern(delimiter).match(text, start, end)
    assert match is not None and match.lastgroup is not None  # `.` matches anything
    kind = match.lastgroup
    return Token(kind, match.group(), start, match.end())


def inner_tokens(version_comment: str) -> list[Token]:
    """The code tokens inside a /*!NNNNN ... */ comment (offsets relative to it)."""
    body_start = 3
    while body_start < len(version_comment) and version_comment[body_start].isdigit():
        body_start += 1
    tokens: list[Token] = []
    pos, end = body_start, len(version_comment) - 2
    while pos < end:
        token = scan(version_comment, pos, end, "\0")
        if token.kind not in (WS, COMMENT):
            tokens.append(token)
        pos = token.end
    return tokens


class Lines:
    """Offsets to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)
