"""The one exception family: every expected failure carries a message for a person and an exit code.

Exit codes (SPEC): 0 done; 1 refused or failed; 2 bad usage or configuration;
3 stopped in an uncertain state that needs a person.
"""

from __future__ import annotations

OK = 0
REFUSED = 1
USAGE = 2
UNCERTAIN = 3


class ReleaseError(Exception):
    """A failure a person can act on: what happened, why, and what to do next."""

    exit_code = REFUSED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Refused(ReleaseError):
    """The tool would not do it (unsafe, or preconditions unmet); nothing was changed."""

    exit_code = REFUSED


class Failed(ReleaseError):
    """An operation was attempted and failed; the message says what state it left."""

    exit_code = REFUSED


class Damaged(Failed):
    """A file (or row) Stagecraft wrote earlier no longer has its shape; the message names it,
    what is wrong, and how to get past it."""

    exit_code = REFUSED


class UsageError(ReleaseError):
    """Bad arguments or configuration."""

    exit_code = USAGE


class ConfigError(UsageError):
    """release.toml (or [tool.release]) is wrong; the message names the file and the key path."""


class Uncertain(ReleaseError):
    """Stopped in a state that a person must settle; the message names the command to do it."""

    exit_code = UNCERTAIN
