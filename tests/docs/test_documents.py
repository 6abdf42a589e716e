"""release.checklist and release.notes on a sandbox release, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.git import Sandbox, git
from tests.support.release import make_release

# Every step of the runbook, in the runbook's order (SPEC: warnings, staging branch, backups,
# local changes, checkout, push instructions, alters, reload, QA checks, recovery).
RUNBOOK_ORDER = (
    "Read the warnings",
    "staging is at",
    "Review the push instructions and alters",
    "Clone production into qa",
    "Verify that qa can reach nobody",
    "Back up qatest before the alters",
    "No local changes in /srv/qa/mdcom",
    "Check out staging in /srv/qa/mdcom",
    "Follow the new entries in production_push_instructions.txt",
    "Apply the pending alters to qatest",
    "Back up qatest after the alters",
    "Reload the application",
    "Set test telephony numbers",
    "Check provider registration",
    "send a test message to yourself**",
    "send a test message to another user",
    "send a test message to yourself with an attachment",
    "Check paging",
    "Check physician IVR",
    "Check call forwarding/answering",
    "Check practice messaging",
    "Check the scheduler",
    "Check the answering service",
    "An alter failed",
    "Roll the code back",
    "Restore qatest from backups/qa-qatest-",
)


@pytest.fixture
def released(sandbox: Sandbox) -> Sandbox:
    make_release(sandbox)
    return sandbox


def _run(sandbox: Sandbox, *args: str) -> str:
    result = sandbox.invoke(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_checklist_has_every_runbook_step_in_order_with_this_releases_items(
        shared_release: Sandbox) -> None:
    text = _run(shared_release, "release.checklist", "--env", "qa")

    positions = [text.find(step) for step in RUNBOOK_ORDER]
    missing = [step for step, at in zip(RUNBOOK_ORDER, positions, strict=True) if at < 0]
    assert not missing
    assert positions == sorted(positions)
    for item in ("`new-block` by bob", "`20260210-carol-1` by carol, 2026-02-10",
                 "> new step: run manage.py rebuild_index", "> second new step",
                 "> with a continuation line"):
        assert item in text
    assert "old-block" not in text
    assert "old step" not in text
    assert text.count("- [ ] ") == len(RUNBOOK_ORDER) + 4  # + 2 entries and 2 blocks
    assert "(automated)" in text and "(manual)" in text


def test_checklist_recovery_names_the_backups_taken_before_and_after(
        shared_release: Sandbox) -> None:
    head = git(shared_release.app, "rev-parse", "staging")[:10]
    before = f"backups/qa-qatest-{head}-before-alters.sql.zst.age"
    text = _run(shared_release, "release.checklist", "--env", "qa")
    recovery = text[text.index("## When things go wrong"):]
    assert f"invoke db.restore --env qa --dump {before}" in recovery
    assert f"backups/qa-qatest-{head}-after-alters.sql.zst.age" in recovery


def test_production_checklist_checks_out_the_next_tag_and_restores_only_with_yes_really(
        shared_release: Sandbox) -> None:
    text = _run(shared_release, "release.checklist", "--env", "production")
    tags = git(shared_release.app, "tag", "--list").split()
    assert len(tags) == 1
    checkout = next(line for line in text.splitlines() if "Check out release-" in line)
    assert tags[0] not in checkout  # the new release gets the next name
    assert "invoke release.tag" in text
    assert "--yes-really" in text
    assert "Set test telephony numbers" not in text


def test_notes_group_commits_by_kind_since_the_previous_release(shared_release: Sandbox) -> None:
    text = _run(shared_release, "release.notes")
    assert text.index("## Features") < text.index("## Fixes") < text.index("## Other changes")
    assert "**db:** columns b and name" in text
    assert "a commit without prefix" in text
    assert "column a" not in text  # shipped in the previous release
    assert "`new-block` by bob" in text and "old-block" not in text


def test_notes_since_an_older_ref_include_everything_after_it(shared_release: Sandbox) -> None:
    first = git(shared_release.app, "rev-list", "--max-parents=0", "staging")
    text = _run(shared_release, "release.notes", "--since", first)
    assert "column a" in text and "old-block" in text and "old step" in text


def test_tag_message_is_the_release_notes(released: Sandbox) -> None:
    result = released.invoke("release.tag")
    assert result.returncode == 0, result.stderr
    newest = git(released.app, "tag", "--points-at", "staging")
    message = git(released.app, "tag", "--list", "--format=%(contents)", newest)
    assert message.startswith(f"# Release {newest}")
    assert "`new-block` by bob" in message and "second new step" in message


def test_checklist_and_notes_write_html_files(shared_release: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "out" / "checklist.html"
    printed = _run(shared_release, "release.checklist", "--env", "qa", "--output", str(out))
    assert str(out) in printed
    assert out.read_text().startswith("<!DOCTYPE html>")
    notes = tmp_path / "notes.md"
    _run(shared_release, "release.notes", "--format", "md", "--output", str(notes))
    assert notes.read_text().startswith("# Release staging at ")


def test_unknown_environment_exits_2_naming_the_configured_ones(shared_release: Sandbox) -> None:
    result = shared_release.invoke("release.checklist", "--env", "staging-server")
    assert result.returncode == 2
    assert "configured: production, qa" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_format_and_unknown_since_exit_2(shared_release: Sandbox) -> None:
    for args in (("release.notes", "--format", "pdf"), ("release.notes", "--since", "nope")):
        result = shared_release.invoke(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_notes_without_a_staging_branch_refuse_with_what_to_do(sandbox: Sandbox) -> None:
    result = sandbox.invoke("release.notes")
    assert result.returncode == 1
    assert "invoke staging.create" in result.stderr


def test_notes_after_tagging_describe_the_tagged_release_since_the_one_before(
        released: Sandbox) -> None:
    first = git(released.app, "tag", "--list")
    assert released.invoke("release.tag").returncode == 0
    second = git(released.app, "tag", "--points-at", "staging")
    text = _run(released, "release.notes")
    assert text.startswith(f"# Release {second}\n")
    assert f"since {first}." in text and "columns b and name" in text


def test_application_template_overrides_and_its_mistakes_are_named(released: Sandbox) -> None:
    folder = released.app / "templates" / "release"
    folder.mkdir(parents=True)
    (folder / "checklist.md.j2").write_text(
        "Our checklist for {{ environment.name }}\n{% for s in sections %}{{ s.title }}\n"
        "{% endfor %}")
    text = _run(released, "release.checklist", "--env", "qa")
    assert text.startswith("Our checklist for qa\nWarnings\n")

    (folder / "notes.md.j2").write_text("# {{ release.release }}\n{{ relaese.tag }}\n")
    result = released.invoke("release.notes")
    assert result.returncode == 2
    assert f"{folder / 'notes.md.j2'}:2" in result.stderr
    assert "variable 'relaese'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_alters_file_that_is_not_utf8_is_a_clear_failure(sandbox: Sandbox) -> None:
    (sandbox.dev / "alters.sql").write_bytes(b"-- alter: x\nALTER TABLE t COMMENT '\xff';\n")
    git(sandbox.dev, "commit", "--quiet", "-am", "latin-1 alters")
    git(sandbox.dev, "push", "--quiet", "origin", "master")
    assert sandbox.invoke("staging.create").returncode == 0
    result = sandbox.invoke("release.notes")
    assert result.returncode == 1
    assert "alters.sql at " in result.stderr and "not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_checklist_from_a_subfolder_reads_the_configuration_at_the_top(
        shared_release: Sandbox) -> None:
    deep = shared_release.app / "app" / "templates"
    deep.mkdir(parents=True, exist_ok=True)
    from_top = _run(shared_release, "release.checklist", "--env", "qa")
    result = shared_release.invoke("release.checklist", "--env", "qa", cwd=deep)
    assert result.returncode == 0, result.stderr
    assert result.stdout == from_top


def test_checklist_shows_what_the_server_said_for_each_statement_it_was_asked_about(
        shared_release: Sandbox) -> None:
    from release.alters.explain_store import Explained, record_explained
    from release.alters.ledger_plan import statement_checksum
    from release.alters.parse import parse_alters

    text = git(shared_release.app, "show", "origin/staging:alters.sql")
    statement = next(s for b in parse_alters(text, "alters.sql").blocks if b.id == "new-block"
                     for s in b.statements)
    folder = shared_release.app / ".git" / "stagecraft"
    record_explained(folder, {statement_checksum(statement): Explained(
        "INSTANT", "NONE", "production", rows=42)})
    try:
        text = _run(shared_release, "release.checklist", "--env", "production")
    finally:
        (folder / "explain.json").unlink()
    assert (f"line {statement.line}: the server on production (42 rows) said "
            "ALGORITHM=INSTANT, LOCK=NONE: writes go on") in text
