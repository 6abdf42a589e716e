"""The deploy audit table in an environment's database: created on first write, one JSON record
a row, read back per environment, oldest first, each with the row it came from."""

from __future__ import annotations

import json

from release.db import deploys
from release.db.connection import Connection
from tests.support.mariadb import MariaDB


def read(conn: Connection, environment: str) -> list[object]:
    return [json.loads(text) for _, text in deploys.records(conn, environment)]


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
        assert read(conn, "qa") == [first, second]
        assert read(conn, "production") == [{"action": "deploy", "host": "prod1"}]
        assert deploys.records(conn, "staging") == []
        assert [row for row, _ in deploys.records(conn, "qa")] == [
            "`release_deploys` row id 1", "`release_deploys` row id 3"]
