"""release.demo.tools: running a task or the hook as a user would and showing it, the sandbox's
age keys, and loading SQL through a temporary option file."""

from __future__ import annotations

import stat
from pathlib import Path

import pyrage
import pytest

from release.demo.tools import hook, load_sql, new_age_identity, step
from tests.support.git import Sandbox, commit
from tests.support.mariadb import MariaDB, query


def test_a_step_shows_the_command_and_its_output_indented(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    step(sandbox.app, "staging.status")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "$ invoke staging.status"
    assert "    staging branch 'staging': local absent, origin absent" in out


def test_an_expected_failure_shows_its_exit_and_an_unexpected_one_stops_the_demo(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    step(sandbox.app, "staging.merge", expect=1)
    shown = capsys.readouterr().out
    assert "    error: staging does not exist locally or on origin" in shown
    assert shown.endswith("    (exit 1)\n\n")
    with pytest.raises(SystemExit) as stopped:
        step(sandbox.app, "staging.merge")
    assert str(stopped.value) == "demo step `invoke staging.merge` exited 1, expected 0"


def test_the_hook_runs_as_pre_commit_runs_it(sandbox: Sandbox,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from release.demo import sample

    commit(sandbox.app, "alters.sql", sample.DANGEROUS_BLOCK, "feat: carrier")
    hook(sandbox.app, "alters.sql", expect=1)
    shown = capsys.readouterr().out
    assert shown.startswith("$ release-lint-alters alters.sql\n")
    assert "AL020" in shown


def test_a_new_identity_is_private_matches_its_recipient_and_is_never_overwritten(
        tmp_path: Path) -> None:
    recipient, path = new_age_identity(tmp_path / "keys")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    identity = pyrage.x25519.Identity.from_str(path.read_text().strip())
    secret = pyrage.encrypt(b"a dump", [pyrage.x25519.Recipient.from_str(recipient)])
    assert pyrage.decrypt(secret, [identity]) == b"a dump"
    with pytest.raises(FileExistsError):
        new_age_identity(tmp_path / "keys")
    assert pyrage.decrypt(secret, [pyrage.x25519.Identity.from_str(
        path.read_text().strip())]) == b"a dump"


def test_sql_is_fed_to_the_server_as_the_given_user(
        mariadb: MariaDB, database: str) -> None:
    load_sql(mariadb.host, mariadb.port, mariadb.user, mariadb.password, database,
             "CREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);\n")
    assert query(mariadb, database, "SELECT id FROM t ORDER BY id") == [(1,), (2,)]
