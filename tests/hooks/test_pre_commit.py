"""The hooks as an application repository really uses them: through pre-commit, which
clones this project at its HEAD commit and builds the hook environment with pip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from release.demo import sample
from tests.support.git import git

PROJECT = Path(__file__).resolve().parents[2]


def pre_commit(app: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=app, text=True,
                          capture_output=True, env={**os.environ, "PRE_COMMIT_HOME": str(home)},
                          check=False)


def test_pre_commit_blocks_a_dangerous_alter_and_lets_a_safe_one_through(
    tmp_path: Path,
) -> None:
    app, home = tmp_path / "app", tmp_path / "pre-commit-home"
    git(tmp_path, "init", "--quiet", "--initial-branch=master", str(app))
    (app / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {PROJECT}\n"
        f"    rev: {git(PROJECT, 'rev-parse', 'HEAD')}\n"
        "    hooks:\n"
        "      - id: release-lint-alters\n"
        "      - id: release-lint-push-instructions\n"
    )
    (app / "alters.sql").write_text(sample.DANGEROUS_BLOCK)
    (app / "production_push_instructions.txt").write_text(sample.push_instructions())
    git(app, "add", "-A")

    run = pre_commit(app, home, "run", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "alters.sql:3:31: AL020 ADD COLUMN carrier NOT NULL without DEFAULT" in run.stdout

    assert pre_commit(app, home, "install").returncode == 0
    blocked = subprocess.run(["git", "commit", "-m", "dangerous"], cwd=app, text=True,
                             capture_output=True, check=False)
    assert blocked.returncode == 1 and "AL020" in blocked.stdout + blocked.stderr
    assert git(app, "rev-list", "--all") == ""

    (app / "alters.sql").write_text(sample.SAFE_BLOCK)
    git(app, "add", "-A")
    assert pre_commit(app, home, "run", "--all-files").returncode == 0
    git(app, "commit", "--quiet", "-m", "safe")
    assert git(app, "log", "--format=%s") == "safe"
