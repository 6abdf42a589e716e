from __future__ import annotations

from release.alters.clauses import (
    Code,
    added_columns,
    adds_columns,
    alter_clauses,
    alter_target,
    is_alter_table,
    name,
    option,
    pair,
    top_level,
    type_text,
)
from release.alters.parse import parse_alters


def code(sql: str) -> Code:
    (block,) = parse_alters(sql, "alters.sql").blocks
    return Code.of(block.statements[0])


def clause_words(sql: str) -> tuple[str, list[list[str]]]:
    table, clauses = alter_clauses(code(sql))
    return table, [c.up[c.start:c.end] for c in clauses]


def test_words_are_upper_cased_and_quoted_names_kept_as_written() -> None:
    c = code("alter table `Ord` add `Note` text null;")
    assert c.up == ["ALTER", "TABLE", "`Ord`", "ADD", "`Note`", "TEXT", "NULL"]
    assert c.raw[4] == "`Note`" and name(c.raw[4]) == "Note"
    assert is_alter_table(c) and not is_alter_table(code("ALTER VIEW v AS SELECT 1;"))


def test_the_target_table_skips_if_exists_and_the_schema() -> None:
    assert alter_target(code("ALTER TABLE IF EXISTS shop.orders ADD c int;"))[0] == "orders"
    assert alter_target(code("ALTER TABLE `shop`.`orders` ADD c int;"))[0] == "orders"
    assert alter_target(code("ALTER ONLINE TABLE orders ADD c int;"))[0] == "orders"


def test_clauses_are_cut_at_top_level_commas_only() -> None:
    table, clauses = clause_words(
        "ALTER TABLE t ADD c decimal(8,2) NULL, ADD INDEX k (a, b), ALGORITHM=INPLACE;")
    assert table == "t"
    assert clauses == [["ADD", "C", "DECIMAL", "(", "8", ",", "2", ")", "NULL"],
                       ["ADD", "INDEX", "K", "(", "A", ",", "B", ")"],
                       ["ALGORITHM", "=", "INPLACE"]]


def test_an_add_adds_columns_unless_it_adds_a_key_or_constraint() -> None:
    _, clauses = alter_clauses(code(
        "ALTER TABLE t ADD COLUMN IF NOT EXISTS a int NULL, ADD (b int, c varchar(3) NOT NULL),"
        " ADD UNIQUE KEY u (a), ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id);"))
    assert [adds_columns(c) for c in clauses] == [True, True, False, False]
    assert [col for col, _ in added_columns(clauses[0])] == ["a"]
    assert list(added_columns(clauses[1])) == [
        ("b", ["INT"]), ("c", ["VARCHAR", "(", "3", ")", "NOT", "NULL"])]


def test_type_text_keeps_the_length_and_sign_as_written() -> None:
    _, (modify,) = alter_clauses(code("ALTER TABLE t MODIFY c int(11) unsigned NOT NULL;"))
    assert type_text(modify, modify.start + 2) == "int(11) unsigned"


def test_top_level_words_leave_out_subqueries() -> None:
    assert "WHERE" not in top_level(code("UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1);"))
    assert "WHERE" in top_level(code("UPDATE t SET a = 1 WHERE id = 2;"))


def test_options_with_or_without_equals_and_word_pairs() -> None:
    up = code("ALTER TABLE t ADD c int, ALGORITHM = inplace, LOCK NONE;").up
    assert option(up, "ALGORITHM") == "INPLACE"
    assert option(up, "LOCK") == "NONE"
    assert option(up, "ROW_FORMAT") is None
    assert pair(["C", "INT", "NOT", "NULL"], "NOT", "NULL")
    assert not pair(["NOT", "X", "NULL"], "NOT", "NULL")


def test_a_finding_points_at_a_clauses_line_and_column() -> None:
    _, clauses = alter_clauses(code("ALTER TABLE t\n  ADD a int NULL,\n  DROP b;"))
    assert [c.where(c.start) for c in clauses] == [(2, 3), (3, 3)]
    assert clauses[1].at(clauses[1].start) == "DROP" and clauses[0].at(99) == ""
