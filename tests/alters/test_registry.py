"""The rule registry: its examples are true, its table is readable, and the README agrees."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from release.alters.findings import Finding
from release.alters.lint import Shipped, lint_alters
from release.alters.parse import parse_alters
from release.alters.pi_rules import push_instruction_findings
from release.alters.push_instructions import parse_push_instructions
from release.alters.registry import (
    ALTERS_RULES,
    ERROR,
    PUSH_INSTRUCTION_RULES,
    RULES,
    WARNING,
    Rule,
    level_of,
    render_rules,
)
from release.alters.rules import Context

README = Path(__file__).parents[2] / "README.md"
CASES = Path(__file__).parent / "cases"
_ROW = re.compile(r"\| ((?:AL|PI)\d{3}) \|.*\| (\w+) \|\s*\Z")


def lint_example(sql: str, shipped_from: str) -> list[Finding]:
    """An alters example, linted as the hook would with the examples' world around it: the
    events table is large (AL031), and the better way's blocks are what shipped (AL041)."""
    shipped = {b.id: b.checksum for b in parse_alters(shipped_from, "alters.sql").blocks}
    ctx = Context("alters.sql", 1_000_000, {"events": 40_000_000}, "mariadb")
    return lint_alters(parse_alters(sql, "alters.sql"), sql, ctx=ctx,
                       shipped=Shipped("release-2026.03.01.1", shipped))


def check_example(text: str, *, pending: int) -> list[Finding]:
    """A push-instructions example, on 2026-03-05; the anti-pattern has no pending alters
    block, the better way commits its block with the entry (PI007)."""
    return push_instruction_findings("push.txt", text, parse_push_instructions(text),
                                     today=datetime.date(2026, 3, 5), new_entries=None,
                                     pending_blocks=pending)


@pytest.mark.parametrize("rule", ALTERS_RULES, ids=lambda r: r.code)
def test_alters_anti_pattern_gives_its_code_and_the_better_way_does_not(rule: Rule) -> None:
    anti = [f.code for f in lint_example(rule.anti_pattern, rule.better)]
    better = [f for f in lint_example(rule.better, rule.better) if f.code == rule.code]
    assert rule.code in anti
    assert better == []


@pytest.mark.parametrize("rule", PUSH_INSTRUCTION_RULES, ids=lambda r: r.code)
def test_push_instruction_anti_pattern_gives_its_code_and_the_better_way_does_not(
        rule: Rule) -> None:
    anti = [f.code for f in check_example(rule.anti_pattern, pending=0)]
    better = [f for f in check_example(rule.better, pending=1) if f.code == rule.code]
    assert rule.code in anti
    assert better == []


def test_findings_take_their_level_from_the_registry() -> None:
    assert Finding("a.sql", 1, 1, "AL030", "may copy").level == WARNING
    assert Finding("a.sql", 1, 1, "AL010", "drop").level == ERROR
    found = lint_example("ALTER TABLE t ADD UNIQUE KEY k (a);\nDROP TABLE t;\n", "")
    assert {(f.code, f.level) for f in found} >= {("AL024", WARNING), ("AL010", ERROR)}


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="AL999 is not in the rule registry"):
        level_of("AL999")
    with pytest.raises(ValueError, match="XX001"):
        Finding("a.sql", 1, 1, "XX001", "?")


def test_every_rule_is_one_line_with_a_known_level_and_a_code_in_order() -> None:
    codes = list(RULES)
    assert codes == sorted(codes)
    assert {r.level for r in RULES.values()} == {ERROR, WARNING}
    assert all("\n" not in r.summary and len(r.summary) <= 90 for r in RULES.values())


def test_every_case_file_names_a_registered_rule() -> None:
    assert {path.stem for path in CASES.glob("*.yml")} <= set(RULES)


def test_rule_table_lines_up_code_level_and_summary() -> None:
    table = render_rules(RULES.values(), "text").splitlines()
    assert table[0].split() == ["code", "level", "summary"]
    assert table[1] == "AL001  error    SQL that does not parse, or a file that cannot be read"
    assert "AL003  warning  DDL and data changes in one block" in table[3]
    assert len(table) == len(RULES) + 1


def test_json_rules_carry_the_examples() -> None:
    rows = json.loads(render_rules(PUSH_INSTRUCTION_RULES, "json"))
    assert [row["code"] for row in rows] == [f"PI00{n}" for n in range(1, 8)]
    assert "-pS3cret" in rows[5]["anti_pattern"]
    assert set(rows[0]) == {"code", "level", "summary", "anti_pattern", "better"}


def test_readme_rule_table_lists_the_registry_codes_and_levels() -> None:
    rows = [_ROW.match(line) for line in README.read_text(encoding="utf-8").splitlines()]
    listed = {m.group(1): m.group(2) for m in rows if m}
    assert listed == {code: rule.level for code, rule in RULES.items()}
