from __future__ import annotations

from release.alters.bodies import body_of, parts
from release.alters.parse import Statement, parse_alters


def statement(sql: str) -> Statement:
    (block,) = parse_alters(sql, "alters.sql").blocks
    return block.statements[0]


def upper(s: Statement) -> list[str]:
    return [t.upper() for t in s.tokens]


def test_a_stored_programs_body_is_its_statements_placed_in_the_file() -> None:
    routine = parse_alters("SELECT 0;\nCREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN\n"
                           "  DELETE FROM sessions WHERE expires < NOW();\n"
                           "  TRUNCATE cache;\nEND;\n", "a.sql").blocks[0].statements[1]
    body = body_of(routine, upper(routine))
    assert body is not None and body.program == ("EVENT", "purge")
    assert [(s.text, s.line, s.col, s.kind) for s in body.statements] == [
        ("DELETE FROM sessions WHERE expires < NOW()", 3, 3, "dml"),
        ("TRUNCATE cache", 4, 3, "ddl")]


def test_an_anonymous_blocks_statements_are_the_blocks_own_parts() -> None:
    anonymous = statement("BEGIN NOT ATOMIC\n  UPDATE t SET a = 1 WHERE b;\n"
                          "  ALTER TABLE t ADD c int NULL;\nEND;\n")
    body = body_of(anonymous, upper(anonymous))
    assert body is not None and body.program is None
    assert [(s.text, s.kind) for s in parts(anonymous)] == [
        ("UPDATE t SET a = 1 WHERE b", "dml"), ("ALTER TABLE t ADD c int NULL", "ddl")]


def test_a_plain_statement_and_a_routine_are_their_own_single_part() -> None:
    plain = statement("ALTER TABLE t ADD c int NULL;")
    assert body_of(plain, upper(plain)) is None
    assert parts(plain) == [plain]
    routine = statement("CREATE PROCEDURE p() BEGIN DELETE FROM t; END;")
    assert parts(routine) == [routine]
