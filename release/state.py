"""Stagecraft's own files: where they live and how they are written.

State that belongs to one repository (run progress, explain answers, table sizes, scrub keys
when the backups folder is inside a work tree) lives in `<git common dir>/stagecraft/`: inside
.git, so no checkout, commit or `git clean` touches it, and shared by every worktree.

Every state file is written whole or not at all: a temporary file in the same folder, flushed to
disk, then renamed over the old one, so a kill at any moment leaves the previous complete file.
Every state file is checked when read (against the dataclass that describes it); one that
does not fit is reported by its path, with what is wrong and what to do, never half-used.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TypeVar

from release.errors import Damaged
from release.validation import Invalid, from_json

STATE_FOLDER = "stagecraft"
T = TypeVar("T")


def state_dir(common_dir: Path) -> Path:
    """The repository's Stagecraft folder, given its git common dir."""
    return common_dir / STATE_FOLDER


def write_atomically(path: Path, data: str | bytes, *, mode: int = 0o600) -> None:
    """Replace `path` with `data` in one step (fsynced), created with `mode` (0600: state may
    name hosts, databases and people)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def read_json(path: Path, kind: type[T], *, remedy: str) -> T | None:
    """The JSON file at `path` as a `kind`; None when there is no such file. `remedy` says
    what a person does about a damaged one (it ends the message)."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Damaged(f"{path}: cannot be read ({error.strerror}). {remedy}") from None
    return parse_json(text, kind, where=str(path), remedy=remedy)


def parse_json(text: str | bytes, kind: type[T], *, where: str, remedy: str) -> T:
    """JSON text read from `where` (a path, a host's path, a table's row) as a `kind`."""
    try:
        return from_json(kind, text)
    except Invalid as invalid:
        raise damaged(where, invalid.problems, remedy) from None


def damaged(where: str, problems: list[str], remedy: str) -> Damaged:
    """The error for state at `where` that does not fit: its first problems, and the remedy."""
    shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)"
                                       if len(problems) > 3 else "")
    return Damaged(f"{where}: damaged: {shown}. {remedy}")
