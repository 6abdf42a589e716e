"""What alters.baseline leaves for the tasks that read no database: after it, staging.status
and the release notes count the baselined blocks as shipped; an edited one is pending again."""

from __future__ import annotations

import json

import pytest

from tests.support.git import Sandbox, git
from tests.support.ledger import configure
from tests.support.mariadb import MariaDB

ADOPTED = """\
-- alter: 2024-01-orders
ALTER TABLE t ADD COLUMN a int NULL;

-- alter: 2024-02-totals
ALTER TABLE t ADD COLUMN b int NULL;
"""
NEW = "\n-- alter: 2026-01-notes\nALTER TABLE t ADD COLUMN c int NULL;\n"


def test_baselined_blocks_are_shipped_in_staging_status_and_the_notes(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (id int PRIMARY KEY, a int NULL, b int NULL)")
    sandbox.land_on_master("alters.sql", ADOPTED + NEW, "feat(db): notes column")
    git(sandbox.app, "pull", "--quiet")
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": ADOPTED + NEW})
    git(sandbox.app, "branch", "staging")
    before = sandbox.invoke("staging.status")
    assert "alters blocks pending (no release yet): 3" in before.stdout, before.stderr

    done = sandbox.invoke("alters.baseline", "--env", "qa", "--through", "2024-02-totals",
                          "--yes")
    assert done.returncode == 0, done.stderr
    status = sandbox.invoke("staging.status").stdout
    assert "alters blocks pending (no release yet), baselined blocks count as shipped: 1" \
        in status
    assert "2026-01-notes" in status and "2024-01-orders" not in status
    notes = sandbox.invoke("release.notes").stdout
    assert "2026-01-notes" in notes and "2024-02-totals" not in notes
    recorded = json.loads((sandbox.app / ".git" / "stagecraft" / "baselined.json").read_text())
    assert sorted(recorded["qa"]["alters.sql"]) == ["2024-01-orders", "2024-02-totals"]

    # A baselined block edited afterwards is pending again, as after a release.
    edited = ADOPTED.replace("a int NULL", "a bigint NULL") + NEW
    sandbox.land_on_master("alters.sql", edited, "fix(db): wider orders")
    git(sandbox.app, "pull", "--quiet")
    git(sandbox.app, "branch", "-f", "staging", "master")
    again = sandbox.invoke("staging.status").stdout
    assert "shipped: 2" in again and "2024-01-orders" in again
