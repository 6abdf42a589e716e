"""The suite's fixtures, thin over the builders in tests/support: git isolation for every test,
the git sandbox, the suite's MariaDB and fresh databases on it, production data from session
templates, the sshd on 127.0.0.1, and the client's files when they are at hand.

The MariaDB server is started by the suite itself in a temporary folder (pytest-mysql's
process fixture with Debian's mariadbd), on a free port so parallel runs do not collide.

The suite stands on the sample application (release.demo.sample). The client's real files are
a corpus some tests also run on (tests/support/corpus.py); without them those tests, and only
those, are skipped, with one line saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_mysql import factories

from tests.support.corpus import CLIENT_FILES, CLIENT_FILES_ENV, CLIENT_SKIP, SAMPLE
from tests.support.git import Sandbox, isolated_environment, make_sandbox
from tests.support.mariadb import MariaDB, fresh_database
from tests.support.production import Setup, make_setup
from tests.support.release import build_release
from tests.support.sshd import Sshd, running_sshd
from tests.support.templates import Templates

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
    for key, value in isolated_environment(tmp_path).items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return make_sandbox(tmp_path)


@pytest.fixture(scope="module")
def shared_release(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    """One sandbox release (tests/support/release.py) for a module's read-only tests: building
    it takes seconds."""
    return build_release(tmp_path_factory.mktemp("release"))


@pytest.fixture(scope="session")
def mariadb(mariadb_proc: object) -> MariaDB:
    return MariaDB.with_test_user(socket=str(mariadb_proc.unixsocket),  # type: ignore[attr-defined]
                                  port=int(mariadb_proc.port))  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def templates(mariadb: MariaDB) -> Templates:
    """Production data loaded once per session (per xdist worker), copied into each test's."""
    return Templates(mariadb)


@pytest.fixture
def database(mariadb: MariaDB) -> Iterator[str]:
    with fresh_database(mariadb) as name:
        yield name


@pytest.fixture(scope="session")
def django_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interpreter with Django 5.2 and PyMySQL (built once per run when not prebuilt)."""
    from tests.support.django_env import django_python as build

    return build(tmp_path_factory)


@pytest.fixture
def qa_database(mariadb: MariaDB) -> Iterator[str]:
    with fresh_database(mariadb, "stagecraft_qa") as name:
        yield name


@pytest.fixture
def setup(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
          templates: Templates, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """`production` holds the sample application's database; `qa` is empty; dumps go to
    tmp/backups."""
    return make_setup(tmp_path, mariadb, database, qa_database, templates, monkeypatch, SAMPLE)


@pytest.fixture(scope="session")
def sshd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    with running_sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture
def sshd(sshd_server: Sshd, monkeypatch: pytest.MonkeyPatch) -> Sshd:
    """The server, with HOME pointing at its client folder and known_hosts holding its key."""
    sshd_server.as_client(monkeypatch)
    return sshd_server
