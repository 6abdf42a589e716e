"""`invoke demo`: a whole release in a throwaway sandbox, driven the way a user drives it.

Builds a bare origin with a few commits on master and an application clone whose tasks.py is
the one line an application needs, then runs the tasks as separate `invoke` processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from release.console import say

TASKS_PY = "from release.tasks import ns  # noqa: F401\n"
DEMO_FILES = {
    "release.toml": (
        '[environments.qa]\npath = "/var/django_projects/mdcom"\n'
        'reload = "/etc/init.d/apache2 reload"\n'
        '[environments.qa.database]\nname = "qatest"\n'
    ),
    "alters.sql": (
        "-- alter: 2026-greeting\n-- author: demo\n"
        "CREATE TABLE greeting (id int PRIMARY KEY, text varchar(40) NULL);\n"
    ),
    "production_push_instructions.txt": (
        "Production push instructions\n-----\n\n"
        "2026-01-05: demo, run alters.sql; then clear the page cache.\n"
    ),
}
IDENTITY = {"GIT_AUTHOR_NAME": "Demo Dev", "GIT_AUTHOR_EMAIL": "dev@example.invalid",
            "GIT_COMMITTER_NAME": "Demo Dev", "GIT_COMMITTER_EMAIL": "dev@example.invalid"}


def run_demo(where: Path | None = None) -> Path:
    sandbox = where or Path(tempfile.mkdtemp(prefix="stagecraft-demo-"))
    sandbox.mkdir(parents=True, exist_ok=True)
    say(f"Stagecraft demo sandbox: {sandbox}\n")
    origin, app, dev = sandbox / "origin.git", sandbox / "app", sandbox / "developer"
    _git(sandbox, "init", "--quiet", "--bare", "--initial-branch=master", str(origin))
    _git(sandbox, "clone", "--quiet", str(origin), str(dev))
    _commit(dev, "tasks.py", TASKS_PY, "chore: add Stagecraft tasks")
    _commit(dev, "README.md", "MHLogin demo application\n", "docs: describe the application")
    _commit(dev, "views.py", "def home():\n    return 'hello'\n", "feat: home page")
    add_release_files(dev)
    _git(dev, "push", "--quiet", "origin", "master")
    _git(sandbox, "clone", "--quiet", str(origin), str(app))

    _step(app, "staging.status")
    check_alters(app)
    _step(app, "staging.create")
    say("A developer lands a fix on master.")
    _commit(dev, "views.py", "def home():\n    return 'hello, world'\n", "fix: greet the world")
    _git(dev, "push", "--quiet", "origin", "master")
    _step(app, "staging.merge", "--dry-run")
    _step(app, "staging.merge")
    _step(app, "release.tag")
    _step(app, "staging.status")
    write_documents(app, sandbox)
    say(f"Done. Look around: cd {app} && git log --oneline --decorate --all")
    return sandbox


def add_release_files(dev: Path) -> None:
    """Environments, an alters block and a push instruction, so the checklist has content."""
    for name, text in DEMO_FILES.items():
        (dev / name).write_text(text)
    _git(dev, "add", *DEMO_FILES)
    _git(dev, "commit", "--quiet", "-m", "feat: release configuration, first alter")


def check_alters(app: Path) -> None:
    """The alters file and push instructions pass the checks the pre-commit hooks make."""
    _step(app, "alters.lint", "--all")


def write_documents(app: Path, sandbox: Path) -> None:
    """The QA checklist and the release notes, as files a person opens in a browser."""
    checklist, notes = sandbox / "checklist-qa.html", sandbox / "release-notes.html"
    _step(app, "release.checklist", "--env", "qa", "--output", str(checklist))
    _step(app, "release.notes", "--output", str(notes))
    say(f"Checklist: {checklist}\nRelease notes: {notes}")


def _step(app: Path, *args: str) -> None:
    say(f"$ invoke {' '.join(args)}")
    result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=app,
                            env=_env(), text=True, capture_output=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        say(f"    {line}")
    if result.returncode != 0:
        raise SystemExit(f"demo step `invoke {' '.join(args)}` failed ({result.returncode})")
    say()


def _commit(repo: Path, name: str, text: str, message: str) -> None:
    (repo / name).write_text(text)
    _git(repo, "add", name)
    _git(repo, "commit", "--quiet", "-m", message)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=_env(), check=True, capture_output=True)


def _env() -> dict[str, str]:
    return {**os.environ, **IDENTITY}
