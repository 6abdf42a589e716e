"""The demo's guided release: `release.run` through QA (with a fresh scrubbed clone of
production), the release tag, `release.run` through production, and the audit trail, each
as its own `invoke` process the way a person would type it."""

from __future__ import annotations

from pathlib import Path

from release.demo.tools import step


def run_guided_release(app: Path, *, env: dict[str, str] | None = None,
                       clone: bool = True) -> list[Path]:
    """Run the release in the application checkout `app` (its release.toml configures qa and
    production, production with ref = "tag"); `env` adds variables such as the databases'
    password variables. Returns the completed checklists it wrote."""
    step(app, "release.run", "--env", "qa", "--yes", *(("--clone",) if clone else ()),
         env=env)
    step(app, "release.tag", env=env)
    step(app, "release.run", "--env", "production", "--yes", env=env)
    step(app, "release.run", "--env", "production", env=env)  # a second run changes nothing
    step(app, "deploy.history", "--env", "production", env=env)
    runs = app / ".git" / "stagecraft" / "runs"
    return sorted(runs.glob("*.md")) + sorted(runs.glob("*.html"))
