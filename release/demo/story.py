"""`invoke demo`: a whole release in a throwaway sandbox, driven the way a user drives it.

Builds a bare origin with a few commits on master and an application clone whose tasks.py is
the one line an application needs, then runs the tasks as separate `invoke` processes.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from release.console import say
from release.demo import sample
from release.demo.databases import run_databases_demo
from release.demo.deploys import run_deploys_demo
from release.demo.guided import LEGACY_NOT_NULL, run_guided_demo
from release.demo.sample.application import write_application
from release.demo.tools import GIT_IDENTITY, MISSING_MARIADB, hook, load_sql, new_age_identity, step

if TYPE_CHECKING:
    from release.db.throwaway import PrivateServer

DEMO_PASSWORD_ENV = "STAGECRAFT_DEMO_QA_PASSWORD"
TASKS_PY = "from release.tasks import ns  # noqa: F401\n"
DEMO_FILES = {
    "release.toml": (
        '[environments.qa]\npath = "/var/django_projects/mdcom"\n'
        'reload = "/etc/init.d/apache2 reload"\n'
        '[environments.qa.database]\nname = "qatest"\n\n' + sample.checklist_toml()
    ),
    "alters.sql": sample.alters_sql(),
    "production_push_instructions.txt": sample.push_instructions(),
}


def run_demo(where: Path | None = None) -> Path:
    sandbox = where or Path(tempfile.mkdtemp(prefix="stagecraft-demo-"))
    sandbox.mkdir(parents=True, exist_ok=True)
    say(f"Stagecraft demo sandbox: {sandbox}\n")
    origin, app, dev = sandbox / "origin.git", sandbox / "app", sandbox / "developer"
    _git(sandbox, "init", "--quiet", "--bare", "--initial-branch=master", str(origin))
    _git(sandbox, "clone", "--quiet", str(origin), str(dev))
    _commit(dev, "tasks.py", TASKS_PY, "chore: add Stagecraft tasks")
    _commit(dev, "README.md", "Pagewell: clinic messaging and paging\n",
            "docs: describe the application")
    _commit(dev, "views.py", "def home():\n    return 'hello'\n", "feat: home page")
    add_application(dev)
    add_release_files(dev)
    _git(dev, "push", "--quiet", "origin", "master")
    _git(sandbox, "clone", "--quiet", str(origin), str(app))

    step(app, "staging.status")
    check_alters(app)
    step(app, "staging.create")
    say("A developer lands a fix on master.")
    _commit(dev, "views.py", "def home():\n    return 'hello, world'\n", "fix: greet the world")
    _git(dev, "push", "--quiet", "origin", "master")
    step(app, "staging.merge", "--dry-run")
    step(app, "staging.merge")
    step(app, "release.tag")
    step(app, "staging.status")
    write_documents(app, sandbox)
    hook_demo(dev)
    run_deploys_demo(sandbox, origin, dev)
    _alters_demo(sandbox, app)
    run_databases_demo(sandbox)
    run_guided_demo(sandbox, origin, dev)
    say(f"Done. Look around: cd {app} && git log --oneline --decorate --all")
    return sandbox


def add_release_files(dev: Path) -> None:
    """Environments, an alters block and a push instruction, so the checklist has content."""
    for name, text in DEMO_FILES.items():
        (dev / name).write_text(text)
    _git(dev, "add", *DEMO_FILES)
    _git(dev, "commit", "--quiet", "-m", "feat: release configuration, first alter")


def add_application(dev: Path) -> None:
    """The application's Django project (its models match the sample database's tables)."""
    (dev / ".gitignore").write_text("__pycache__/\n")
    _git(dev, "add", ".gitignore", *write_application(dev))
    _git(dev, "commit", "--quiet", "-m", "feat: the Pagewell Django project")


def check_alters(app: Path) -> None:
    """The application's alters history, linted whole: its BEGIN/COMMIT wrapper protects no DDL
    and one old block adds a NOT NULL column without a default."""
    say("The alters history as the team kept it, checked by Stagecraft:")
    step(app, "alters.lint", "--all", expect=1)


def hook_demo(dev: Path) -> None:
    """A new block through the pre-commit hook: the dangerous one is refused, the fix passes.
    The released history is not linted again, and the wrapper goes (Stagecraft applies and
    records each statement itself)."""
    _git(dev, "fetch", "--quiet", "--tags", "origin")
    alters = dev / "alters.sql"
    history = alters.read_text()
    unwrapped = history.removeprefix("BEGIN;\n").rstrip().removesuffix("COMMIT;").rstrip()
    say("A developer adds a column for the next release; the pre-commit hook checks it.")
    alters.write_text(f"{unwrapped}\n\n{sample.DANGEROUS_BLOCK}")
    hook(dev, "alters.sql", expect=1)
    alters.write_text(f"{unwrapped}\n\n{sample.SAFE_BLOCK}")
    hook(dev, "alters.sql")
    _commit(dev, "alters.sql", alters.read_text(), "feat: pager carrier column")


def write_documents(app: Path, sandbox: Path) -> None:
    """The QA checklist and the release notes, as files a person opens in a browser."""
    checklist, notes = sandbox / "checklist-qa.html", sandbox / "release-notes.html"
    step(app, "release.checklist", "--env", "qa", "--output", str(checklist))
    step(app, "release.notes", "--output", str(notes))
    say(f"Checklist: {checklist}\nRelease notes: {notes}")


def _alters_demo(sandbox: Path, app: Path) -> None:
    """The alters file applied to a private MariaDB loaded with the sample's database."""
    from release.db import throwaway as private_server
    if not private_server.available():
        say(MISSING_MARIADB)
        return
    say("QA's database: a private MariaDB in the sandbox, loaded with the sample application's "
        "production data; release.toml points qa at it.")
    with private_server.private_server(sandbox / "mariadb") as server:
        database = _point_qa_at(server, app, sandbox)
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{database}`")
        load_sql(server.host, server.port, server.user, server.password, database,
                 sample.database_sql())
        env = {DEMO_PASSWORD_ENV: server.password}
        step(app, "alters.status", "--env", "qa", env=env)
        say("alters.apply lints what it is about to run: the old NOT NULL column stops it.")
        step(app, "alters.apply", "--env", "qa", "--yes", env=env, expect=1)
        say("The team decides the column is meant and puts that on record (-- noqa: AL020). "
            "alters.apply reads the files at the ref QA runs (staging) and says the working "
            "tree differs; --from-worktree applies the edit before it is committed (a hotfix):")
        alters = app / "alters.sql"
        alters.write_text(alters.read_text().replace(
            LEGACY_NOT_NULL, f"{LEGACY_NOT_NULL}  -- noqa: AL020"))
        step(app, "alters.apply", "--env", "qa", "--yes", "--from-worktree", env=env)
        step(app, "alters.status", "--env", "qa", "--from-worktree", env=env)
        say("Applying again runs nothing twice:")
        step(app, "alters.apply", "--env", "qa", "--yes", "--from-worktree", env=env)


def _point_qa_at(server: PrivateServer, app: Path, sandbox: Path) -> str:
    from release.config import load

    toml = app / "release.toml"
    text = toml.read_text() if toml.is_file() else ""
    header = "[environments.qa.database]\n"
    settings = (f'host = "{server.host}"\nport = {server.port}\nuser = "{server.user}"\n'
                f'password_env = "{DEMO_PASSWORD_ENV}"\n')
    if header in text:
        text = text.replace(header, header + settings)
    else:
        text += f'\n{header}name = "qatest"\n{settings}'
    if "[backups]" not in text:
        recipient, _ = new_age_identity(sandbox / "keys")
        text += f'\n[backups]\ndir = "{sandbox / "backups"}"\nrecipients = ["{recipient}"]\n'
    toml.write_text(text)
    database = load(app).environment("qa").database
    return database.name if database else "qatest"


def _commit(repo: Path, name: str, text: str, message: str) -> None:
    (repo / name).write_text(text)
    _git(repo, "add", name)
    _git(repo, "commit", "--quiet", "-m", message)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=_env(), check=True, capture_output=True)


def _env() -> dict[str, str]:
    return {**os.environ, **GIT_IDENTITY}
