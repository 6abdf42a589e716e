"""Stagecraft's own files: where they live and how they are written.

State that belongs to one repository (run progress, explain answers, table sizes, scrub keys
when the backups folder is inside a work tree) lives in `<git common dir>/stagecraft/`: inside
.git, so no checkout, commit or `git clean` touches it, and shared by every worktree.

Every state file is written whole or not at all: a temporary file in the same folder, flushed to
disk, then renamed over the old one, so a kill at any moment leaves the previous complete file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

STATE_FOLDER = "stagecraft"


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
