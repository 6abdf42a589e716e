"""Shared fixtures: real git repositories (a bare origin and clones), a real MariaDB, and the
client's files when they are at hand.

The MariaDB server is started by the suite itself in a temporary folder (pytest-mysql's
process fixture with Debian's mariadbd), on a free port so parallel runs do not collide.

The suite stands on the sample application (release.demo.sample). The client's real files are
a corpus some tests also run on: the folder named by STAGECRAFT_CLIENT_FILES (default
../shared/fixtures/mdcom beside the repository, when it exists). Without it those tests, and
only those, are skipped, with one line saying so.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pymysql
import pytest
from pytest_mysql import factories

if TYPE_CHECKING:
    from tests.db.templates import Templates

CLIENT_FILES_ENV = "STAGECRAFT_CLIENT_FILES"
CLIENT_SKIP = (f"the client's files are not here: set {CLIENT_FILES_ENV} to their folder "
               "to run the client-corpus tests")


def _client_files() -> Path | None:
    named = os.environ.get(CLIENT_FILES_ENV)
    folder = (Path(named) if named
              else Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "mdcom")
    return folder if (folder / "alters.sql").is_file() else None


CLIENT_FILES = _client_files()
IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.invalid",
    "GIT_COMMITTER_NAME": "Test Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.invalid",
}

mariadb_proc = factories.mysql_proc(port=None)


@pytest.fixture
def client_files() -> Path:
    """The client's folder (alters.sql, mhlogin_dump.sql, ...); the test is skipped without."""
    if CLIENT_FILES is None:
        pytest.skip(CLIENT_SKIP)
    return CLIENT_FILES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line for the client-corpus skips; any other skip (there should be none) in full."""
    skipped = terminalreporter.stats.get("skipped", [])
    corpus = [report for report in skipped if CLIENT_SKIP in str(report.longrepr)]
    if corpus:
        terminalreporter.write_line(f"{len(corpus)} client-corpus test(s) skipped: set "
                                    f"{CLIENT_FILES_ENV} to the client's files to run them")
    for report in skipped:
        if report not in corpus:
            terminalreporter.write_line(f"SKIPPED {report.nodeid}: {report.longrepr}")


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No global git config leaks in, and commits have a fixed identity."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


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


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return make_sandbox(tmp_path)


@dataclass(frozen=True)
class MariaDB:
    """The suite's server, reached over TCP by a password user (as a deploy user would be)."""

    host: str
    port: int
    user: str
    password: str
    socket: str

    def connect(self, database: str | None = None) -> pymysql.connections.Connection[
            pymysql.cursors.Cursor]:
        return pymysql.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, database=database, autocommit=True)


@pytest.fixture(scope="session")
def mariadb(mariadb_proc: object) -> MariaDB:
    socket = str(mariadb_proc.unixsocket)  # type: ignore[attr-defined]
    password = secrets.token_urlsafe(16)
    # root@localhost authenticates by unix socket only, and the anonymous users would shadow a
    # '%' user from localhost; make a password user for the tests,
    # sending the statement on stdin so the password is never on a command line.
    subprocess.run(
        ["mariadb", f"--socket={socket}", "--user=root"],
        input=("DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;\n"
               + "".join(f"CREATE USER 'stagecraft'@'{host}' IDENTIFIED BY '{password}';\n"
                         f"GRANT ALL PRIVILEGES ON *.* TO 'stagecraft'@'{host}' "
                         "WITH GRANT OPTION;\n"
                         for host in ("%", "localhost"))),
        text=True, check=True, capture_output=True,
    )
    return MariaDB(host="127.0.0.1", port=int(mariadb_proc.port),  # type: ignore[attr-defined]
                   user="stagecraft", password=password, socket=socket)


@pytest.fixture(scope="session")
def templates(mariadb: MariaDB) -> Templates:
    """Production data loaded once per session (per xdist worker), copied into each test's."""
    from tests.db.templates import Templates

    return Templates(mariadb)


@contextmanager
def fresh_database(mariadb: MariaDB, prefix: str = "stagecraft") -> Iterator[str]:
    """A new, empty database (never MariaDB's own `test`), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}`")
    try:
        yield name
    finally:
        with mariadb.connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def database(mariadb: MariaDB) -> Iterator[str]:
    with fresh_database(mariadb) as name:
        yield name


@pytest.fixture(scope="session")
def django_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interpreter with Django 5.2 and PyMySQL (built once per run when not prebuilt)."""
    from tests.support.django_env import django_python as build

    return build(tmp_path_factory)
