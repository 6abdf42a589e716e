"""release.demo.sample.rows: how many rows each table gets, and the INSERT ... SELECT that makes
them on the server."""

from __future__ import annotations

import re

from release.demo import sample
from release.demo.sample import Size
from release.demo.sample.rows import insert_sql
from release.demo.sample.schema import create_tables_sql
from tests.support.mariadb import MariaDB, load_sql, query


def test_small_sizes_keep_enough_people_practices_and_services() -> None:
    tiny = Size(10)
    assert (tiny.users, tiny.providers, tiny.practices, tiny.services) == (60, 30, 8, 3)
    counts = tiny.counts()
    assert counts["accounts_provider"] + counts["clinics_staff"] == counts["auth_user"] == 60
    assert set(counts) == set(sample.TABLES)


def test_inserts_follow_the_tables_order_and_can_be_limited() -> None:
    everything = insert_sql(Size(10), 1)
    assert re.findall(r"INSERT INTO `(\w+)`", everything) == list(sample.TABLES)
    only = insert_sql(Size(10), 1, ["paging_pagerlog"])
    assert re.findall(r"INSERT INTO `(\w+)`", only) == ["paging_pagerlog"]
    assert "FROM seq_1_to_10;" in only


def test_the_server_makes_exactly_the_counted_rows(mariadb: MariaDB, database: str) -> None:
    size = Size(40)
    tables = ["auth_user", "accounts_profile", "messaging_optout"]
    load_sql(mariadb, database, "SET FOREIGN_KEY_CHECKS = 0;\n" + create_tables_sql(tables)
             + insert_sql(size, 3, tables))
    for table in tables:
        assert query(mariadb, database, f"SELECT COUNT(*) FROM `{table}`") == \
            [(size.counts()[table],)]


def test_size_scales_the_big_tables_and_the_sql_stays_small() -> None:
    big = Size(1_000_000).counts()
    assert {big[t] for t in ("messaging_message", "messaging_deliverylog", "paging_pagerlog",
                             "callcenter_calllog")} == {1_000_000}
    assert len(sample.database_sql(Size(1_000_000))) < 2 * len(sample.database_sql())
    only = sample.database_sql(Size(10), tables=["auth_user"])
    assert re.findall(r"CREATE TABLE `(\w+)`", only) == ["auth_user"]
    assert "TRIGGER" not in only
