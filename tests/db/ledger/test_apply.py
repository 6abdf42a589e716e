"""alters.status / apply / baseline / resolve, run as a user runs them, on the suite's MariaDB."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from release.demo import sample
from tests.support.corpus import client_alters
from tests.support.git import Sandbox, git
from tests.support.ledger import backup_text, configure, silenced
from tests.support.mariadb import MariaDB, load_client_dump, query
from tests.support.templates import Templates
from tests.support.toml import PASSWORD_ENV

THREE_BLOCKS = """\
-- alter: add-a
ALTER TABLE t ADD COLUMN a int NULL;

-- alter: add-b
ALTER TABLE t ADD COLUMN b int NULL;
ALTER TABLE t ADD COLUMN {second} int NULL;
ALTER TABLE t ADD COLUMN c int NULL;

-- alter: fill
UPDATE t SET a = 1 WHERE id = 1;
"""


@pytest.fixture
def table_t(mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (id int PRIMARY KEY, name varchar(20)) ENGINE=InnoDB")
        cur.execute("INSERT INTO t VALUES (1, 'one'), (2, 'two')")


def ledger(mariadb: MariaDB, database: str) -> dict[str, str]:
    rows = query(mariadb, database, "SELECT block_id, position, status FROM release_alters")
    return {f"{b}#{p}": str(s) for b, p, s in rows}


def columns(mariadb: MariaDB, database: str, table: str) -> list[str]:
    return [str(r[0]) for r in query(mariadb, database, f"SHOW COLUMNS FROM `{table}`")]


def test_sample_alters_apply_once_and_a_second_apply_runs_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str, templates: Templates,
        monkeypatch: pytest.MonkeyPatch) -> None:
    templates.copy("sample", database)
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": silenced(sample.alters_sql())})

    first = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert first.returncode == 0, first.stderr
    assert "Applied 10 statement(s)" in first.stdout
    assert "file-level BEGIN/COMMIT is not applied" in first.stdout
    assert "insurance_id" in columns(mariadb, database, "patients_patient")
    assert "source" in columns(mariadb, database, "messaging_optout")
    assert query(mariadb, database, "SELECT COUNT(*) FROM billing_account "
                                    "WHERE plan = 'plus'") == [(0,)]
    assert set(ledger(mariadb, database).values()) == {"applied"}
    assert len(ledger(mariadb, database)) == 10

    status = sandbox.invoke("alters.status", "--env", "qa", "--json")
    report = json.loads(status.stdout)
    assert {b["state"] for b in report["blocks"]} == {"applied"}
    assert report["pending_statements"] == []

    second = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert second.returncode == 0, second.stderr
    assert "Nothing to apply" in second.stdout
    ((before, after),) = query(mariadb, database, "SELECT backup_before, backup_after "
                                                  "FROM release_alters_runs")
    assert b"`insurance_id`" not in backup_text(sandbox, Path(str(before)))
    assert b"`insurance_id`" in backup_text(sandbox, Path(str(after)))


def test_client_alters_apply_once_and_a_second_apply_runs_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str, client_files: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    load_client_dump(mariadb, database, client_files)
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": silenced(client_alters(client_files))})

    first = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert first.returncode == 0, first.stderr
    assert "Applied 27 statement(s)" in first.stdout
    assert "file-level BEGIN/COMMIT is not applied" in first.stdout
    assert "title" in columns(mariadb, database, "MHLUsers_mhluser")
    assert set(ledger(mariadb, database).values()) == {"applied"}
    assert len(ledger(mariadb, database)) == 27

    status = sandbox.invoke("alters.status", "--env", "qa", "--json")
    report = json.loads(status.stdout)
    assert {b["state"] for b in report["blocks"]} == {"applied"}
    assert report["pending_statements"] == []

    second = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert second.returncode == 0, second.stderr
    assert "Nothing to apply" in second.stdout
    runs = query(mariadb, database, "SELECT result, backup_before, backup_after "
                                    "FROM release_alters_runs")
    assert len(runs) == 1
    result, before, after = runs[0]
    assert result == "applied"
    assert Path(str(before)).is_file() and Path(str(after)).is_file()
    assert Path(str(before)).name.endswith("-before-alters.sql.zst.age")
    assert b"CREATE TABLE `Partners_partner`" in backup_text(sandbox, Path(str(before)))
    assert b"CREATE TABLE `Partners_partner`" not in backup_text(sandbox, Path(str(after)))


def test_dry_run_prints_the_plan_and_creates_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b2")})
    result = sandbox.invoke("alters.apply", "--env", "qa", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would run: add-b#2 (alters.sql:6, ddl): ALTER TABLE t ADD COLUMN b2" in result.stdout
    assert query(mariadb, database, "SHOW TABLES") == [("t",)]


def test_apply_without_yes_and_without_a_terminal_changes_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b2")})
    result = sandbox.invoke("alters.apply", "--env", "qa")
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert columns(mariadb, database, "t") == ["id", "name"]


def test_a_block_edited_after_applying_is_reported_changed_and_refused(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b2")})
    assert sandbox.invoke("alters.apply", "--env", "qa", "--yes").returncode == 0
    edited = THREE_BLOCKS.format(second="b2").replace("b int NULL", "b bigint NULL")
    (sandbox.app / "alters.sql").write_text(edited + "-- alter: new\nDELETE FROM t WHERE id = 2;\n")

    status = sandbox.invoke("alters.status", "--env", "qa")
    assert "changed" in status.stdout and "add-b" in status.stdout
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 1
    assert "add-b (alters.sql:4): edited after it was applied" in result.stderr
    assert "Traceback" not in result.stderr
    assert query(mariadb, database, "SELECT COUNT(*) FROM t") == [(2,)]


def test_a_failing_statement_stops_the_run_and_the_ledger_says_exactly_what_ran(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b")})  # adds b twice
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 1
    assert "statement add-b#2 of block add-b (alters.sql:6) failed: error 1060" in result.stderr
    assert "Duplicate column name 'b'" in result.stderr
    assert "Applied by this run before it: add-a#1, add-b#1." in result.stderr
    assert "The backup taken before this run: " in result.stderr
    assert ledger(mariadb, database) == {"add-a#1": "applied", "add-b#1": "applied",
                                         "add-b#2": "failed"}
    assert columns(mariadb, database, "t") == ["id", "name", "a", "b"]
    status = sandbox.invoke("alters.status", "--env", "qa")
    assert "failed" in status.stdout and "Duplicate column" in status.stdout

    (sandbox.app / "alters.sql").write_text(THREE_BLOCKS.format(second="b2"))
    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert again.returncode == 0, again.stderr
    assert "applied add-a#1" not in again.stdout and "applied add-b#2" in again.stdout
    assert columns(mariadb, database, "t") == ["id", "name", "a", "b", "b2", "c"]
    assert query(mariadb, database, "SELECT a FROM t WHERE id = 1") == [(1,)]
    final = json.loads(sandbox.invoke("alters.status", "--env", "qa", "--json").stdout)
    assert {b["block"]: b["state"] for b in final["blocks"]} == {
        "add-a": "applied", "add-b": "applied", "fill": "applied"}


def test_baseline_records_blocks_without_running_them(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("ALTER TABLE t ADD COLUMN a int NULL")  # applied by hand, long ago
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b2")})
    dry = sandbox.invoke("alters.baseline", "--env", "qa", "--through", "add-a", "--dry-run")
    assert dry.returncode == 0 and "add-a#1" in dry.stdout and "add-b#1" not in dry.stdout
    result = sandbox.invoke("alters.baseline", "--env", "qa", "--through", "add-a", "--yes")
    assert result.returncode == 0, result.stderr
    assert ledger(mariadb, database) == {"add-a#1": "baseline"}

    applied = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert columns(mariadb, database, "t") == ["id", "name", "a", "b", "b2", "c"]
    unknown = sandbox.invoke("alters.baseline", "--env", "qa", "--through", "nope", "--yes")
    assert unknown.returncode == 1 and "no block 'nope'" in unknown.stderr


def test_a_started_statement_stops_with_exit_3_until_resolved(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b2")})
    assert sandbox.invoke("alters.apply", "--env", "qa", "--yes").returncode == 0
    # What a run killed during add-b#2 leaves: its row `started`, the rest not yet run.
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("UPDATE release_alters SET status = 'started' "
                    "WHERE block_id = 'add-b' AND position = 2")
        cur.execute("DELETE FROM release_alters WHERE block_id = 'add-b' AND position = 3")
        cur.execute("ALTER TABLE t DROP COLUMN c, DROP COLUMN b2")

    stopped = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert stopped.returncode == 3
    assert "add-b#2 (alters.sql:6)" in stopped.stderr
    assert ("invoke alters.resolve --env qa --statement 'add-b#2' --not-applied"
            in stopped.stderr)
    assert columns(mariadb, database, "t") == ["id", "name", "a", "b"]

    no_flag = sandbox.invoke("alters.resolve", "--env", "qa", "--statement", "add-b#2")
    assert no_flag.returncode == 2
    not_open = sandbox.invoke("alters.resolve", "--env", "qa", "--statement", "add-a#1",
                              "--applied")
    assert not_open.returncode == 1 and "needs no resolving" in not_open.stderr

    resolved = sandbox.invoke("alters.resolve", "--env", "qa", "--statement", "add-b#2",
                              "--not-applied")
    assert resolved.returncode == 0, resolved.stderr
    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert again.returncode == 0, again.stderr
    assert columns(mariadb, database, "t") == ["id", "name", "a", "b", "b2", "c"]

    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("UPDATE release_alters SET status = 'started' WHERE block_id = 'fill'")
    assert sandbox.invoke("alters.resolve", "--env", "qa", "--statement", "fill#1",
                          "--applied").returncode == 0
    assert ledger(mariadb, database)["fill#1"] == "resolved"
    assert "Nothing to apply" in sandbox.invoke("alters.apply", "--env", "qa", "--yes").stdout


def test_two_applies_started_together_exactly_one_runs(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    slow = ("-- alter: slow\nDO SLEEP(2);\n"
            "-- alter: once\nUPDATE t SET name = CONCAT(name, '!') WHERE id = 1;\n")
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": slow})
    runs = [subprocess.Popen([sys.executable, "-m", "invoke", "alters.apply", "--env", "qa",
                              "--yes"], cwd=sandbox.app, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                             env={**os.environ}) for _ in range(2)]
    results = [(p.wait(), *p.communicate()) for p in runs]
    assert sorted(code for code, _, _ in results) == [0, 1]
    loser = next(err for code, _, err in results if code == 1)
    assert "another alters run holds the lock 'stagecraft.alters." in loser
    assert "connection " in loser and f"of {mariadb.user}@" in loser
    assert query(mariadb, database, "SELECT name FROM t WHERE id = 1") == [("one!",)]


SITE_FILE = ("BEGIN;\n\n# add by mpatel, plan names for the Canadian site.\n"
             "update `billing_account` set plan = 'Team CA' where plan = 'team';\n"
             "update `billing_account` set plan = 'Basic CA' where plan = 'basic';\n\nCOMMIT;\n")


def test_sample_several_files_and_blocks_trimmed_after_applying(
        sandbox: Sandbox, mariadb: MariaDB, database: str, templates: Templates,
        monkeypatch: pytest.MonkeyPatch) -> None:
    templates.copy("sample", database)
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": silenced(sample.alters_sql()), "alters_ca.sql": SITE_FILE})
    assert sandbox.invoke("alters.apply", "--env", "qa", "--yes").returncode == 0
    assert query(mariadb, database, "SELECT DISTINCT plan FROM billing_account "
                                    "ORDER BY plan") == [("Basic CA",), ("Team CA",)]

    # The team trims the shipped blocks out of alters.sql and starts a new one.
    (sandbox.app / "alters.sql").write_text(
        "-- alter: next\nALTER TABLE `accounts_profile` ADD COLUMN `nickname` varchar(30) NULL;\n")
    status = sandbox.invoke("alters.status", "--env", "qa")
    assert "(trimmed)" in status.stdout and "20230619-jlee-1" in status.stdout
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Applied 1 statement(s)" in result.stdout
    assert "nickname" in columns(mariadb, database, "accounts_profile")


def test_several_files_and_blocks_trimmed_after_applying(
        sandbox: Sandbox, mariadb: MariaDB, database: str, client_files: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    load_client_dump(mariadb, database, client_files)
    de = (client_files / "alters_de.sql").read_text()
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": silenced(client_alters(client_files)), "alters_de.sql": de})
    assert sandbox.invoke("alters.apply", "--env", "qa", "--yes").returncode == 0
    assert query(mariadb, database, "SELECT name FROM MHLPractices_organizationtype "
                                    "WHERE id = 1") == [("Arztpraxis",)]

    # The team trims the shipped blocks out of alters.sql and starts a new one.
    (sandbox.app / "alters.sql").write_text(
        "-- alter: next\nALTER TABLE `MHLUsers_mhluser` ADD COLUMN `nickname` varchar(30) NULL;\n")
    status = sandbox.invoke("alters.status", "--env", "qa")
    assert "(trimmed)" in status.stdout and "20130624-htian-1" in status.stdout
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Applied 1 statement(s)" in result.stdout
    assert "nickname" in columns(mariadb, database, "MHLUsers_mhluser")


def test_wrong_password_is_a_clear_exit_1_naming_the_environment(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": ""})
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password-x9")
    result = sandbox.invoke("alters.status", "--env", "qa")
    assert result.returncode == 1
    assert "environment 'qa': access denied" in result.stderr
    assert "not-the-password-x9" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_files_that_cannot_be_split_reliably_are_refused_before_connecting(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": "-- alter: x\nUPDATE t SET name = 'oops WHERE id = 1;\n"})
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 1
    assert "alters.sql:2:" in result.stderr and "AL001 unterminated string" in result.stderr
    assert query(mariadb, database, "SHOW TABLES") == [("t",)]


def test_status_remembers_table_sizes_so_the_lint_applies_al031(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": "-- alter: widen\nALTER TABLE t ADD COLUMN w int NULL;\n"})
    toml = sandbox.app / "release.toml"
    toml.write_text(toml.read_text().replace("[alters]\n", "[alters]\nlarge_table_rows = 1\n"))
    query(mariadb, database, "ANALYZE TABLE t")
    before = sandbox.invoke("alters.lint", "--all")
    assert "AL031" not in before.stdout

    status = sandbox.invoke("alters.status", "--env", "qa")
    assert status.returncode == 0, status.stderr
    stats = sandbox.app / ".git" / "stagecraft" / "table-stats.json"
    assert json.loads(stats.read_text())["t"] == 2

    after = sandbox.invoke("alters.lint", "--all")
    assert after.returncode == 1
    assert "alters.sql:2:1: AL031" in after.stdout


def test_the_backups_are_the_files_the_checklist_names(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": "-- alter: add-a\nALTER TABLE t ADD COLUMN a int NULL;\n"})
    git(sandbox.app, "add", "release.toml", "alters.sql")
    git(sandbox.app, "commit", "--quiet", "-m", "feat: column a")
    git(sandbox.app, "push", "--quiet", "origin", "master")
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")

    checklist = sandbox.invoke("release.checklist", "--env", "qa")
    assert checklist.returncode == 0, checklist.stderr
    named = set(re.findall(r"[^\s`]+-(?:before|after)-alters\.sql\.zst\.age", checklist.stdout))
    assert len(named) == 2

    applied = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stderr
    for path in named:
        assert Path(path).is_file(), path


def test_apply_without_backup_recipients_exits_2_before_touching_the_database(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": "-- alter: add-a\nALTER TABLE t ADD COLUMN a int NULL;\n"})
    toml = sandbox.app / "release.toml"
    toml.write_text("\n".join(line for line in toml.read_text().splitlines()
                              if not line.startswith("recipients")) + "\n")
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 2
    assert "[backups] recipients is empty" in result.stderr
    assert columns(mariadb, database, "t") == ["id", "name"]
    assert not query(mariadb, database, "SHOW TABLES LIKE 'release_alters%'")


def test_routines_and_triggers_behind_delimiter_changes_are_applied_once(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    alters = (
        "-- alter: audit-trigger\n-- author: kim\n"
        "CREATE TABLE audit (id int AUTO_INCREMENT PRIMARY KEY, name varchar(20)) "
        "ENGINE=InnoDB;\n"
        "DELIMITER $$\n"
        "CREATE TRIGGER t_audit AFTER INSERT ON t FOR EACH ROW\n"
        "BEGIN\n  INSERT INTO audit (name) VALUES (NEW.name); -- keep a trail\nEND$$\n"
        "CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC\nBEGIN\n  RETURN x * 2;\nEND$$\n"
        "DELIMITER ;\n"
    )
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": alters})
    first = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert first.returncode == 0, first.stderr
    query(mariadb, database, "INSERT INTO t VALUES (3, 'three')")
    assert query(mariadb, database, "SELECT name FROM audit") == [("three",)]
    assert query(mariadb, database, "SELECT twice(21)") == [(42,)]
    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert again.returncode == 0, again.stderr
    assert "Nothing to apply" in again.stdout


def test_a_trigger_without_delimiter_is_applied_as_one_statement(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    alters = (
        "-- alter: audit-trigger\n"
        "CREATE TABLE audit (id int AUTO_INCREMENT PRIMARY KEY, name varchar(20)) "
        "ENGINE=InnoDB;\n"
        "CREATE TRIGGER t_audit AFTER INSERT ON t FOR EACH ROW\nBEGIN\n"
        "  IF NEW.name <> '' THEN\n    INSERT INTO audit (name) VALUES (NEW.name);\n  END IF;\n"
        "END;\n"
    )
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": alters})
    first = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert first.returncode == 0, first.stderr
    query(mariadb, database, "INSERT INTO t VALUES (3, 'three')")
    assert query(mariadb, database, "SELECT name FROM audit") == [("three",)]
    rows = query(mariadb, database, "SELECT COUNT(*) FROM release_alters")
    assert rows == [(2,)]
    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert again.returncode == 0 and "Nothing to apply" in again.stdout


def test_apply_waits_while_the_database_holds_an_unverified_clone(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from release.db.clones import state as clone_state
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": "-- alter: add-a\nALTER TABLE t ADD COLUMN a int NULL;\n"})
    with mariadb.connect(database) as conn:
        clone_state.ensure_tables(conn)
        clone_state.record(conn, source="production", state="scrubbing")
    refused = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert refused.returncode == 1
    assert "not verified" in refused.stderr and "db.verify-scrub --env qa" in refused.stderr
    assert columns(mariadb, database, "t") == ["id", "name"]

    with mariadb.connect(database) as conn:
        clone_state.record(conn, source="production", state=clone_state.VERIFIED)
    applied = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert "a" in columns(mariadb, database, "t")


def test_the_dry_run_prints_exactly_the_plan_the_real_run_carries_out(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": THREE_BLOCKS.format(second="b2")})
    dry = sandbox.invoke("alters.apply", "--env", "qa", "--dry-run")
    real = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert real.returncode == 0, real.stderr

    planned = [line.split("would run: ", 1)[1] for line in dry.stdout.splitlines()
               if "would run: " in line]
    carried = [line.split("  run: ", 1)[1] for line in real.stdout.splitlines()
               if line.startswith("  run: ")]
    assert planned == carried and len(planned) == 7
    rows = query(mariadb, database,
                 "SELECT block_id, position FROM release_alters ORDER BY applied_at")
    ran = [f"{b}#{p}" for b, p in rows]
    assert [step.split(" ", 1)[0] for step in planned[1:-1]] == ran
    backups = [line.split(": ", 1)[1] for line in real.stdout.splitlines()
               if line.startswith(("backup before: ", "backup after: "))]
    assert [f"back up {database} to {path} (encrypted)" for path in backups] == \
        [planned[0], planned[-1]]


def test_an_unsilenced_drop_table_is_refused_untouched_and_applies_once_silenced(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    alters = "-- alter: tidy\nALTER TABLE t ADD COLUMN x int NULL;\nDROP TABLE t;\n"
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": alters})
    for attempt in (("--yes",), ("--dry-run",)):
        refused = sandbox.invoke("alters.apply", "--env", "qa", *attempt)
        assert refused.returncode == 1, refused.stdout
        assert "alters.sql:3:1: AL010 DROP TABLE t" in refused.stderr
        assert "-- noqa: AL010" in refused.stderr
        assert query(mariadb, database, "SHOW TABLES") == [("t",)]
        assert columns(mariadb, database, "t") == ["id", "name"]
    assert not (sandbox.app.parent / "backups").exists()

    (sandbox.app / "alters.sql").write_text(alters.replace("t;", "t;  -- noqa: AL010"))
    applied = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert query(mariadb, database, "SHOW TABLES LIKE 't'") == []
    assert ledger(mariadb, database) == {"tidy#1": "applied", "tidy#2": "applied"}
    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert "Nothing to apply" in again.stdout


def test_apply_refuses_an_alter_of_a_table_larger_than_large_table_rows_by_its_live_size(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": "-- alter: widen\nALTER TABLE t MODIFY name varchar(40) NULL;\n"})
    toml = sandbox.app / "release.toml"
    toml.write_text(toml.read_text().replace("[alters]\n", "[alters]\nlarge_table_rows = 1\n"))
    query(mariadb, database, "ANALYZE TABLE t")
    refused = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert refused.returncode == 1
    assert "AL031 t has 2 rows" in refused.stderr
    assert query(mariadb, database, "SHOW TABLES") == [("t",)]


TYPO_IN_FOURTH = """\
-- alter: add-a
ALTER TABLE t ADD COLUMN a int NULL;
CREATE TABLE u (id int PRIMARY KEY);
ALTER TABLE u ADD COLUMN v int NULL;
ALTER TABLE t
  ADD COLUMN b int NULL DEFALT 0;
ALTER TABLE t ADD COLUMN c int NULL;

-- alter: fill-u
INSERT INTO u (id, v) VALUES (1, 10);
"""


def test_a_release_whose_fourth_statement_has_a_typo_applies_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str, table_t: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": TYPO_IN_FOURTH})
    for attempt in (("--yes",), ("--dry-run",)):
        refused = sandbox.invoke("alters.apply", "--env", "qa", *attempt)
        assert refused.returncode == 1, refused.stdout
        assert "the server does not parse 1 pending statement(s)" in refused.stderr
        assert "add-a#4 (alters.sql:6): ALTER TABLE t ADD COLUMN b int NULL DEFALT 0" \
            in refused.stderr
        assert "error 1064" in refused.stderr and "near '0' at line 2" in refused.stderr
        assert "Nothing was applied: no backup, no ledger row." in refused.stderr
        assert "Traceback" not in refused.stderr
        assert query(mariadb, database, "SHOW TABLES") == [("t",)]
        assert columns(mariadb, database, "t") == ["id", "name"]
    assert not (sandbox.app.parent / "backups").exists()

    # statements on a table an earlier pending statement creates parse: only the typo stopped it
    (sandbox.app / "alters.sql").write_text(TYPO_IN_FOURTH.replace("DEFALT", "DEFAULT"))
    dry = sandbox.invoke("alters.apply", "--env", "qa", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "The server parsed the 6 pending statement(s) (prepared, not run;" in dry.stdout
    applied = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert columns(mariadb, database, "t") == ["id", "name", "a", "b", "c"]
    assert query(mariadb, database, "SELECT id, v FROM u") == [(1, 10)]
    assert set(ledger(mariadb, database).values()) == {"applied"}
