from __future__ import annotations

from collections.abc import Mapping

from release.alters.clauses import Code, alter_clauses
from release.alters.explain_store import Explained
from release.alters.ledger_plan import statement_checksum
from release.alters.online import online_findings
from release.alters.parse import parse_alters


def hits(sql: str, *, dialect: str = "mysql", rows: Mapping[str, int] | None = None,
         explained: Mapping[str, Explained] | None = None) -> list[tuple[str, str]]:
    """(code, message) of AL030/AL031 for the one ALTER TABLE or CREATE INDEX in `sql`."""
    (block,) = parse_alters(sql, "alters.sql").blocks
    code = Code.of(block.statements[-1])
    table, clauses = alter_clauses(code) if code.at(0) == "ALTER" else ("big", [])
    return [(rule, message) for rule, _, message in online_findings(
        code, table, clauses, block, dialect=dialect, explained=explained or {},
        large_table_rows=1_000_000, table_rows=rows or {})]


def codes(sql: str, *, dialect: str = "mysql", rows: Mapping[str, int] | None = None,
          explained: Mapping[str, Explained] | None = None) -> list[str]:
    return [rule for rule, _ in hits(sql, dialect=dialect, rows=rows, explained=explained)]


def test_a_rebuild_without_algorithm_and_lock_is_al030() -> None:
    ((rule, message),) = hits("ALTER TABLE t ADD INDEX k (a);")
    assert rule == "AL030"
    assert message.startswith("ALTER of t without ALGORITHM= and LOCK=")


def test_stated_algorithms_metadata_changes_and_instant_adds_are_silent() -> None:
    for sql in ("ALTER TABLE t ADD INDEX k (a), ALGORITHM=INPLACE, LOCK=NONE;",
                "ALTER TABLE t ADD INDEX k (a), ALGORITHM=NOCOPY;",
                "ALTER TABLE t DROP INDEX k;",
                "ALTER TABLE t ALTER COLUMN c SET DEFAULT 1;",
                "ALTER TABLE t RENAME COLUMN a TO b;",
                "ALTER TABLE t ADD COLUMN c int NULL;",
                "-- alter: x\n-- online: pt-osc\nALTER TABLE t ADD INDEX k (a);"):
        assert codes(sql) == [], sql


def test_a_placed_add_column_is_instant_on_mariadb_only() -> None:
    sql = "ALTER TABLE t ADD COLUMN c int NULL AFTER a;"
    assert codes(sql, dialect="mysql") == ["AL030"]
    assert codes(sql, dialect="mariadb") == []


def test_the_servers_recorded_answer_wins() -> None:
    sql = "ALTER TABLE t ADD COLUMN c int NULL;"
    (block,) = parse_alters(sql, "alters.sql").blocks
    key = statement_checksum(block.statements[0])
    copied = {key: Explained("COPY", "SHARED", environment="qa")}
    ((rule, message),) = hits(sql, explained=copied)
    assert rule == "AL030"
    assert "the server on qa said it would run it with ALGORITHM=COPY, LOCK=SHARED" in message
    rebuild = "ALTER TABLE t ADD INDEX k (a);"
    (block,) = parse_alters(rebuild, "alters.sql").blocks
    inplace = {statement_checksum(block.statements[0]): Explained("INPLACE", "NONE")}
    assert codes(rebuild, explained=inplace) == []


def test_a_large_table_needs_an_online_strategy_an_instant_add_is_not_one() -> None:
    big = {"t": 5_000_000}
    ((rule, message),) = hits("ALTER TABLE t ADD COLUMN c int NULL;", rows=big)
    assert rule == "AL031"
    assert message.startswith("t has 5,000,000 rows (large_table_rows is 1,000,000)")
    assert codes("ALTER TABLE t ADD COLUMN c int NULL, ALGORITHM=INSTANT;", rows=big) == []
    assert codes("-- alter: x\n-- online: pt-osc\nALTER TABLE t ADD c int NULL;", rows=big) == []
    assert codes("ALTER TABLE t DROP INDEX k;", rows=big) == []
    assert codes("ALTER TABLE t ADD COLUMN c int NULL;", rows={"t": 999}) == []


def test_table_sizes_are_matched_case_insensitively_and_create_index_counts() -> None:
    assert codes("ALTER TABLE Orders ADD COLUMN c int NULL;", rows={"orders": 2_000_000}) == [
        "AL031"]
    assert codes("CREATE INDEX k ON big (a);", rows={"big": 2_000_000}) == ["AL030", "AL031"]
