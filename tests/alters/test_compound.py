from __future__ import annotations

import pytest

from release.alters.compound import Nesting, body_spans, opens_compound, stored_program
from release.alters.tokens import code_tokens


def up(sql: str) -> list[str]:
    return [t.upper() for t in code_tokens(sql)[0]]


@pytest.mark.parametrize("sql", [
    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END",
    "CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN SELECT 1; END",
    "ALTER EVENT e DO BEGIN DELETE FROM t WHERE a; END",
    "BEGIN NOT ATOMIC SELECT 1; END",
    "IF @a THEN SELECT 1; END IF",
    "lbl: LOOP LEAVE lbl; END LOOP lbl",
    "DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN SET @done = 1; END",
])
def test_statements_that_may_hold_a_body(sql: str) -> None:
    assert opens_compound(up(sql))


@pytest.mark.parametrize("sql", [
    "BEGIN", "BEGIN WORK", "CREATE TABLE trigger_log (id int)",
    "CREATE VIEW v AS SELECT 1", "ALTER TABLE t ADD `begin` int", "SELECT 1",
])
def test_statements_that_never_hold_one(sql: str) -> None:
    assert not opens_compound(up(sql))


def test_stored_program_names_the_kind_and_the_name_as_written() -> None:
    sql = "CREATE FUNCTION IF NOT EXISTS `Total`(a int) RETURNS int RETURN a"
    assert stored_program(up(sql), code_tokens(sql)[0]) == ("FUNCTION", "Total")
    assert stored_program(up("CREATE TABLE procedure_log (id int)")) is None
    assert stored_program(up("DROP PROCEDURE p")) is None


def nesting(sql: str) -> Nesting:
    followed = Nesting()
    for token in up(sql):
        followed.feed(token)
    return followed


def test_nesting_stays_open_until_the_last_end() -> None:
    assert nesting("CREATE PROCEDURE p() BEGIN IF a THEN SELECT 1;").open
    assert nesting("CREATE PROCEDURE p() BEGIN IF a THEN SELECT 1; END IF;").open
    closed = nesting("CREATE PROCEDURE p() BEGIN IF a THEN SELECT 1; END IF; END")
    closed.finish()
    assert not closed.open


def test_case_expressions_and_begin_as_a_name_open_nothing() -> None:
    assert not nesting("SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t;").open
    assert not nesting("ALTER TABLE t ADD begin int;").open


def test_body_spans_are_the_simple_statements_inside_nested_blocks_too() -> None:
    tokens = up("CREATE PROCEDURE p() lbl: BEGIN UPDATE t SET a = 1 WHERE b; "
                "IF a THEN DELETE FROM u WHERE c; END IF; END lbl")
    starts = [" ".join(tokens[s:e][:2]) for s, e in body_spans(tokens)]
    assert starts == ["UPDATE T", "DELETE FROM"]


def test_not_atomic_belongs_to_the_begin_not_to_the_first_statement() -> None:
    tokens = up("BEGIN NOT ATOMIC UPDATE t SET a = 1 WHERE b; END")
    assert [tokens[s] for s, _ in body_spans(tokens)] == ["UPDATE"]
