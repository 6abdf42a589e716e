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
from typing import TYPE_CHECKING

from release.console import say
from release.demo_databases import run_databases_demo

if TYPE_CHECKING:
    from release.db.private_server import PrivateServer

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "mdcom"
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
    _step(app, "alters.lint", "--all")


def write_documents(app: Path, sandbox: Path) -> None:
    """The QA checklist and the release notes, as files a person opens in a browser."""
    checklist, notes = sandbox / "checklist-qa.html", sandbox / "release-notes.html"
    _step(app, "release.checklist", "--env", "qa", "--output", str(checklist))
    _step(app, "release.notes", "--output", str(notes))
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
        _load_dump(server, database, dump)
        (app / "mdcom_alters.sql").write_text(alters.read_text())
        env = {DEMO_PASSWORD_ENV: server.password}
        _step(app, "alters.status", "--env", "qa", env=env)
        _step(app, "alters.apply", "--env", "qa", "--yes", env=env)
        _step(app, "alters.status", "--env", "qa", env=env)
        say("Applying again runs nothing twice:")
        _step(app, "alters.apply", "--env", "qa", "--yes", env=env)


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
        text += f'\n[backups]\ndir = "{sandbox / "backups"}"\n'
    toml.write_text(text)
    database = load(app).environment("qa").database
    return database.name if database else "qatest"


def _load_dump(server: PrivateServer, database: str, dump: Path) -> None:
    from release.db.credentials import Credentials, client_option_file

    with server.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{database}`")
    creds = Credentials("qa", database, server.host, server.port, "", server.user,
                        server.password)
    with client_option_file(creds) as options, dump.open("rb") as source:
        subprocess.run(["mariadb", f"--defaults-extra-file={options}", database],
                       stdin=source, check=True, capture_output=True)


def _step(app: Path, *args: str, env: dict[str, str] | None = None) -> None:
    say(f"$ invoke {' '.join(args)}")
    result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=app,
                            env={**_env(), **(env or {})}, text=True, capture_output=True,
                            check=False)
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
