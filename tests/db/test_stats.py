"""Table sizes as the server estimates them, for AL031: base tables only, no COUNT(*)."""

from __future__ import annotations

from release.db.stats import table_rows
from tests.support.mariadb import MariaDB


def test_each_base_table_has_its_estimated_rows_and_views_are_left_out(
        mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE big (id INT PRIMARY KEY) ENGINE=InnoDB")
        cur.execute("INSERT INTO big SELECT seq FROM seq_1_to_5000")
        cur.execute("CREATE TABLE empty (id INT PRIMARY KEY) ENGINE=InnoDB")
        cur.execute("CREATE VIEW some AS SELECT id FROM big")
        cur.execute("ANALYZE TABLE big, empty")
        found = table_rows(conn)
    assert set(found) == {"big", "empty"}
    assert found["empty"] == 0
    assert 2500 <= found["big"] <= 10000  # InnoDB's estimate, not an exact count


def test_a_database_without_tables_has_no_sizes(mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn:
        assert table_rows(conn) == {}
