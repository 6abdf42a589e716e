"""release.tasks.release: the invoke wrappers of release.tag, notes, checklist and run, run as
a user runs them on a sandbox release (tests/support/release.py). What the documents hold is
tested in tests/docs, the walk of release.run in tests/runbook."""

from __future__ import annotations

from tests.support.git import Sandbox, git


def test_a_checklist_needs_an_environment_and_names_the_configured_ones(
        shared_release: Sandbox) -> None:
    result = shared_release.invoke("release.checklist")
    assert result.returncode == 2
    assert result.stderr.strip() == \
        "error: --env is required (configured in release.toml: production, qa)."


def test_notes_written_to_a_file_say_where(shared_release: Sandbox) -> None:
    out = shared_release.app.parent / "notes-out" / "notes.html"
    result = shared_release.invoke("release.notes", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"release notes written to {out}"
    assert out.read_text().startswith("<!DOCTYPE html>")  # the format from the suffix


def test_a_dry_run_tag_prints_the_plan_and_tags_nothing(shared_release: Sandbox) -> None:
    before = git(shared_release.origin, "tag", "--list")
    result = shared_release.invoke("release.tag", "--dry-run", "--no-push")
    assert result.returncode == 0, result.stderr
    assert "(dry run: nothing will change)" in result.stdout
    assert "would run: git tag" in result.stdout and "would run: git push" not in result.stdout
    assert git(shared_release.app, "tag", "--list") == before
    assert git(shared_release.origin, "tag", "--list") == before


def test_release_run_needs_an_environment_and_a_dry_run_changes_nothing(
        shared_release: Sandbox) -> None:
    missing = shared_release.invoke("release.run")
    assert missing.returncode != 0 and "'release.run' did not receive required positional " \
        "arguments: 'env'" in missing.stderr
    result = shared_release.invoke("release.run", "--env", "qa", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("release.run: Release staging at ")
    assert "to qa (dry run: nothing will change)" in result.stdout.splitlines()[0]
    assert "  12. Reload the application: run " in result.stdout
    # No progress recorded: the next real run starts from the first step.
    assert not (shared_release.app / ".git" / "stagecraft" / "runs").exists()
