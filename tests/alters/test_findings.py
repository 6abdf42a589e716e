from __future__ import annotations

import json

from release.alters.findings import (
    Finding,
    exit_status,
    noqa_lines,
    ordered,
    render,
    without_noqa,
)


def test_render_text_and_json_in_line_order() -> None:
    findings = ordered([Finding("a.sql", 9, 1, "AL010", "drop"),
                        Finding("a.sql", 2, 5, "AL030", "algo")])
    assert render(findings, "text") == (
        "a.sql:2:5: AL030 algo (warning)\na.sql:9:1: AL010 drop")
    assert [row["line"] for row in json.loads(render(findings, "json"))] == [2, 9]


def test_exit_status_errors_fail_warnings_only_when_strict() -> None:
    warning = [Finding("a", 1, 1, "AL030", "w")]
    assert exit_status(warning, strict=False) == 0
    assert exit_status(warning, strict=True) == 1
    assert exit_status([Finding("a", 1, 1, "AL010", "e")], strict=False) == 1
    assert exit_status([], strict=True) == 0


def test_noqa_covers_every_line_of_the_statement() -> None:
    silenced = noqa_lines("ALTER TABLE t\n  DROP COLUMN c; # noqa: al011\n")
    finding = Finding("a", 1, 1, "AL011", "x", end_line=2)
    assert without_noqa([finding], silenced) == []
    assert without_noqa([Finding("a", 1, 1, "AL011", "x", end_line=1)], silenced) != []
