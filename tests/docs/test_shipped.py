"""release.docs.shipped: alters files and push instructions read as they are at a commit (never
the work tree), and what a commit has that an earlier release lacks; on real repositories."""

from __future__ import annotations

import pytest

from release.config import Config, load
from release.docs.shipped import alters_at, entries_since, pending_lines, pending_since, text_at
from release.errors import Failed
from release.git.repo import Repository
from tests.support.git import Sandbox, commit, git
from tests.support.release import HEADER, NEW_ALTERS, NEW_ENTRIES, OLD_ALTERS, OLD_ENTRY

PUSH = "production_push_instructions.txt"


def released_then_changed(sandbox: Sandbox) -> tuple[Repository, Config, str, str]:
    """An application whose first release holds old-block and one entry; the next commit adds
    two blocks and two entries. Returns the repository, its configuration and both commits."""
    app = sandbox.app
    commit(app, "alters.sql", OLD_ALTERS, "feat: column a")
    first = commit(app, PUSH, HEADER + OLD_ENTRY, "docs: old push step")
    commit(app, "alters.sql", NEW_ALTERS, "feat(db): columns b and name")
    second = commit(app, PUSH, HEADER + OLD_ENTRY + NEW_ENTRIES, "docs: new push steps")
    repo = Repository(app)
    return repo, load(repo.root), first, second


def test_files_are_read_at_a_commit_whatever_the_work_tree_holds(sandbox: Sandbox) -> None:
    repo, _, first, second = released_then_changed(sandbox)
    (sandbox.app / "alters.sql").write_text("-- not committed\n")
    assert text_at(repo, first, "alters.sql") == OLD_ALTERS.rstrip("\n")
    assert text_at(repo, None, "alters.sql") is None
    assert text_at(repo, second, "missing.sql") is None
    parsed = alters_at(repo, second, "alters.sql")
    assert parsed is not None and [b.id for b in parsed.blocks][:2] == ["old-block", "new-block"]
    assert alters_at(repo, None, "alters.sql") is None


def test_a_file_that_is_not_utf8_is_a_failure_naming_it_and_the_commit(sandbox: Sandbox) -> None:
    (sandbox.app / "alters.sql").write_bytes(b"-- caf\xe9\n")
    git(sandbox.app, "commit", "--quiet", "-am", "latin-1 alters")
    repo = Repository(sandbox.app)
    with pytest.raises(Failed) as failed:
        text_at(repo, "HEAD", "alters.sql")
    assert failed.value.message == ("alters.sql at HEAD is not UTF-8 text, so its alters or "
                                    "instructions cannot be read. Save it as UTF-8 and commit it.")


def test_pending_are_the_blocks_and_entries_the_previous_commit_lacks(sandbox: Sandbox) -> None:
    repo, config, first, second = released_then_changed(sandbox)
    blocks, entries = pending_since(repo, config, second, first)
    assert [b.id for b in blocks] == ["new-block", "20260210-carol-1"]  # a legacy header
    assert [(e.author, e.date) for e in entries] == [("bob", "2026-02-01"),
                                                     ("carol", "2026-02-03")]
    everything, all_entries = pending_since(repo, config, second, None)
    assert [b.id for b in everything] == ["old-block", "new-block", "20260210-carol-1"]
    assert len(all_entries) == 3
    assert entries_since(repo, "missing.txt", second, first) == ()


def test_status_lines_count_and_list_what_ships_next(sandbox: Sandbox) -> None:
    repo, config, first, second = released_then_changed(sandbox)
    lines = pending_lines(repo, config, second, first)
    assert lines[0] == f"alters blocks pending since {first}: 2"
    assert lines[1].startswith("  alters.sql:") and lines[1].endswith(" new-block (bob)")
    assert lines[3] == f"push-instruction entries pending since {first}: 2"
    assert lines[4].startswith(f"  {PUSH}:") and lines[4].endswith(" 2026-02-01 bob")
    assert pending_lines(repo, config, first, None)[0] == \
        "alters blocks pending (no release yet): 1"
