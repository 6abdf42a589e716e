"""`-- online: pt-osc` blocks: applied by pt-online-schema-change while writes go on."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pymysql
import pytest

from tests.support.git import Sandbox
from tests.support.ledger import configure
from tests.support.mariadb import MariaDB, query

WIDEN = "-- alter: widen\n-- online: pt-osc\nALTER TABLE big MODIFY code BIGINT NULL;\n"


@pytest.fixture
def big(mariadb: MariaDB, database: str) -> None:
    # Keys the application chooses: with an AUTO_INCREMENT key and the server's default
    # innodb_autoinc_lock_mode=1, pt-osc's copy holds the new table's AUTO-INC lock and InnoDB
    # kills the application's INSERT as a deadlock victim (apply refuses; see the README).
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE big (id int PRIMARY KEY, code int NULL, "
                    "note varchar(40) NULL) ENGINE=InnoDB")
        cur.execute("INSERT INTO big (id, code, note) SELECT seq, seq, 'row' "
                    "FROM seq_1_to_30000")


class Writer(threading.Thread):
    """Inserts a row every 10 ms, as the running application would, noting any error."""

    def __init__(self, mariadb: MariaDB, database: str) -> None:
        super().__init__(daemon=True)
        self.mariadb, self.database = mariadb, database
        self.stop, self.errors, self.inserted = threading.Event(), [], 0

    def run(self) -> None:
        with self.mariadb.connect(self.database) as conn, conn.cursor() as cur:
            while not self.stop.is_set():
                try:
                    cur.execute("INSERT INTO big (id, code, note) VALUES (%s, 1, 'during')",
                                (100_000 + self.inserted,))
                    self.inserted += 1
                except pymysql.err.MySQLError as error:
                    self.errors.append(str(error))
                time.sleep(0.01)


class CommandLines(threading.Thread):
    """Every process command line seen while it runs (/proc/*/cmdline)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop, self.seen = threading.Event(), set[str]()

    def run(self) -> None:
        while not self.stop.is_set():
            for path in Path("/proc").glob("[0-9]*/cmdline"):
                with contextlib.suppress(OSError):  # the process ended meanwhile
                    self.seen.add(path.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            time.sleep(0.02)


def leftovers(mariadb: MariaDB, database: str) -> list[str]:
    triggers = query(mariadb, database, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                     f"WHERE TRIGGER_SCHEMA = '{database}'")
    tables = [str(r[0]) for r in query(mariadb, database, "SHOW TABLES")]
    return [str(r[0]) for r in triggers] + [t for t in tables if t.startswith("_")]


def running_pt_osc(database: str) -> bool:
    lines = CommandLines()
    lines.stop.set()
    lines.run()
    return any("pt-online-schema-change" in c and database in c for c in lines.seen)


def code_type(mariadb: MariaDB, database: str) -> str:
    return str(query(mariadb, database, "SELECT DATA_TYPE FROM information_schema.COLUMNS "
                     f"WHERE TABLE_SCHEMA = '{database}' AND TABLE_NAME = 'big' "
                     "AND COLUMN_NAME = 'code'")[0][0])


def test_a_pt_osc_block_applies_while_writes_go_on_and_runs_once(
        sandbox: Sandbox, mariadb: MariaDB, database: str, big: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": WIDEN})
    writer, lines = Writer(mariadb, database), CommandLines()
    writer.start()
    lines.start()
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    writer.stop.set()
    lines.stop.set()
    writer.join()
    lines.join()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Successfully altered" in result.stdout
    assert writer.errors == [] and writer.inserted > 10
    assert code_type(mariadb, database) == "bigint"
    assert leftovers(mariadb, database) == []
    assert query(mariadb, database, "SELECT COUNT(*) FROM big WHERE note = 'during'") == [
        (writer.inserted,)]
    assert query(mariadb, database, "SELECT status FROM release_alters") == [("applied",)]
    pt_osc = [c for c in lines.seen if "pt-online-schema-change" in c]
    assert pt_osc and all("F=/" in c for c in pt_osc)
    assert not any(mariadb.password in c for c in lines.seen)

    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert again.returncode == 0 and "Nothing to apply" in again.stdout


def test_a_killed_pt_osc_run_stops_with_exit_3_and_resolve_removes_what_it_left(
        sandbox: Sandbox, mariadb: MariaDB, database: str, big: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": WIDEN})
    toml = sandbox.app / "release.toml"
    plain = toml.read_text()
    # Above one connection pt-osc pauses its copy: it is caught in the middle, every time.
    toml.write_text(plain + '\n[alters.online]\nmax_load = "Threads_connected=1"\n')
    process = subprocess.Popen([sys.executable, "-m", "invoke", "alters.apply", "--env", "qa",
                                "--yes"], cwd=sandbox.app, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ})
    deadline = time.monotonic() + 60
    while len(leftovers(mariadb, database)) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(leftovers(mariadb, database)) == 4, "pt-osc never started copying"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    toml.write_text(plain)
    deadline = time.monotonic() + 10
    while running_pt_osc(database) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running_pt_osc(database), "pt-osc outlived the apply that ran it"

    stopped = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert stopped.returncode == 3, stopped.stderr
    assert "widen#1" in stopped.stderr and "alters.resolve" in stopped.stderr
    assert code_type(mariadb, database) == "int"

    resolved = sandbox.invoke("alters.resolve", "--env", "qa", "--statement", "widen#1",
                              "--not-applied")
    assert resolved.returncode == 0, resolved.stderr
    for name in (f"pt_osc_{database}_big_ins", f"pt_osc_{database}_big_upd",
                 f"pt_osc_{database}_big_del", "_big_new"):
        assert name in resolved.stdout
    assert leftovers(mariadb, database) == []

    applied = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert code_type(mariadb, database) == "bigint" and leftovers(mariadb, database) == []


def test_dry_run_runs_pt_osc_own_dry_run_and_changes_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str, big: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": WIDEN})
    result = sandbox.invoke("alters.apply", "--env", "qa", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pt-osc --dry-run" in result.stdout and "Dry run complete" in result.stdout
    assert code_type(mariadb, database) == "int" and leftovers(mariadb, database) == []
    assert query(mariadb, database, "SHOW TABLES") == [("big",)]


class KeylessWriter(Writer):
    """The application as Django writes: INSERTs that leave the key to AUTO_INCREMENT."""

    def run(self) -> None:
        with self.mariadb.connect(self.database) as conn, conn.cursor() as cur:
            while not self.stop.is_set():
                try:
                    cur.execute("INSERT INTO big (code, note) VALUES (1, 'during')")
                    self.inserted += 1
                except pymysql.err.MySQLError as error:
                    self.errors.append(str(error))
                time.sleep(0.005)


def test_pt_osc_on_an_auto_increment_table_under_lock_mode_1_is_refused_before_any_change(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE big (id int AUTO_INCREMENT PRIMARY KEY, code int NULL, "
                    "note varchar(40) NULL) ENGINE=InnoDB")
        cur.execute("INSERT INTO big (code, note) SELECT seq, 'row' FROM seq_1_to_30000")
        cur.execute("SELECT @@innodb_autoinc_lock_mode")
        mode = cur.fetchone()
    assert mode == (1,)  # MariaDB's default, as the suite's server runs
    first = "-- alter: first\nCREATE TABLE first_change (id int PRIMARY KEY);\n\n"
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": first + WIDEN})
    explained = sandbox.invoke("alters.explain", "--env", "qa")
    assert explained.returncode == 0, explained.stdout + explained.stderr
    assert "alters.apply will refuse it: big has an AUTO_INCREMENT key" in explained.stdout
    writer = KeylessWriter(mariadb, database)
    writer.start()
    for args in (("--dry-run",), ("--yes",)):
        result = sandbox.invoke("alters.apply", "--env", "qa", *args)
        assert result.returncode == 1, result.stdout + result.stderr
        message = " ".join(result.stderr.split())
        for words in ("innodb_autoinc_lock_mode=1", "deadlock (error 1213)",
                      "Set innodb_autoinc_lock_mode=2 in the server's configuration",
                      "a restart", "Nothing was changed."):
            assert words in message, message
    writer.stop.set()
    writer.join()
    assert writer.errors == [] and writer.inserted > 0
    assert code_type(mariadb, database) == "int" and leftovers(mariadb, database) == []
    assert query(mariadb, database, "SHOW TABLES") == [("big",)]
    assert not (sandbox.app.parent / "backups").exists()


def test_a_gh_ost_block_without_gh_ost_is_refused_before_anything_changes(
        sandbox: Sandbox, mariadb: MariaDB, database: str, big: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": WIDEN.replace("pt-osc", "gh-ost")})
    monkeypatch.setenv("PATH", os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if not (Path(p) / "gh-ost").exists()))
    result = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert result.returncode == 1
    assert "-- online: gh-ost" in result.stderr and "gh-ost is not on PATH" in result.stderr
    assert query(mariadb, database, "SHOW TABLES") == [("big",)]
    assert not (sandbox.app.parent / "backups").exists()
