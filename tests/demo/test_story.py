from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.git import git


def test_demo_runs_a_whole_release_in_its_sandbox(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "invoke", "demo", "--path", str(tmp_path)],
                            cwd=Path(__file__).resolve().parents[2], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("staging.status", "staging.create", "staging.merge", "release.tag"):
        assert f"$ invoke {step}" in result.stdout
    origin = tmp_path / "origin.git"
    tags = git(origin, "tag", "--list").split()
    assert len(tags) == 2 and all(t.startswith("release-") for t in tags)
    assert git(origin, "cat-file", "-t", f"refs/tags/{tags[0]}") == "tag"
    assert (tmp_path / "app" / "tasks.py").read_text().startswith("from release.tasks import ns")
    checklist, notes = tmp_path / "checklist-qa.html", tmp_path / "release-notes.html"
    assert f"Checklist: {checklist}" in result.stdout
    assert f"Release notes: {notes}" in result.stdout
    assert "2025-12-optout-source" in checklist.read_text()
    # the sample application's own product checks, from its release.toml
    for check in ("Check paging", "Check physician IVR", "Set test telephony numbers",
                  "QA checks: practices"):
        assert check in checklist.read_text()
    assert notes.read_text().startswith("<!DOCTYPE html>")
    linted, hooked = result.stdout.split("the pre-commit hook checks it.")
    assert "alters.sql:1:1: AL002" in linted and "AL020 ADD COLUMN insurance_id" in linted
    refused, passed = hooked.split("(exit 1)", 1)
    assert "AL020 ADD COLUMN carrier NOT NULL without DEFAULT" in refused
    assert "AL020" not in passed.split("QA's database")[0]
    applied, again = result.stdout.split("Applying again runs nothing twice:")
    assert "Applied 10 statement(s) to 'qa' (qatest)." in applied
    assert "Nothing to apply on 'qa'" in again
    cloned, broken = again.split("Without the rule for accounts_profile.mobile_phone")
    assert "$ invoke db.clone --from production --to qa --yes" in cloned
    assert "scrubs 51 column(s) in 16 table(s)" in cloned
    assert "qa: scrub verified" in cloned
    assert "accounts_profile.mobile_phone: production '(" in cloned
    assert "accounts_profile.mobile_phone: looks like contact data" in broken
    assert "qa: scrub verified" in broken.split("(exit 1)")[1]
    assert "alters.apply lints what it is about to run" in result.stdout
    assert "alters files: alters.sql as at staging (" in result.stdout
    assert "alters files: the working tree's alters.sql (--from-worktree)" in result.stdout
    guided = result.stdout.split("The guided release:")[1]
    for step in ("release.run --env qa --yes --clone", "release.tag",
                 "release.run --env production --yes", "deploy.history --env production",
                 "release.notes", "release.checklist --env production"):
        assert f"$ invoke {step}" in guided
    assert "nothing to do, nothing was changed" in guided
    production = tmp_path / "release" / "servers" / "production"
    assert git(production, "rev-parse", "HEAD") == git(origin, "rev-parse", f"{tags[-1]}^{{}}")
    models = guided.split("forgets its alters block")[1]
    refused, fixed = models.split("The developer adds the block")
    assert "FAILED the models of the release and of the running code" in refused
    assert "patients_patient.preferred_name: the column is missing (model " \
           "patients.Patient.preferred_name)" in refused and "(exit 1)" in refused
    assert "Applied 1 statement(s) to 'qa' (qatest)." in fixed
    assert "breaks the code" not in fixed.split("$ invoke alters.drift --env qa")[1]
    runs = tmp_path / "release" / "operator" / ".git" / "stagecraft" / "runs"
    assert (runs / f"{tags[-1]}-production.html").is_file()
    # The private servers' own data folders aside, no file holds rows in plain SQL.
    dumps = [p for p in tmp_path.rglob("*") if p.is_file() and b"INSERT INTO" in p.read_bytes()
             and not any(part.startswith("mariadb") for part in p.parts)]
    assert dumps == [], "a plaintext dump was left in the sandbox"
