"""What a client tool printed, kept in memory and made fit to quote in a message.

A tool's stderr can echo the statement it choked on (`near '...'`, `Duplicate entry '...'`),
and in a copy or a restore that statement is production's rows: the output is read through a
pipe into a bounded buffer (never a file a killed run would leave behind), and a message
quotes only its last lines with every quoted literal masked. Identifiers (a table, a key, a
user) stay: they say where the failure is without saying anything about a person.
"""

from __future__ import annotations

import re
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import IO

KEEP_BYTES = 1 << 16
LINES = 5
LINE_CHARS = 300
MASK = "'…'"

# Lines a tool writes about itself; anything else (the client's echo of the statement that
# failed, between lines of dashes) may be a row and is never quoted.
_MESSAGE = re.compile(r"^(?:ERROR|Error|WARNING|Warning|Got error|[\w./-]*(?:mariadb|mysql)"
                      r"[\w.-]*:)")
_NEAR = re.compile(r"near '.*' at line (\d+)", re.DOTALL)
_QUOTED = re.compile(r"(?<!\w)'(?:[^'\\]|\\.|'')*(?:'|$)", re.DOTALL)
# A quoted word right after one of these names a thing, not a value.
_NAMES = re.compile(r"(?:key|table|database|column|user|schema|trigger|view|function|"
                    r"procedure|variable|option|file|index|constraint|Table|Unknown database"
                    r"|@)\s*$", re.IGNORECASE)
_IDENTIFIER = re.compile(r"'[A-Za-z0-9_$.%\-]{1,64}'")


@dataclass
class Tail:
    """The last KEEP_BYTES a stream printed, read by a thread so the tool never blocks."""

    source: IO[bytes]
    chunks: deque[bytes] = field(default_factory=deque)
    size: int = 0
    thread: threading.Thread | None = None

    @classmethod
    def reading(cls, source: IO[bytes]) -> Tail:
        tail = cls(source)
        tail.thread = threading.Thread(target=tail._read, name="stagecraft-stderr", daemon=True)
        tail.thread.start()
        return tail

    def _read(self) -> None:
        try:
            while block := self.source.read1(1 << 14):  # type: ignore[attr-defined]
                self.chunks.append(block)
                self.size += len(block)
                while self.size > KEEP_BYTES and len(self.chunks) > 1:
                    self.size -= len(self.chunks.popleft())
        except (OSError, ValueError):
            return  # the pipe was closed under us: what was read is what there is

    def finish(self) -> None:
        if self.thread is not None:
            self.thread.join(timeout=5)

    def text(self) -> str:
        return b"".join(self.chunks)[-KEEP_BYTES:].decode(errors="replace")


def masked(text: str) -> str:
    """`text` with every quoted literal replaced by '…', unless it names a thing."""

    def one(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 24):match.start()]
        if _NAMES.search(before) and _IDENTIFIER.fullmatch(match.group(0)):
            return match.group(0)
        if text[match.end():match.end() + 1] == "@" and _IDENTIFIER.fullmatch(match.group(0)):
            return match.group(0)
        return MASK

    return _QUOTED.sub(one, text)


def reason(text: str, *, lines: int = LINES, messages_only: bool = True) -> str:
    """The last `lines` lines of a tool's output fit for a message, or a note that it printed
    nothing (an empty reason tells a person nothing). With `messages_only`, only the lines
    the tool writes about itself (ERROR ..., mariadb: ...) are kept."""
    every = [line.strip() for line in _NEAR.sub(r"near '…' at line \1", text).splitlines()
             if line.strip()]
    kept = [masked(line)[:LINE_CHARS] for line in every
            if not messages_only or _MESSAGE.match(line)]
    if not kept:
        return (f"it printed {len(every)} line(s), not shown: they may hold rows" if every
                else "it printed no reason")
    return " | ".join(kept[-lines:]) if lines <= LINES else "\n".join(kept[-lines:])


def ended(code: int) -> str:
    """How a process ended, from its exit status: `exit 1` or `killed by SIGINT`."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code}"
