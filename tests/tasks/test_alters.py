from __future__ import annotations

import json

from tests.support.git import Sandbox, commit, git


def test_lint_reports_dangers_and_passes_a_safe_file(sandbox: Sandbox) -> None:
    clean = sandbox.invoke("alters.lint")
    assert (clean.returncode, clean.stdout) == (0, "alters.sql: no findings\n")
    (sandbox.app / "alters.sql").write_text("-- alter: x\nDROP TABLE users;\n")
    result = sandbox.invoke("alters.lint")
    assert result.returncode == 1
    assert result.stdout.startswith("alters.sql:2:1: AL010 DROP TABLE users")
    assert "Traceback" not in result.stderr


def test_lint_all_covers_released_blocks(sandbox: Sandbox) -> None:
    commit(sandbox.app, "alters.sql", "-- alter: x\nDROP TABLE users;\n", "alter")
    git(sandbox.app, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    assert sandbox.invoke("alters.lint").returncode == 0
    result = sandbox.invoke("alters.lint", "--all", "--format", "json")
    assert result.returncode == 1
    assert [row["code"] for row in json.loads(result.stdout)] == ["AL010"]


def test_lint_checks_push_instructions_and_rejects_bad_format(sandbox: Sandbox) -> None:
    (sandbox.app / "production_push_instructions.txt").write_text(
        "Header\n\n2024-01-01: ann, password=hunter2\n")
    result = sandbox.invoke("alters.lint")
    assert result.returncode == 1 and "PI006" in result.stdout
    bad = sandbox.invoke("alters.lint", "--format", "xml")
    assert bad.returncode == 2 and "--format must be text or json" in bad.stderr
