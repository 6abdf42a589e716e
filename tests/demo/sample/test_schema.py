"""release.demo.sample.schema: the sample application's tables, trigger and view."""

from __future__ import annotations

import re

from release.demo import sample
from release.demo.sample.schema import OPTIONS, TRIGGER, VIEW, create_tables_sql
from tests.support.mariadb import MariaDB, load_sql, query


def test_tables_are_created_in_dependency_order_with_foreign_key_checks_on(
        mariadb: MariaDB, database: str) -> None:
    load_sql(mariadb, database, create_tables_sql() + TRIGGER + VIEW)
    tables = {str(name): str(kind) for name, kind in query(mariadb, database, "SHOW FULL TABLES")}
    assert {n for n, kind in tables.items() if kind == "BASE TABLE"} == set(sample.TABLES)
    assert tables["schedules_oncall_now"] == "VIEW"
    assert query(mariadb, database, "SHOW TRIGGERS")[0][0] == "accounts_profile_touch"


def test_a_subset_keeps_the_order_and_the_table_options() -> None:
    chosen = create_tables_sql(["messaging_message", "auth_user"])
    assert re.findall(r"CREATE TABLE `(\w+)`", chosen) == ["auth_user", "messaging_message"]
    assert chosen.count(f") {OPTIONS};") == 2


def test_schema_has_the_shapes_a_real_one_has() -> None:
    ddl = "\n".join(sample.TABLES.values())
    assert len(sample.TABLES) == 21
    assert "UNIQUE KEY `auth_user_email_uniq` (`email`)" in sample.TABLES["auth_user"]
    assert "PRIMARY KEY (`practice_id`, `user_id`)" in sample.TABLES["clinics_practice_members"]
    assert "PRIMARY KEY (`number`)" in sample.TABLES["messaging_optout"]
    assert ddl.count("FOREIGN KEY") >= 20
    text = sample.database_sql()
    assert "CREATE TRIGGER" in text and "CREATE VIEW" in text
