"""release.run killed with SIGKILL while the alters apply, then stopped at a manual step: each
next run continues from there, applies nothing twice, and completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from release.environment.resolved import resolve_environment
from release.errors import Refused
from release.runbook.walk import Options, release_run
from tests.support.git import commit, git
from tests.support.ledger import wait_for_lock
from tests.support.site import Site, host_log, ledger_count

# DML only (each block commits with its ledger row), on a table the application already has:
# the kill lands in the second block's SLEEP, after the first block committed.
SLOW = ("-- alter: 2026-hits-1\n-- author: ann\nINSERT INTO hits (id) VALUES (1);\n\n"
        "-- alter: 2026-hits-2\n-- author: ann\n"
        "INSERT INTO hits (id) SELECT 2 FROM (SELECT SLEEP(4)) AS pause;\n\n"
        "-- alter: 2026-hits-3\n-- author: ann\nINSERT INTO hits (id) VALUES (3);\n")


# The sample application's own manual step after the reload (its release.toml has it).
TEST_NUMBERS = ('[[checklist.steps]]\nid = "test-numbers"\ntitle = "Set test telephony numbers"\n'
                'after = "reload"\n')


def hits(site: Site) -> list[int]:
    assert site.mariadb is not None
    with site.mariadb.connect(site.database) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM hits ORDER BY id")
        return [int(row[0]) for row in cur.fetchall()]


def kill_during_alters(site: Site) -> str:
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "release.run", "--env", "qa", "--yes"],
        cwd=site.sandbox.app, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, text=True, env={**os.environ})
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith("  applied 2026-hits-1#1"):
            time.sleep(1.0)  # inside the SLEEP(4) of the next statement
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    return "".join(seen)


def test_killed_during_alters_then_stopped_at_a_manual_step_resumes_and_completes(
        db_site: Site) -> None:
    commit(db_site.sandbox.dev, "alters.sql", SLOW, "feat(db): hits")
    git(db_site.sandbox.dev, "push", "--quiet", "origin", "HEAD:master", "HEAD:staging")
    git(db_site.sandbox.app, "pull", "--quiet")
    config = db_site.configure(extra=TEST_NUMBERS)
    with db_site.mariadb.connect(db_site.database) as conn, conn.cursor() as cur:  # type: ignore[union-attr]
        cur.execute("CREATE TABLE hits (id int PRIMARY KEY)")
    old = db_site.head()
    kill_during_alters(db_site)
    wait_for_lock(db_site.mariadb, db_site.database)  # type: ignore[arg-type]
    assert db_site.head() == old and hits(db_site) == [1]

    said: list[str] = []
    with pytest.raises(Refused, match=r"step \d+ \(Set test telephony numbers\)"):
        release_run(db_site.repo, config, resolve_environment(config, "qa"),
                    Options(), say=said.append)
    assert any("Resuming" in line and "interrupted while running: the ledger" in line
               for line in said)
    assert not any("Read the warnings" in line and line.startswith("--") for line in said)
    assert hits(db_site) == [1, 2, 3] and ledger_count(db_site) == 3
    assert db_site.head() == db_site.staging()

    said.clear()
    state = release_run(db_site.repo, config, resolve_environment(config, "qa"),
                        Options(yes=True), say=said.append)
    assert any("Resuming" in line and "Set test telephony numbers" in line for line in said)
    assert not any("alters" in line and line.startswith("-- ") for line in said)
    assert hits(db_site) == [1, 2, 3] and ledger_count(db_site) == 3
    assert state.completed and len(host_log(db_site)) == 1
    assert state.steps["test-numbers"].who == "--yes"
