"""release.git.merging: staging.merge's facts, its plan from them (pure), and the merge run as
a user runs it on real repositories."""

from __future__ import annotations

from release.config import GitConfig
from release.git.checks import fetch_step
from release.git.merging import MergeFacts, plan_merge
from tests.support.git import Sandbox, commit, git, refs

CONFIG = GitConfig()
FETCH = fetch_step(CONFIG, tags=False)
TARGET, LOCAL, REMOTE = "t" * 40, "l" * 40, "r" * 40


def both_refs(sandbox: Sandbox) -> tuple[str, str]:
    return refs(sandbox.app), refs(sandbox.origin)


def facts(**changes: object) -> MergeFacts:
    given: dict[str, object] = dict(original="master", local=LOCAL, remote=LOCAL, target=TARGET,
                                    source="origin/master", behind=False, contains=False)
    given.update(changes)
    return MergeFacts(**given)  # type: ignore[arg-type]


def commands(found: MergeFacts, *, push: bool = True) -> list[str]:
    return [str(s) for s in plan_merge(found, CONFIG, fetch=FETCH, push=push).steps]


def test_a_staging_that_already_holds_the_target_plans_nothing() -> None:
    plan = plan_merge(facts(contains=True), CONFIG, fetch=FETCH, push=True)
    assert plan.steps == ()
    assert plan.title == f"staging already contains origin/master ({TARGET[:10]}): nothing to merge"


def test_from_another_branch_the_plan_switches_merges_pushes_and_switches_back() -> None:
    assert commands(facts()) == [
        "git switch staging",
        f"git merge --no-edit -m 'Merge origin/master into staging' {TARGET}",
        "git push origin staging:staging", "git switch master"]
    assert commands(facts(original="staging"), push=False) == [
        f"git merge --no-edit -m 'Merge origin/master into staging' {TARGET}"]


def test_a_staging_behind_its_remote_fast_forwards_first() -> None:
    assert commands(facts(original="staging", remote=REMOTE, behind=True))[0] == \
        f"git merge --ff-only {REMOTE}"


def test_a_remote_only_staging_is_tracked_and_deleted_again_on_a_conflict() -> None:
    plan = plan_merge(facts(local=None, remote=REMOTE, behind=None), CONFIG, fetch=FETCH,
                      push=True)
    assert str(plan.steps[0]) == "git switch --track -c staging origin/staging"
    merge = plan.steps[2]
    assert [str(s) for s in merge.on_conflict] == [
        "git merge --abort", "git switch master", "git branch -D staging"]
    assert commands(facts())[1].startswith("git merge --no-edit")
    kept = plan_merge(facts(), CONFIG, fetch=FETCH, push=True).steps[1]
    assert [str(s) for s in kept.on_conflict] == ["git merge --abort", "git switch master"]


def test_what_is_known_only_after_the_fetch_is_said_in_the_plan() -> None:
    plan = plan_merge(facts(remote=REMOTE, behind=None, contains=None), CONFIG, fetch=FETCH,
                      push=True)
    assert plan.fetch == FETCH
    assert len(plan.notes) == 2
    assert plan.notes[0].startswith(f"origin/staging ({REMOTE[:10]}) is not fetched yet")
    assert "known only after the fetch" in plan.notes[1]
    assert plan_merge(facts(), CONFIG, fetch=FETCH, push=True).notes == ()


def test_merge_fast_forwards_and_pushes(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    new = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 0, result.stderr
    assert git(sandbox.origin, "rev-parse", "refs/heads/staging") == new
    assert git(sandbox.app, "symbolic-ref", "--short", "HEAD") == "master"


def test_merge_makes_a_merge_commit_when_staging_has_its_own_commits(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "hotfix.py", "x = 1\n", "fix: hotfix")
    git(sandbox.app, "push", "--quiet", "origin", "staging")
    new = sandbox.land_on_master("feature.py", "y = 2\n", "feat: feature")
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 0, result.stderr
    head = git(sandbox.origin, "rev-parse", "refs/heads/staging")
    assert git(sandbox.origin, "rev-parse", f"{head}^2") == new
    assert git(sandbox.app, "symbolic-ref", "--short", "HEAD") == "staging"


def test_merge_conflict_leaves_tree_and_head_untouched(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "app.py", "print('staging hotfix')\n", "fix: hotfix on staging")
    git(sandbox.app, "push", "--quiet", "origin", "staging")
    git(sandbox.app, "switch", "--quiet", "master")
    sandbox.land_on_master("app.py", "print('master change')\n", "feat: conflicting change")
    head_before = git(sandbox.app, "rev-parse", "HEAD")
    staging_before = git(sandbox.app, "rev-parse", "refs/heads/staging")
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 1
    assert "conflicts in:\n  app.py" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(sandbox.app, "status", "--porcelain") == ""
    assert git(sandbox.app, "symbolic-ref", "--short", "HEAD") == "master"
    assert git(sandbox.app, "rev-parse", "HEAD") == head_before
    assert git(sandbox.app, "rev-parse", "refs/heads/staging") == staging_before
    assert git(sandbox.origin, "rev-parse", "refs/heads/staging") == staging_before


def test_merge_refuses_on_a_detached_head(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "--detach", "HEAD~1")
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 1
    assert "HEAD is detached" in result.stderr


def test_merge_refuses_when_local_staging_diverged_from_remote(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.dev, "fetch", "--quiet")
    git(sandbox.dev, "switch", "--quiet", "staging")
    commit(sandbox.dev, "remote.py", "r = 1\n", "fix: pushed by someone else")
    git(sandbox.dev, "push", "--quiet", "origin", "staging")
    git(sandbox.app, "fetch", "--quiet")
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "local.py", "l = 1\n", "fix: local only")
    git(sandbox.app, "switch", "--quiet", "master")
    before = both_refs(sandbox)
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 1
    assert "have diverged" in result.stderr
    assert both_refs(sandbox) == before


def test_merge_conflict_on_a_remote_only_staging_leaves_no_local_branch(sandbox: Sandbox) -> None:
    git(sandbox.dev, "push", "--quiet", "origin", "master:staging")
    git(sandbox.dev, "fetch", "--quiet")
    git(sandbox.dev, "switch", "--quiet", "staging")
    commit(sandbox.dev, "app.py", "print('staging')\n", "fix: on staging")
    git(sandbox.dev, "push", "--quiet", "origin", "staging")
    git(sandbox.dev, "switch", "--quiet", "master")
    sandbox.land_on_master("app.py", "print('master')\n", "feat: on master")
    git(sandbox.app, "fetch", "--quiet")
    before = both_refs(sandbox)
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 1
    assert "app.py" in result.stderr
    assert both_refs(sandbox) == before
    assert git(sandbox.app, "status", "--porcelain") == ""
