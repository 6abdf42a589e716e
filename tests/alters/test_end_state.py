from __future__ import annotations

from release.alters.end_state import end_state_findings
from release.alters.findings import Finding
from release.alters.parse import parse_alters


def findings(sql: str) -> list[Finding]:
    (block,) = parse_alters(sql, "alters.sql").blocks
    return end_state_findings(block, block.statements, "alters.sql")


def test_add_not_null_without_default_is_al020_at_the_clause() -> None:
    (found,) = findings("ALTER TABLE t ADD COLUMN a int NULL,\n  ADD COLUMN b int NOT NULL;")
    assert (found.code, found.level, found.line, found.col) == ("AL020", "error", 2, 3)
    assert found.message.startswith("ADD COLUMN b NOT NULL without DEFAULT: t.b ends the block")


def test_what_counts_is_the_end_of_the_block() -> None:
    (found,) = findings("ALTER TABLE t ADD COLUMN c int DEFAULT 0 NOT NULL;\n"
                        "ALTER TABLE t ALTER COLUMN c DROP DEFAULT;\n")
    assert found.line == 2 and found.end_line == 2
    assert found.message.startswith("DROP DEFAULT after the definition at line 1")
    assert findings("ALTER TABLE t ADD COLUMN c int NOT NULL;\n"
                    "ALTER TABLE t ALTER COLUMN c SET DEFAULT 0;\n") == []
    assert findings("ALTER TABLE t ADD COLUMN c int NOT NULL;\n"
                    "ALTER TABLE t MODIFY c int NULL;\n") == []


def test_a_renamed_column_keeps_its_hazard_under_its_new_name() -> None:
    (found,) = findings("ALTER TABLE t ADD COLUMN c int NOT NULL;\n"
                        "ALTER TABLE t RENAME COLUMN c TO d;\n")
    assert "t.d ends the block NOT NULL" in found.message
    (changed,) = findings("ALTER TABLE t CHANGE c e bigint NOT NULL;")
    assert changed.message.startswith("CHANGE makes e NOT NULL without DEFAULT")


def test_defaults_of_every_kind_and_new_tables_are_fine() -> None:
    for sql in ("ALTER TABLE t ADD COLUMN id int NOT NULL AUTO_INCREMENT PRIMARY KEY;",
                "ALTER TABLE t ADD COLUMN s int AS (a + 1) NOT NULL;",
                "ALTER TABLE t ADD COLUMN c int NOT NULL, DROP COLUMN c;",
                "CREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN c int NOT NULL;"):
        assert findings(sql) == [], sql


def test_code_first_blocks_are_silent() -> None:
    assert findings("-- alter: x\n-- code-first: yes\nALTER TABLE t ADD c int NOT NULL;") == []
    assert len(findings("-- alter: x\nALTER TABLE t ADD c int NOT NULL;")) == 1
