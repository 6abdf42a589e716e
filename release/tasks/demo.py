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

    run_demo(Path(path) if path else None)
