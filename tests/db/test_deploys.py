"""The deploy audit table in an environment's database: created on first write, one JSON record
a row, read back per environment, oldest first."""

from __future__ import annotations

from release.db import deploys
from tests.conftest import MariaDB


def test_nothing_deployed_yet_reads_as_no_records_and_creates_nothing(
        mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn:
        assert deploys.records(conn, "qa") == []
        with conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            assert cur.fetchall() == ()


def test_records_come_back_per_environment_in_the_order_they_were_written(
        mariadb: MariaDB, database: str) -> None:
    first = {"action": "deploy", "host": "web1", "to_sha": "a" * 40, "notes": ["ünïcode"]}
    second = {"action": "rollback", "host": "web1", "to_sha": "b" * 40}
    with mariadb.connect(database) as conn:
        deploys.append(conn, "qa", first)
        deploys.append(conn, "production", {"action": "deploy", "host": "prod1"})
        deploys.append(conn, "qa", second)
        assert deploys.records(conn, "qa") == [first, second]
        assert deploys.records(conn, "production") == [{"action": "deploy", "host": "prod1"}]
        assert deploys.records(conn, "staging") == []
