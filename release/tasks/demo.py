"""invoke demo."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from release.tasks._common import handled


@task(help={"path": "build the sandbox in this folder instead of a new temporary one"})
@handled
def demo(c: Any, path: str | None = None) -> None:
    """Build a sandbox (origin, application clone) and run a whole release through it."""
    from pathlib import Path

    from release.demo.story import run_demo
    from release.errors import UsageError

    where = Path(path) if path else None
    # The sandbox is built from nothing: a file or an earlier sandbox there would stop it
    # half-way.
    if where is not None and where.exists() and (not where.is_dir() or any(where.iterdir())):
        raise UsageError(f"--path {where}: {'is not empty' if where.is_dir() else 'is a file'}. "
                         "Give a new or empty folder for the demo's sandbox.")
    run_demo(where)
