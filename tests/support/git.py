"""The git sandbox: a bare origin with three commits on master, the application's clone (where
`invoke` runs, as a user's would) and a developer's clone that lands work on master; and the
small git helpers every test shares."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.invalid",
    "GIT_COMMITTER_NAME": "Test Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.invalid",
}


def isolated_environment(folder: Path) -> dict[str, str]:
    """Variables that keep the machine's git configuration out and fix the commit identity."""
    return {"GIT_CONFIG_GLOBAL": str(folder / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
            **IDENTITY}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit(repo: Path, name: str, text: str, message: str) -> str:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    git(repo, "add", name)
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


@dataclass
class Sandbox:
    origin: Path
    app: Path
    dev: Path

    def invoke(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run `invoke` as a user would, in the application clone."""
        return subprocess.run(
            [sys.executable, "-m", "invoke", *args],
            cwd=cwd or self.app, capture_output=True, text=True, stdin=subprocess.DEVNULL,
            env={**os.environ}, check=False,
        )

    def land_on_master(self, name: str, text: str, message: str) -> str:
        sha = commit(self.dev, name, text, message)
        git(self.dev, "push", "--quiet", "origin", "HEAD:master")
        return sha


def make_sandbox(tmp: Path) -> Sandbox:
    """A bare origin with three commits on master, an application clone and a developer clone."""
    origin, app, dev = tmp / "origin.git", tmp / "app", tmp / "dev"
    git(tmp, "init", "--quiet", "--bare", "--initial-branch=master", str(origin))
    git(tmp, "clone", "--quiet", str(origin), str(dev))
    commit(dev, "tasks.py", "from release.tasks import ns  # noqa: F401\n", "chore: tasks")
    commit(dev, "app.py", "print('v1')\n", "feat: first version")
    commit(dev, "alters.sql", "", "chore: empty alters")
    git(dev, "push", "--quiet", "origin", "master")
    git(tmp, "clone", "--quiet", str(origin), str(app))
    return Sandbox(origin=origin, app=app, dev=dev)
