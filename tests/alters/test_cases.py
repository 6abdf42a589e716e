"""The rule cases in cases/*.yml, in sqlfluff's style: for each AL code, SQL that must give
it (`fail_str`) and SQL that must not (`pass_str`), with both dialects unless `dialects`
names one; `message` is a part the finding's message must hold, `table_rows` the table
sizes AL031 knows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from release.alters.findings import Finding
from release.alters.lint import lint_alters
from release.alters.parse import parse_alters
from release.alters.rules import Context

CASES = Path(__file__).parent / "cases"
DIALECTS = ("mysql", "mariadb")


def cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = data.pop("rule")
        assert rule == path.stem, f"{path.name} holds the cases of {rule}"
        for name, case in data.items():
            for dialect in case.get("dialects", DIALECTS):
                found.append(pytest.param(rule, case, dialect, id=f"{rule}-{name}-{dialect}"))
    return found


def lint(sql: str, dialect: str, rows: dict[str, int]) -> list[Finding]:
    return lint_alters(parse_alters(sql, "alters.sql"), sql,
                       ctx=Context("alters.sql", 1_000_000, rows, dialect))


@pytest.mark.parametrize(("rule", "case", "dialect"), cases())
def test_rule_case(rule: str, case: dict[str, Any], dialect: str) -> None:
    sql = case.get("fail_str", case.get("pass_str"))
    found = [f for f in lint(sql, dialect, case.get("table_rows", {})) if f.code == rule]
    if "fail_str" in case:
        assert found, f"{rule} expected with dialect {dialect}"
        assert any(case.get("message", "") in f.message for f in found), found
    else:
        assert found == []


def test_every_rule_has_failing_and_passing_cases() -> None:
    for path in CASES.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds = {key for case in data.values() if isinstance(case, dict) for key in case}
        assert {"fail_str", "pass_str"} <= kinds, path.name
