"""Aiming a statement at an empty copy of its table, and the verdicts (pure)."""

from __future__ import annotations

from release.alters.explain_sql import Answer, on_copy, scaled_seconds, target, verdict
from release.alters.parse import Statement, parse_alters


def statement(sql: str) -> Statement:
    return parse_alters(f"-- alter: x\n{sql};\n", "alters.sql").blocks[0].statements[0]


def aimed(sql: str, algorithm: str = "INPLACE", lock: str | None = "NONE") -> str:
    st = statement(sql)
    aim = target(st)
    assert aim is not None
    return on_copy(st, aim, scratch="s", algorithm=algorithm, lock=lock)


def test_the_statement_runs_on_the_copy_with_our_algorithm_and_lock_not_its_own() -> None:
    assert aimed("ALTER TABLE `t` ADD COLUMN a int NULL, ALGORITHM=COPY, LOCK=SHARED") == \
        "ALTER TABLE `s`.`t` ALGORITHM=INPLACE, LOCK=NONE, ADD COLUMN a int NULL"
    assert aimed("alter table db.t algorithm = copy, modify code bigint", "INSTANT", None) == \
        "alter table `s`.`t` ALGORITHM=INSTANT, modify code bigint"
    assert aimed("CREATE UNIQUE INDEX i ON t (a, b) LOCK=SHARED") == \
        "CREATE UNIQUE INDEX i ON `s`.`t` (a, b) ALGORITHM=INPLACE LOCK=NONE"
    assert aimed("DROP INDEX i ON `t`") == "DROP INDEX i ON `s`.`t` ALGORITHM=INPLACE LOCK=NONE"


def test_foreign_keys_name_the_tables_the_copy_needs_beside_it() -> None:
    aim = target(statement("ALTER TABLE t ADD FOREIGN KEY (u) REFERENCES `users` (id), "
                           "ADD FOREIGN KEY (p) REFERENCES t (id)"))
    assert aim is not None and aim.references == ("users",)


def test_other_ddl_and_dml_are_not_aimed() -> None:
    assert target(statement("DROP TABLE t")) is None
    assert target(statement("CREATE TABLE t (id int)")) is None
    assert target(statement("UPDATE t SET a = 1 WHERE id = 2")) is None


def test_verdicts() -> None:
    assert verdict(Answer("INSTANT", "NONE"), online=None, estimate_s=None) == "instant"
    assert verdict(Answer("INPLACE", "NONE"), online=None, estimate_s=9) == \
        "online (writes go on)"
    assert verdict(Answer("COPY", "SHARED"), online=None,
                   estimate_s=scaled_seconds(2000, 100, 400)) == "blocks writes for about 8 s"
    assert verdict(Answer("COPY", "SHARED"), online="pt-osc", estimate_s=None).startswith(
        "online through pt-osc")
