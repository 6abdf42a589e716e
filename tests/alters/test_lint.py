from __future__ import annotations

from pathlib import Path

from release.alters.findings import Finding
from release.alters.lint import Shipped, blocks_to_lint, lint_alters
from release.alters.parse import parse_alters
from release.alters.registry import ERROR, WARNING
from release.alters.rules import Context
from release.demo import sample


def lint_text(text: str, name: str = "alters.sql") -> list[Finding]:
    return lint_alters(parse_alters(text, name), text, ctx=Context(name, 1_000_000, {}))


def lint_fixture(folder: Path, name: str) -> list[Finding]:
    return lint_text((folder / name).read_text(), name)


def test_sample_alters_reports_its_wrapper_and_its_not_null_column() -> None:
    findings = lint_text(sample.alters_sql())
    assert [(f.code, f.line) for f in findings if f.level == ERROR] == [
        ("AL002", 1), ("AL020", 15)]
    by_code = {f.code: f.message for f in findings}
    assert "COMMIT (line 33)" in by_code["AL002"] and "insurance_id" in by_code["AL020"]
    warnings = {(f.code, f.line) for f in findings if f.level == WARNING}
    assert {line for code, line in warnings if code == "AL022"} == {4, 21}
    assert {code for code, _ in warnings} == {"AL021", "AL022", "AL030"}
    # the Stagecraft blocks (ALGORITHM=INSTANT, with defaults) are clean
    assert all(f.line < 23 for f in findings)


def test_sample_dangerous_block_is_an_error_and_its_fix_is_clean() -> None:
    assert [f.code for f in lint_text(sample.DANGEROUS_BLOCK)] == ["AL030", "AL020"]
    assert lint_text(sample.SAFE_BLOCK) == []


def test_client_alters_reports_exactly_the_real_dangers(client_files: Path) -> None:
    findings = lint_fixture(client_files, "alters.sql")
    errors = [(f.code, f.line) for f in findings if f.level == ERROR]
    assert errors == [
        ("AL002", 1), ("AL011", 5),
        ("AL010", 7), ("AL010", 8), ("AL010", 9), ("AL010", 10),
        ("AL020", 20), ("AL020", 21), ("AL020", 22), ("AL020", 23), ("AL020", 24),
    ]
    warnings = {(f.code, f.line) for f in findings if f.level == WARNING}
    assert {line for code, line in warnings if code == "AL022"} == {29, 36, 37, 38, 39, 40}
    # the only other warning is AL030 (ALTERs that state no ALGORITHM/LOCK): no style noise
    assert {code for code, _ in warnings} == {"AL022", "AL030"}
    assert [f.line for f in findings] == sorted(f.line for f in findings)


def test_client_alters_dangers_name_their_objects(client_files: Path) -> None:
    by_line = {(f.code, f.line): f.message for f in lint_fixture(client_files, "alters.sql")}
    assert "Partners_partnerlog" in by_line[("AL010", 8)]
    assert "partner_creator_id" in by_line[("AL011", 5)]
    assert "mrn" in by_line[("AL020", 20)]
    assert "COMMIT (line 45)" in by_line[("AL002", 1)]


def test_german_alters_passes_its_updates_have_where(client_files: Path) -> None:
    assert lint_fixture(client_files, "alters_de.sql") == []


def test_edited_shipped_block_is_al041_and_trimmed_blocks_are_fine() -> None:
    old = "-- alter: a\nALTER TABLE t ADD x int NULL;\n-- alter: b\nALTER TABLE t ADD y int NULL;\n"
    shipped_blocks = parse_alters(old, "alters.sql").blocks
    shipped = Shipped("release-1", {b.id: b.checksum for b in shipped_blocks})
    edited = "-- alter: b\nALTER TABLE t ADD y bigint NULL;\n-- alter: c\nSELECT 1;\n"
    relaid = "-- alter: b\n-- why: because\nALTER TABLE t\n  ADD y int NULL;\n"

    def al041(text: str) -> list[tuple[int, str]]:
        found = lint_alters(parse_alters(text, "alters.sql"), text, shipped=shipped,
                            ctx=Context("alters.sql", 1, {}))
        return [(f.line, f.message) for f in found if f.code == "AL041"]

    assert [line for line, _ in al041(edited)] == [1]
    assert "release-1" in al041(edited)[0][1]
    assert al041(relaid) == []


def test_edited_shipped_headerless_block_is_al041() -> None:
    shipped_blocks = parse_alters("DROP INDEX i ON t;\n", "a.sql").blocks
    shipped = Shipped("release-1", {b.id: b.checksum for b in shipped_blocks})
    text = "DROP INDEX j ON t;\n"
    found = lint_alters(parse_alters(text, "a.sql"), text, shipped=shipped,
                        ctx=Context("a.sql", 1, {}))
    assert [f.code for f in found] == ["AL041"]


def test_hook_selects_pending_and_changed_blocks_only() -> None:
    text = "-- alter: a\nSELECT 1;\n-- alter: b\nSELECT 2;\n-- alter: c\nSELECT 3;\n"
    parsed = parse_alters(text, "x.sql")
    sums = {b.id: b.checksum for b in parsed.blocks}
    shipped = Shipped("t", {"a": sums["a"], "b": sums["b"]})
    assert blocks_to_lint(parsed, shipped=shipped, at_head=sums) == {"c"}
    assert blocks_to_lint(parsed, shipped=shipped, at_head={"a": sums["a"]}) == {"b", "c"}
    assert blocks_to_lint(parsed, shipped=None, at_head=sums) == {"a", "b", "c"}


def test_unselected_blocks_are_not_linted() -> None:
    text = "-- alter: old\nDROP TABLE x;\n-- alter: new\nDROP TABLE y;\n"
    found = lint_alters(parse_alters(text, "x.sql"), text, ctx=Context("x.sql", 1, {}),
                        selected={"new"})
    assert [(f.code, f.line) for f in found] == [("AL010", 4)]
