"""release.docs.gather: what a release consists of, read from a real repository: staging's head,
its tag, the previous release, the commits since, the pending blocks and entries."""

from __future__ import annotations

from datetime import date

import pytest

from release.config import GitConfig, load
from release.docs.gather import commits_since, find_target, read_release
from release.errors import Refused, UsageError
from release.git.repo import Repository
from tests.support.git import Sandbox, commit, git
from tests.support.release import HEADER, NEW_ENTRIES, OLD_ALTERS, OLD_ENTRY

CONFIG = GitConfig()
PUSH = "production_push_instructions.txt"
DROP = "\n-- alter: drop-a\n-- author: dan\nALTER TABLE t DROP COLUMN a;\n"


def test_without_staging_there_is_no_release_and_it_says_how_to_get_one(
        sandbox: Sandbox) -> None:
    with pytest.raises(Refused) as refused:
        find_target(Repository(sandbox.app), CONFIG)
    assert refused.value.message.startswith(
        "there is no staging branch (locally or as origin/staging)")
    assert "`invoke staging.create`, or fetch it (git fetch)" in refused.value.message


def test_the_local_staging_wins_over_the_one_last_fetched(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    fetched = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    git(sandbox.dev, "push", "--quiet", "origin", "HEAD:staging")
    git(sandbox.app, "fetch", "--quiet")
    target = find_target(repo, CONFIG)
    assert (target.ref, target.sha, target.tag, target.previous) == \
        ("origin/staging", fetched, None, None)
    git(sandbox.app, "branch", "staging", "master")
    assert find_target(repo, CONFIG).ref == "staging"
    assert find_target(repo, CONFIG).sha == git(sandbox.app, "rev-parse", "master")


def test_the_release_is_the_tag_at_head_and_the_previous_the_nearest_other_one(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    git(sandbox.app, "tag", "-a", "-m", "first", "release-2026.01.05.1")
    commit(sandbox.app, "a.py", "a = 1\n", "feat: a")
    head = commit(sandbox.app, "b.py", "b = 1\n", "fix: b")
    git(sandbox.app, "tag", "not-a-release")
    git(sandbox.app, "branch", "staging")
    untagged = find_target(repo, CONFIG)
    assert (untagged.tag, untagged.previous) == (None, "release-2026.01.05.1")
    for name in ("release-2026.02.01.1", "release-2026.02.01.2"):
        git(sandbox.app, "tag", "-a", "-m", name, name)
    tagged = find_target(repo, CONFIG)
    assert (tagged.sha, tagged.tag, tagged.previous) == \
        (head, "release-2026.02.01.2", "release-2026.01.05.1")
    assert [c.subject for c in commits_since(repo, tagged)] == ["fix: b", "feat: a"]


def test_since_replaces_the_previous_release_and_must_name_something_here(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    first = git(sandbox.app, "rev-list", "--max-parents=0", "HEAD")
    git(sandbox.app, "branch", "staging")
    target = find_target(repo, CONFIG, since=first)
    assert target.previous == first
    assert [c.subject for c in commits_since(repo, target)] == \
        ["chore: empty alters", "feat: first version"]
    with pytest.raises(UsageError, match="--since 'release-0' is not a tag, branch or commit"):
        find_target(repo, CONFIG, since="release-0")


def test_the_release_lists_what_is_new_since_the_previous_one_and_lints_only_when_asked(
        sandbox: Sandbox) -> None:
    app = sandbox.app
    commit(app, "alters.sql", OLD_ALTERS, "feat: column a")
    commit(app, PUSH, HEADER + OLD_ENTRY, "docs: old push step")
    git(app, "tag", "-a", "-m", "first", "release-2026.01.05.1")
    commit(app, "alters.sql", OLD_ALTERS + DROP, "feat(db): drop a")
    commit(app, PUSH, HEADER + OLD_ENTRY + NEW_ENTRIES, "docs: new push steps")
    git(app, "branch", "staging")
    repo, config = Repository(app), load(app)
    target = find_target(repo, config.git)
    today = date(2026, 2, 10)

    plain = read_release(repo, config, target, today=today, lint=False)
    assert [b.id for b in plain.blocks] == ["drop-a"] and plain.blocks[0].findings == ()
    assert [e.author for e in plain.entries] == ["bob", "carol"]
    assert plain.commit_count == 2 and plain.previous == "release-2026.01.05.1"
    assert plain.pending_basis == ("Pending: blocks whose id and checksum are not in the files "
                                   "at release-2026.01.05.1.")
    assert (plain.project, plain.release, plain.generated_on) == \
        ("app", f"staging at {target.sha[:10]}", "2026-02-10")

    linted = read_release(repo, config, target, today=today, lint=True, tag="release-next")
    assert linted.release == "release-next"
    assert "AL011" in {f.code for f in linted.blocks[0].findings}
