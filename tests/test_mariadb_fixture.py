from __future__ import annotations

from tests.support.mariadb import MariaDB


def test_suite_runs_its_own_mariadb(mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SELECT VERSION(), DATABASE()")
        version, current = cur.fetchone()  # type: ignore[misc]
    assert "MariaDB" in version
    assert current == database
