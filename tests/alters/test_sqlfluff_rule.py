from __future__ import annotations

from pathlib import Path

import sqlfluff

from release.demo import sample


def stagecraft(sql: str) -> list[tuple[int, str]]:
    found = sqlfluff.lint(sql, dialect="mysql", rules=["Stagecraft_SAFE"])
    return [(v["start_line_no"], v["description"].split()[0]) for v in found]


def test_sqlfluff_users_get_the_safety_rules_on_the_sample_file() -> None:
    found = stagecraft(sample.alters_sql())
    assert [(line, code) for line, code in found if code in ("AL002", "AL020")] == [
        (1, "AL002"), (15, "AL020")]


def test_sqlfluff_users_get_the_safety_rules_on_the_client_file(client_files: Path) -> None:
    found = stagecraft((client_files / "alters.sql").read_text())
    errors = [(line, code) for line, code in found if code in ("AL002", "AL010", "AL011",
                                                                "AL020")]
    assert errors == [(1, "AL002"), (5, "AL011"), (7, "AL010"), (8, "AL010"), (9, "AL010"),
                      (10, "AL010"), (20, "AL020"), (21, "AL020"), (22, "AL020"),
                      (23, "AL020"), (24, "AL020")]


def test_safe_sql_and_noqa_give_nothing() -> None:
    assert stagecraft("ALTER TABLE t ADD c int NULL, ALGORITHM=INSTANT;\n") == []
    assert stagecraft("DROP TABLE t;  -- noqa: AL010\n") == []
