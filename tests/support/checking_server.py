"""Helpers for the AL001 tests that ask a real server: an application repository whose
`[alters] check_with` names the suite's MariaDB, the hook's AL001 findings there, and the
server's own verdict on a file, read from the real `mariadb` client."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from release.alters.check import lint_alters_paths
from release.alters.findings import Finding
from release.db.syntax_check import SYNTAX_ERRORS
from release.environment.syntax import syntax_servers
from tests.support.git import git
from tests.support.mariadb import MariaDB, fresh_database
from tests.support.toml import Alters, Database, Environment, release_toml, use_credentials

_ERROR = re.compile(r"^ERROR (\d+) \(\w+\) at line (\d+)", re.M)


def checked_repo(tmp_path: Path, mariadb: MariaDB, database: str,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose release.toml has the `dev` environment's server check AL001."""
    repo = tmp_path / "app"
    git(tmp_path, "init", "--quiet", "--initial-branch=master", str(repo))
    use_credentials(monkeypatch, mariadb)
    (repo / "release.toml").write_text(release_toml(
        [Environment("dev", database=Database.on(mariadb, database))],
        alters=Alters(check_with="dev")))
    return repo


def al001(repo: Path, files: Sequence[Path], *, use_server: bool = True) -> list[Finding]:
    """The AL001 findings `alters.lint --all` (and the hook) report on the files."""
    with syntax_servers(use_server=use_server) as choose:
        found = lint_alters_paths(files, cwd=repo, all_blocks=True, dialect="mariadb",
                                  server=choose)
    return [f for f in found if f.code == "AL001"]


def client_parse_errors(mariadb: MariaDB, path: Path) -> list[str]:
    """The server's verdict on a file: every statement run by the real mariadb client in a
    fresh database (--force goes on after errors); the parse errors it met, by line."""
    with fresh_database(mariadb, "stagecraft_client") as database, path.open("rb") as source:
        result = subprocess.run(
            ["mariadb", f"--socket={mariadb.socket}", "--user=root", "--force",
             "--local-infile=0", "--default-character-set=utf8mb4", database],
            stdin=source, capture_output=True, check=False, timeout=120)
    said = result.stderr.decode("utf-8", "replace")
    return [f"line {line}: error {code}" for code, line in _ERROR.findall(said)
            if int(code) in SYNTAX_ERRORS]
