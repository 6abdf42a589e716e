"""release.git.repo: the one module that speaks to git, on real repositories (the sandbox's
bare origin, the application clone, the developer clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.errors import Failed, Refused, UsageError
from release.git.repo import GitStep, Repository
from tests.support.git import Sandbox, commit, git


def test_a_folder_outside_any_repository_is_a_usage_error_saying_where_to_run(
        tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(UsageError) as error:
        Repository(outside)
    assert f"{outside} is not inside a git repository" in error.value.message
    assert "Run this from your application's checkout." in error.value.message


def test_a_subfolder_addresses_the_repository_by_its_top(sandbox: Sandbox) -> None:
    deep = sandbox.app / "a" / "b"
    deep.mkdir(parents=True)
    assert Repository(deep).root == sandbox.app


def test_a_failing_command_names_itself_the_folder_and_what_git_said(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    with pytest.raises(Failed) as error:
        repo.run("rev-parse", "--verify", "no-such-branch")
    message = error.value.message
    assert message.startswith(f"`git rev-parse --verify no-such-branch` failed in {sandbox.app}:")
    assert "\n  fatal: Needed a single revision" in message
    assert repo.try_run("rev-parse", "--verify", "no-such-branch") is None


def test_a_step_prints_as_the_shell_command_it_runs(sandbox: Sandbox) -> None:
    step = GitStep(("commit", "--allow-empty", "-m", "two words"))
    assert str(step) == "git commit --allow-empty -m 'two words'"
    Repository(sandbox.app).execute(step)
    assert git(sandbox.app, "log", "-1", "--format=%s") == "two words"


def test_git_never_stops_for_an_editor(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    before = git(sandbox.app, "log", "-1", "--format=%s")
    repo.run("commit", "--amend")  # would open an editor and wait, at a terminal
    assert git(sandbox.app, "log", "-1", "--format=%s") == before


def test_work_tree_status_lists_changes_and_untracked_files(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    assert repo.porcelain_status() == []
    (sandbox.app / "app.py").write_text("print('edited')\n")
    (sandbox.app / "new.txt").write_text("new\n")
    assert repo.porcelain_status() == [" M app.py", "?? new.txt"]


def test_a_detached_head_has_no_branch_but_still_a_head(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    head = git(sandbox.app, "rev-parse", "HEAD")
    assert repo.current_branch() == "master" and repo.head() == head
    git(sandbox.app, "switch", "--quiet", "--detach", "HEAD~1")
    assert repo.current_branch() is None
    assert repo.head() == git(sandbox.app, "rev-parse", "HEAD") != head


def test_resolve_gives_the_commit_of_a_tag_branch_or_sha_and_never_takes_an_option(
        sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    head = git(sandbox.app, "rev-parse", "HEAD")
    git(sandbox.app, "tag", "-a", "-m", "annotated", "v1")
    assert repo.resolve("v1") == head                 # the commit, not the tag object
    assert repo.resolve("master") == repo.resolve(head[:8]) == head
    assert repo.local_branch("master") == head
    assert repo.remote_tracking("origin", "master") == head
    assert repo.resolve("nothing-here") is None
    assert repo.resolve("--all") is None and repo.blob_id("--all", "app.py") is None


def test_ahead_behind_and_ancestry_count_both_ways(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    base = git(sandbox.app, "rev-parse", "HEAD")
    git(sandbox.app, "switch", "--quiet", "-c", "side")
    ours = commit(sandbox.app, "side.txt", "side\n", "feat: side")
    git(sandbox.app, "switch", "--quiet", "master")
    theirs = [commit(sandbox.app, f"m{n}.txt", "m\n", f"feat: m{n}") for n in range(2)]
    assert repo.ahead_behind(ours, theirs[-1]) == (1, 2)
    assert repo.is_ancestor(base, ours) and repo.is_ancestor(base, theirs[-1])
    assert not repo.is_ancestor(ours, theirs[-1])


def test_log_reads_authors_subjects_and_merge_parents(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    start = git(sandbox.app, "rev-parse", "HEAD")
    git(sandbox.app, "switch", "--quiet", "-c", "side")
    commit(sandbox.app, "side.txt", "side\n", "feat: a | b ; c")
    git(sandbox.app, "switch", "--quiet", "master")
    commit(sandbox.app, "main.txt", "main\n", "fix: main")
    git(sandbox.app, "merge", "--quiet", "--no-edit", "side")
    found = repo.log(f"{start}..HEAD")
    assert [(c.subject, c.parents) for c in found] == [
        ("Merge branch 'side'", 2), ("fix: main", 1), ("feat: a | b ; c", 1)]
    assert {c.author for c in found} == {"Test Dev"}
    assert found[0].sha == git(sandbox.app, "rev-parse", "HEAD")


def test_commits_not_in_leave_out_excluded_tips_and_matching_tags(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    base = git(sandbox.app, "rev-parse", "HEAD")
    tagged = commit(sandbox.app, "a.txt", "a\n", "feat: in a release")
    git(sandbox.app, "tag", "release-1", tagged)
    commit(sandbox.app, "b.txt", "b\n", "feat: after the release")
    git(sandbox.app, "tag", "other-1")
    found = repo.commits_not_in("HEAD", excluded=[base], tag_globs=["release-*"])
    assert [c.subject for c in found] == ["feat: after the release"]
    assert [c.subject for c in repo.log("HEAD", tag_globs=["release-*"])] == \
        ["feat: after the release"]
    assert len(repo.commits_not_in("HEAD", excluded=[base], tag_globs=[])) == 2


def test_tags_are_found_by_glob_nearest_first_and_at_a_commit(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    first = git(sandbox.app, "rev-parse", "HEAD")
    git(sandbox.app, "tag", "-a", "-m", "one", "release-1")
    git(sandbox.app, "tag", "unrelated-1")
    second = commit(sandbox.app, "a.txt", "a\n", "feat: a")
    for name in ("release-3", "release-2"):
        git(sandbox.app, "tag", "-a", "-m", name, name)
    assert repo.tag_names("release-*") == ["release-1", "release-2", "release-3"]
    assert repo.tag_type("release-1") == "tag" and repo.tag_type("unrelated-1") == "commit"
    assert repo.tag_type("release-9") is None
    assert repo.tags_at(second, ["release-*"]) == ["release-2", "release-3"]
    assert repo.tags_at(first, ["release-*", "unrelated-*"]) == ["release-1", "unrelated-1"]
    assert repo.last_tag(second, ["release-*"]) in {"release-2", "release-3"}
    assert repo.last_tag(second, ["release-*"], exclude=["release-2", "release-3"]) == \
        "release-1"
    assert repo.last_tag(first, ["nothing-*"]) is None


def test_files_are_read_as_committed_not_from_the_work_tree(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    (sandbox.app / "app.py").write_text("print('not committed')\n")
    assert repo.show_file("HEAD", "app.py") == "print('v1')"
    assert repo.show_file("HEAD", "missing.py") is None
    committed = sandbox.app.parent / "committed.py"
    committed.write_text("print('v1')\n")
    assert repo.blob_id("HEAD", "app.py") == git(sandbox.app, "hash-object", str(committed))
    assert repo.blob_id("HEAD", "missing.py") is None


def test_every_worktree_shares_the_common_git_folder(sandbox: Sandbox, tmp_path: Path) -> None:
    other = tmp_path / "other-worktree"
    git(sandbox.app, "worktree", "add", "--quiet", "-b", "other", str(other))
    main = Repository(sandbox.app).common_dir()
    assert main == (sandbox.app / ".git").resolve()
    assert Repository(other).common_dir() == main
    assert Repository(other).root == other


def test_a_missing_remote_says_how_to_add_it_or_configure_another(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    assert repo.remote_url("origin") == str(sandbox.origin)
    with pytest.raises(UsageError) as error:
        repo.remote_url("upstream")
    assert "no git remote named 'upstream'" in error.value.message
    assert "git remote add upstream URL" in error.value.message
    assert "[git] remote in release.toml" in error.value.message


def test_remote_refs_asks_the_remote_for_whole_names_and_tag_commits(sandbox: Sandbox) -> None:
    head = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    git(sandbox.dev, "push", "--quiet", "origin", "HEAD:feature/master")
    git(sandbox.dev, "tag", "-a", "-m", "annotated", "release-1")
    git(sandbox.dev, "tag", "release-2", "HEAD~1")
    git(sandbox.dev, "push", "--quiet", "origin", "--tags")
    repo = Repository(sandbox.app)  # not fetched: it knows none of these yet
    found = repo.remote_refs("origin", branches=("master", "staging"), tags=("release-*",))
    assert found.branches == {"master": head}          # not feature/master, no staging
    assert found.tags == {"release-1": head,           # the commit, not the tag object
                          "release-2": git(sandbox.dev, "rev-parse", "HEAD~1")}
    assert repo.resolve(head) is None
    assert repo.remote_refs("origin", branches=()).branches == {}


def test_an_unreachable_remote_is_refused_saying_nothing_changed(
        sandbox: Sandbox, tmp_path: Path) -> None:
    gone = tmp_path / "gone.git"
    git(sandbox.app, "remote", "set-url", "origin", str(gone))
    with pytest.raises(Refused) as error:
        Repository(sandbox.app).remote_refs("origin", branches=("master",))
    message = error.value.message
    assert message.startswith(f"cannot reach remote 'origin' ({gone}):\n  ")
    assert "Nothing was changed. Check the network and your credentials" in message


def test_a_stopped_merge_lists_its_conflicted_paths(sandbox: Sandbox) -> None:
    repo = Repository(sandbox.app)
    git(sandbox.app, "switch", "--quiet", "-c", "side")
    commit(sandbox.app, "app.py", "print('side')\n", "feat: side")
    commit(sandbox.app, "alters.sql", "-- side\n", "feat: side alters")
    git(sandbox.app, "switch", "--quiet", "master")
    commit(sandbox.app, "app.py", "print('main')\n", "feat: main")
    assert repo.try_run("merge", "--no-edit", "side") is None
    assert repo.conflicted_paths() == ["app.py"]
