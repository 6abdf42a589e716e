"""release.git.checks: the read-only facts and refusals the git tasks share, on real
repositories."""

from __future__ import annotations

import pytest

from release.config import GitConfig
from release.errors import Refused, UsageError
from release.git.checks import (
    describe_commits,
    fetch_step,
    known_ancestor,
    release_globs,
    remote_base,
    require_branch,
    require_clean,
    resolve_target,
    staging_state,
    unreleased_commits,
)
from release.git.repo import Commit, Repository
from tests.support.git import Sandbox, commit, git

CONFIG = GitConfig()


def test_a_dirty_tree_is_refused_listing_twenty_changes_and_how_many_more(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    require_clean(repo, "creating staging")  # clean: no refusal
    for n in range(23):
        (sandbox.app / f"new{n:02}.txt").write_text("x\n")
    with pytest.raises(Refused) as error:
        require_clean(repo, "creating staging")
    message = error.value.message
    assert message.startswith("the work tree has uncommitted changes, so creating staging "
                              "would not be what is committed:\n  ?? new00.txt\n")
    assert "  ?? new19.txt\n  ... and 3 more\nCommit or stash them" in message
    assert "new20.txt" not in message and message.endswith("Nothing was changed.")


def test_a_detached_head_is_refused_naming_its_commit(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    assert require_branch(repo, "staging.merge") == "master"
    git(sandbox.app, "switch", "--quiet", "--detach")
    with pytest.raises(Refused) as error:
        require_branch(repo, "staging.merge")
    head = git(sandbox.app, "rev-parse", "HEAD")[:12]
    assert error.value.message.startswith(f"HEAD is detached at {head}; staging.merge switches")
    assert "git switch <branch>" in error.value.message


def test_unreleased_commits_are_those_in_neither_the_remote_base_nor_a_release_tag(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    released = commit(sandbox.app, "a.txt", "a\n", "feat: released")
    git(sandbox.app, "tag", "release-2026.01.05.1", released)
    commit(sandbox.app, "b.txt", "b\n", "feat: unreleased")
    git(sandbox.app, "switch", "--quiet", "-c", "other", "origin/master")
    commit(sandbox.app, "c.txt", "c\n", "feat: elsewhere")
    found = unreleased_commits(repo, CONFIG, ["master", "other", "master"])
    assert [c.subject for c in found] == ["feat: unreleased", "feat: elsewhere"]
    assert release_globs(CONFIG) == ["release-*.*"]


def test_commits_are_described_one_a_line_up_to_the_limit() -> None:
    commits = [Commit(sha=f"{n:040x}", author="ann", subject=f"change {n}", parents=1)
               for n in range(4)]
    assert describe_commits(commits, limit=3).splitlines() == [
        "  0000000000 change 0 (ann)", "  0000000000 change 1 (ann)",
        "  0000000000 change 2 (ann)", "  ... and 1 more"]
    assert describe_commits([]) == ""


def test_the_fetch_takes_tags_only_when_asked() -> None:
    assert str(fetch_step(CONFIG, tags=True)) == "git fetch --prune origin"
    assert str(fetch_step(GitConfig(remote="upstream"), tags=False)) == \
        "git fetch --prune --no-tags upstream"


def test_staging_state_asks_the_remote_before_a_fetch_and_tracking_refs_after(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    git(sandbox.dev, "push", "--quiet", "origin", "HEAD:staging")
    head = git(sandbox.dev, "rev-parse", "HEAD")
    before = staging_state(repo, CONFIG)
    assert (before.local, before.remote, before.tracking) == (None, head, None)
    assert before.remote_refs.branches == {"master": head, "staging": head}
    assert staging_state(repo, CONFIG, fetched=True).remote is None  # not fetched yet
    git(sandbox.app, "fetch", "--quiet")
    after = staging_state(repo, CONFIG, fetched=True)
    assert (after.remote, after.tracking) == (head, head)


def test_known_ancestor_is_unknown_until_the_newer_commit_is_here(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    here = git(sandbox.app, "rev-parse", "HEAD")
    newer = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    assert known_ancestor(repo, here, newer) is None
    git(sandbox.app, "fetch", "--quiet")
    assert known_ancestor(repo, here, newer) is True
    assert known_ancestor(repo, newer, here) is False
    assert known_ancestor(repo, "0" * 40, here) is False


def test_the_target_is_the_remote_base_by_default_and_refused_when_it_is_missing(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    head = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    state = staging_state(repo, CONFIG)
    assert resolve_target(repo, CONFIG, state, None, fetched=False) == (head, "origin/master")
    assert remote_base(state, CONFIG) == head
    other = GitConfig(base="main")
    with pytest.raises(Refused, match=r"origin has no branch 'main'\. Give --commit REF"):
        remote_base(staging_state(repo, other), other)


def test_a_named_target_may_be_a_remote_branch_a_tag_only_the_remote_has_or_a_sha(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    first = git(sandbox.app, "rev-parse", "HEAD~1")
    head = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    git(sandbox.dev, "tag", "-a", "-m", "remote only", "v2")
    git(sandbox.dev, "push", "--quiet", "origin", "v2")
    state = staging_state(repo, CONFIG)
    # origin/master is the branch as it is on the remote now, not as last fetched.
    assert resolve_target(repo, CONFIG, state, "origin/master", fetched=False) == \
        (head, "origin/master")
    assert resolve_target(repo, CONFIG, state, "v2", fetched=False) == (head, "v2")
    assert resolve_target(repo, CONFIG, state, first[:10], fetched=False) == \
        (first, first[:10])
    with pytest.raises(UsageError) as error:
        resolve_target(repo, CONFIG, state, "v2", fetched=True)
    assert "--commit 'v2' is not a commit, tag or branch here" in error.value.message
    assert "git fetch origin" in error.value.message
