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
from release.demo.databases import run_databases_demo
from release.demo.deploys import run_deploys_demo
from release.demo.tools import FIXTURES, GIT_IDENTITY, load_sql, new_age_identity, step

if TYPE_CHECKING:
    from release.db.private_server import PrivateServer

DEMO_PASSWORD_ENV = "STAGECRAFT_DEMO_QA_PASSWORD"
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
    run_deploys_demo(sandbox, origin, dev)
    _alters_demo(sandbox, app)
    run_databases_demo(sandbox)
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
    step(app, "alters.lint", "--all")


def write_documents(app: Path, sandbox: Path) -> None:
    """The QA checklist and the release notes, as files a person opens in a browser."""
    checklist, notes = sandbox / "checklist-qa.html", sandbox / "release-notes.html"
    step(app, "release.checklist", "--env", "qa", "--output", str(checklist))
    step(app, "release.notes", "--output", str(notes))
    say(f"Checklist: {checklist}\nRelease notes: {notes}")


def _alters_demo(sandbox: Path, app: Path) -> None:
    """The client's alters.sql applied to a private MariaDB loaded with its database dump."""
    from release.db import private_server

    dump, alters = FIXTURES / "mhlogin_dump.sql", FIXTURES / "alters.sql"
    if not private_server.available() or not dump.is_file() or not alters.is_file():
        say(f"(Skipping the alters demo: it needs mariadb-server installed and the client's "
            f"files in {FIXTURES}.)\n")
        return
    say("QA's database: a private MariaDB in the sandbox, loaded from the client's "
        "mhlogin_dump.sql; release.toml points qa at it, and the client's alters.sql ships "
        "as mdcom_alters.sql.")
    with private_server.private_server(sandbox / "mariadb") as server:
        database = _point_qa_at(server, app, sandbox)
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{database}`")
        load_sql(server.host, server.port, server.user, server.password, database, dump)
        (app / "mdcom_alters.sql").write_text(alters.read_text())
        env = {DEMO_PASSWORD_ENV: server.password}
        step(app, "alters.status", "--env", "qa", env=env)
        step(app, "alters.apply", "--env", "qa", "--yes", env=env)
        step(app, "alters.status", "--env", "qa", env=env)
        say("Applying again runs nothing twice:")
        step(app, "alters.apply", "--env", "qa", "--yes", env=env)


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
    if "[alters]" not in text:
        text += '\n[alters]\nfiles = ["alters.sql", "mdcom_alters.sql"]\n'
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
