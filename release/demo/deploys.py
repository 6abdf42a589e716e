"""The deploy part of `invoke demo`: the release goes to a QA and a production "server" (two
clones of origin in the sandbox; reload = a command that records itself), then a hand edit on
production is refused, a release whose reload fails is put back by itself, and the audit
trail is shown. It runs from a deployer's clone of its own whose release.toml points at those
folders and has no database, so it works whether or not the sandbox has a MariaDB."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from release.console import say
from release.demo.tools import GIT_IDENTITY, step

TASKS_PY = "from release.tasks import ns  # noqa: F401\n"


def run_deploys_demo(sandbox: Path, origin: Path, dev: Path) -> None:
    deployer, servers = sandbox / "deployer", sandbox / "servers"
    qa, production = servers / "qa", servers / "production"
    for path in (deployer, qa, production):
        _git(sandbox, "clone", "--quiet", str(origin), str(path))
    for path in (qa, production):
        _git(path, "checkout", "--quiet", "--detach", "HEAD~1")  # what ran before this release
    (deployer / "release.toml").write_text(_configuration(qa, production, servers))
    say(f"Deploys: QA runs in {qa}, production in {production}; each reload appends to "
        f"{servers}/<env>-reloads.log. The deployer's clone is {deployer}.")
    step(deployer, "deploy.preflight", "--env", "qa")
    step(deployer, "deploy.run", "--env", "qa", "--dry-run", "--yes")
    step(deployer, "deploy.run", "--env", "qa", "--yes")
    step(deployer, "deploy.run", "--env", "production", "--yes")
    say("Someone edits a file by hand on production; the next deploy stops before touching "
        "anything and names the file:")
    (production / "views.py").write_text("def home():\n    return 'hot fix'\n")
    step(deployer, "deploy.run", "--env", "production", "--yes", expect=1)
    _git(production, "checkout", "--quiet", "--", "views.py")
    say("A commit whose reload fails (the canary's reload refuses a file named `broken`): the "
        "host is put back on what it ran and reloaded again:")
    (dev / "broken").write_text("this release cannot start\n")
    _git(dev, "add", "broken")
    _git(dev, "commit", "--quiet", "-m", "feat: a release that does not start")
    _git(dev, "push", "--quiet", "origin", "HEAD:master")
    step(deployer, "deploy.run", "--env", "canary", "--ref", "master", "--yes", expect=1)
    step(deployer, "deploy.rollback", "--env", "production", "--dry-run")
    step(deployer, "deploy.history", "--env", "qa")
    step(deployer, "deploy.history", "--env", "production")


def _configuration(qa: Path, production: Path, servers: Path) -> str:
    def reload(name: str, guard: str = "") -> str:
        return (f"reload = '{guard}echo \"reloaded $(git rev-parse --short HEAD)\" >> "
                f"{servers}/{name}-reloads.log'\n")

    return (f'[environments.qa]\npath = "{qa}"\nref = "staging"\n{reload("qa")}'
            f'[environments.production]\npath = "{production}"\nref = "tag"\n'
            f'{reload("production")}'
            f'[environments.canary]\npath = "{qa}"\nref = "master"\n'
            f'{reload("canary", "test ! -e broken && ")}')


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_IDENTITY}, check=True,
                   capture_output=True)
