"""What every host offers a deploy: run a command (in a folder, with input), run a shell
command line, answer a smoke check, and hold a lock that dies with the process."""

from __future__ import annotations

import shlex
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from release.errors import Failed, Refused

# `flock -E`: the exit status meaning "someone else holds it" (any unused code would do).
LOCK_BUSY = 75


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.code == 0

    def output(self) -> str:
        return (self.stderr.strip() or self.stdout.strip())[-1500:]

    def describe(self, command: str, *, lines: int = 5) -> str:
        """This failure as a reason: what ran, its exit code and its last lines (or that it
        printed nothing: an empty reason tells a person nothing)."""
        out = [line.strip() for line in self.output().splitlines() if line.strip()][-lines:]
        return (f"`{command}` exit {self.code}: " + " | ".join(out) if out
                else f"`{command}` exit {self.code}, printing nothing")


class HostError(Failed):
    """A host could not be reached or did not answer as expected."""


class LockBusy(Refused):
    """Another process holds the lock; the message names it."""


class Host(ABC):
    """One machine a deploy works on: this one, or an SSH target."""

    label: str  # "local" or the SSH target as configured

    @abstractmethod
    def run(self, argv: Sequence[str], *, cwd: str | None = None, stdin: str | None = None,
            timeout: float | None = None) -> Result:
        """Run a program (never through a shell: arguments are passed as they are)."""

    def shell(self, command: str, *, cwd: str, timeout: float | None = None) -> Result:
        """Run a configured command line (the reload) in a folder, as `sh -c` would."""
        return self.run(["sh", "-c", command], cwd=cwd, timeout=timeout)

    @abstractmethod
    def smoke(self, url: str, *, timeout: float) -> tuple[bool, str]:
        """Whether `url`, fetched on this host, answers 2xx or 3xx in time, and what it said."""

    @abstractmethod
    def lock(self, path: str, holder: str) -> AbstractContextManager[None]:
        """Hold an exclusive lock on the file `path` (refuse at once with LockBusy naming who
        holds it). The lock belongs to a process or session: if we die, it is released."""

    @abstractmethod
    def close(self) -> None:
        """Let go of any connection."""

    def __str__(self) -> str:
        return self.label


def holder_path(path: str) -> str:
    return path + ".holder"


def busy(path: str, who: str) -> LockBusy:
    return LockBusy(f"another deploy holds the lock {path}: {who or 'unknown holder'}. Wait for "
                    "it to finish (a killed deploy releases it by itself) and retry. Nothing "
                    "was changed.")


def quoted(argv: Sequence[str], cwd: str | None) -> str:
    line = shlex.join(argv)
    return f"cd {shlex.quote(cwd)} && {line}" if cwd else line
