"""Crash tests: alters.apply killed with SIGKILL at random moments, then run again.

DML must end up applied exactly once every time. DDL must finish correctly or stop with exit 3
naming the statement; settled by alters.resolve as the database shows, the next run completes
without applying anything twice or skipping anything. The killed runs are real `invoke`
processes; the runs after them call the same core in this process, to keep the test quick.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable

import pytest

from release.config import load
from release.db.ledger import apply as db_apply
from release.db.target import resolve
from release.errors import ReleaseError
from tests.support.git import Sandbox
from tests.support.ledger import configure, wait_for_lock
from tests.support.mariadb import MariaDB, query

TRIALS = 20
STATEMENTS = 30
MARKER = "applying "


def dml_alters(trial: int) -> str:
    blocks = []
    for b in range(3):
        inserts = "".join(f"INSERT INTO hits (tag) VALUES ('t{trial}-{b}-{i}');\n"
                          for i in range(STATEMENTS // 3))
        blocks.append(f"-- alter: dml-{trial}-{b}\n{inserts}")
    return "\n".join(blocks)


def ddl_alters(trial: int) -> str:
    adds = "".join(f"ALTER TABLE wide{trial} ADD COLUMN c{i} int NULL;\n"
                   for i in range(STATEMENTS))
    return f"-- alter: ddl-{trial}\n{adds}"


def start_apply(sandbox: Sandbox) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "alters.apply", "--env", "qa", "--yes"],
        cwd=sandbox.app, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True, env={**os.environ},
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(MARKER):
            return process
    raise AssertionError(f"apply ended before running anything: {process.wait()} "
                         f"{process.stderr.read() if process.stderr else ''}")


def apply_again(sandbox: Sandbox) -> tuple[int, str]:
    """alters.apply --yes: its exit status and error message."""
    try:
        config = load(sandbox.app)
        db_apply.apply(resolve(config, "qa"), config, db_apply.Options(assume_yes=True),
                       say=print)
    except ReleaseError as error:
        return error.exit_code, error.message
    return 0, ""


def crash_trials(sandbox: Sandbox, mariadb: MariaDB, database: str, seed: int,
                 alters: Callable[[int], str], settle: Callable[[int], None]) -> Counter[str]:
    """Run TRIALS applies, each killed at a random moment, then settled; count the outcomes."""
    rng = random.Random(seed)
    (sandbox.app / "alters.sql").write_text(alters(0))
    warm = start_apply(sandbox)
    started = time.monotonic()
    assert warm.stdout is not None
    applied = 0
    for line in warm.stdout:
        applied += line.startswith("  applied ")
        if applied == STATEMENTS:
            break
    # Aim the kills at the statements: how long they took here, plus a little after them.
    window = (time.monotonic() - started) * 1.2
    assert warm.wait() == 0
    outcomes: Counter[str] = Counter()
    for trial in range(1, TRIALS + 1):
        (sandbox.app / "alters.sql").write_text(alters(trial))  # earlier trials: trimmed
        process = start_apply(sandbox)
        time.sleep(rng.uniform(0, window))
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        wait_for_lock(mariadb, database)
        done = query(mariadb, database, "SELECT COUNT(*) FROM release_alters WHERE "
                     f"block_id LIKE '%-{trial}%' AND status = 'applied'")[0][0]
        outcomes["finished before the kill" if finished else
                  "killed before the first statement" if done == 0 else
                  "killed after the last statement" if done == STATEMENTS else
                  "killed mid-run"] += 1
        settle(trial)
    return outcomes


def test_dml_killed_at_random_moments_is_applied_exactly_once(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE hits (id int AUTO_INCREMENT PRIMARY KEY, tag varchar(40))")
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": dml_alters(0)})

    def settle(trial: int) -> None:
        code, message = apply_again(sandbox)
        assert code == 0, message
        tags = Counter(str(r[0]) for r in query(
            mariadb, database, f"SELECT tag FROM hits WHERE tag LIKE 't{trial}-%'"))
        assert len(tags) == STATEMENTS and set(tags.values()) == {1}, tags

    outcomes = crash_trials(sandbox, mariadb, database, 4, dml_alters, settle)
    print(f"\nDML crash trials: {dict(outcomes)}")
    assert sum(outcomes.values()) == TRIALS
    assert query(mariadb, database, "SELECT COUNT(*), COUNT(DISTINCT tag) FROM hits") == [
        ((TRIALS + 1) * STATEMENTS, (TRIALS + 1) * STATEMENTS)]


def test_ddl_killed_at_random_moments_finishes_or_stops_naming_the_statement(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        for trial in range(TRIALS + 1):
            cur.execute(f"CREATE TABLE wide{trial} (id int PRIMARY KEY)")
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": ddl_alters(0)})
    expected = ["id", *(f"c{i}" for i in range(STATEMENTS))]
    uncertain: Counter[str] = Counter()

    def columns(trial: int) -> list[str]:
        return [str(r[0]) for r in query(mariadb, database, f"SHOW COLUMNS FROM wide{trial}")]

    def settle(trial: int) -> None:
        code, message = apply_again(sandbox)
        if code == 3:
            found = re.search(r"--statement '(ddl-\d+#(\d+))' --applied", message)
            assert found, message
            ident, position = found.group(1), int(found.group(2))
            assert query(mariadb, database, "SELECT status FROM release_alters WHERE "
                         f"block_id = 'ddl-{trial}' AND position = {position}") == [("started",)]
            took_effect = f"c{position - 1}" in columns(trial)
            uncertain["resolved --applied" if took_effect else "resolved --not-applied"] += 1
            config = load(sandbox.app)
            db_apply.resolve(resolve(config, "qa"), config, ident, applied=took_effect, say=print)
            code, message = apply_again(sandbox)
        assert code == 0, message
        assert columns(trial) == expected

    outcomes = crash_trials(sandbox, mariadb, database, 7, ddl_alters, settle)
    print(f"\nDDL crash trials: {dict(outcomes)}; stopped with exit 3: {dict(uncertain)}")
    assert sum(outcomes.values()) == TRIALS
