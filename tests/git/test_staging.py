"""staging.* run as a user runs them (`invoke ...` in an application clone), on real repos."""

from __future__ import annotations

from pathlib import Path

from tests.support.git import Sandbox, commit, git, refs
from tests.support.toml import Git, release_toml


def both_refs(sandbox: Sandbox) -> tuple[str, str]:
    return refs(sandbox.app), refs(sandbox.origin)


def test_status_before_anything_exists(sandbox: Sandbox) -> None:
    result = sandbox.invoke("staging.status")
    assert result.returncode == 0, result.stderr
    assert "local absent, origin absent" in result.stdout
    assert "last release tag: none yet" in result.stdout


def test_create_pushes_staging_with_upstream_at_remote_base(sandbox: Sandbox) -> None:
    master = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    result = sandbox.invoke("staging.create")
    assert result.returncode == 0, result.stderr
    assert git(sandbox.origin, "rev-parse", "refs/heads/staging") == master
    assert git(sandbox.app, "rev-parse", "refs/heads/staging") == master
    assert git(sandbox.app, "rev-parse", "--abbrev-ref", "staging@{upstream}") == "origin/staging"


def test_create_at_a_tag_a_sha_or_a_branch(sandbox: Sandbox) -> None:
    first = git(sandbox.dev, "rev-parse", "HEAD~1")
    git(sandbox.dev, "tag", "stable", first)
    git(sandbox.dev, "push", "--quiet", "origin", "stable")
    assert sandbox.invoke("staging.create", "--commit", "stable").returncode == 0
    assert git(sandbox.origin, "rev-parse", "refs/heads/staging") == first
    for ref in (first[:10], "origin/master"):
        assert sandbox.invoke("staging.create", "--commit", ref, "--force", "--yes").returncode == 0
        assert git(sandbox.origin, "rev-parse", "refs/heads/staging") == git(
            sandbox.app, "rev-parse", ref)


def test_create_with_no_push_leaves_the_remote_alone(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create", "--no-push").returncode == 0
    assert git(sandbox.app, "branch", "--list", "staging")
    assert "refs/heads/staging" not in refs(sandbox.origin)


def test_create_refuses_when_staging_exists_only_on_the_remote(sandbox: Sandbox) -> None:
    git(sandbox.dev, "push", "--quiet", "origin", "master:staging")
    before = both_refs(sandbox)
    result = sandbox.invoke("staging.create")
    assert result.returncode == 1
    assert "already exists on origin" in result.stderr
    assert "staging.merge" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert "refs/heads/staging" not in before[0]
    assert "refs/heads/staging" not in refs(sandbox.app)


def test_create_refuses_when_staging_exists_locally(sandbox: Sandbox) -> None:
    git(sandbox.app, "branch", "staging")
    result = sandbox.invoke("staging.create")
    assert result.returncode == 1
    assert "already exists locally" in result.stderr
    assert "refs/heads/staging" not in refs(sandbox.origin)


def test_force_recreates_staging_after_confirmation(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "hotfix.py", "x = 1\n", "fix: hotfix only on staging")
    git(sandbox.app, "push", "--quiet", "origin", "staging")
    git(sandbox.app, "switch", "--quiet", "master")
    unattended = sandbox.invoke("staging.create", "--force")
    assert unattended.returncode == 1
    assert "fix: hotfix only on staging" in unattended.stderr
    assert "--yes" in unattended.stderr
    master = git(sandbox.app, "rev-parse", "origin/master")
    assert sandbox.invoke("staging.create", "--force", "--yes").returncode == 0
    assert git(sandbox.origin, "rev-parse", "refs/heads/staging") == master


def test_dry_runs_change_no_ref(sandbox: Sandbox) -> None:
    sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    for args in (("staging.create", "--dry-run"), ("staging.delete", "--dry-run")):
        before = both_refs(sandbox)
        result = sandbox.invoke(*args)
        assert result.returncode == 0, result.stderr
        assert "would run: git" in result.stdout
        assert both_refs(sandbox) == before
    assert sandbox.invoke("staging.create").returncode == 0
    sandbox.land_on_master("app.py", "print('v3')\n", "feat: v3")
    for args in (("staging.merge", "--dry-run"), ("staging.create", "--force", "--dry-run"),
                 ("staging.delete", "--dry-run"), ("release.tag", "--dry-run")):
        before = both_refs(sandbox)
        result = sandbox.invoke(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert both_refs(sandbox) == before, args
        assert not git(sandbox.app, "status", "--porcelain")


def test_dirty_tree_is_refused_with_the_changes_listed(sandbox: Sandbox) -> None:
    (sandbox.app / "app.py").write_text("print('local edit')\n")
    before = both_refs(sandbox)
    for args in (("staging.create",), ("release.tag",)):
        result = sandbox.invoke(*args)
        assert result.returncode == 1
        assert "uncommitted changes" in result.stderr and "app.py" in result.stderr
    assert both_refs(sandbox) == before


def test_unreachable_remote_is_a_clear_refusal(sandbox: Sandbox, tmp_path: Path) -> None:
    git(sandbox.app, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    before = both_refs(sandbox)
    for args in (("staging.status",), ("staging.create",), ("staging.merge",)):
        result = sandbox.invoke(*args)
        assert result.returncode == 1, args
        assert "cannot reach remote 'origin'" in result.stderr
        assert "Traceback" not in result.stderr
    assert both_refs(sandbox) == before


def test_delete_removes_a_released_staging_everywhere(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    result = sandbox.invoke("staging.delete")
    assert result.returncode == 0, result.stderr
    assert "refs/heads/staging" not in refs(sandbox.origin)
    assert "refs/heads/staging" not in refs(sandbox.app)


def test_delete_refuses_a_staging_holding_unreleased_commits(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "hotfix.py", "x = 1\n", "fix: unreleased hotfix")
    git(sandbox.app, "push", "--quiet", "origin", "staging")
    git(sandbox.app, "switch", "--quiet", "master")
    before = both_refs(sandbox)
    result = sandbox.invoke("staging.delete")
    assert result.returncode == 1
    assert "fix: unreleased hotfix" in result.stderr
    assert both_refs(sandbox) == before
    assert sandbox.invoke("staging.delete", "--force", "--yes").returncode == 0
    assert "refs/heads/staging" not in refs(sandbox.origin)


def test_delete_allows_commits_that_are_in_a_release_tag(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "hotfix.py", "x = 1\n", "fix: released hotfix")
    git(sandbox.app, "push", "--quiet", "origin", "staging")
    assert sandbox.invoke("release.tag").returncode == 0
    git(sandbox.app, "switch", "--quiet", "master")
    assert sandbox.invoke("staging.delete").returncode == 0


def test_a_rejected_push_reports_what_was_done_and_what_was_not(sandbox: Sandbox) -> None:
    hook = sandbox.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = sandbox.invoke("staging.create")
    assert result.returncode == 1
    assert "pushes are frozen" in result.stderr
    assert "done: git branch --no-track staging" in result.stderr
    assert "failed: git push --set-upstream origin staging:staging" in result.stderr
    assert "refs/heads/staging" not in refs(sandbox.origin)


def test_status_lists_alters_blocks_and_entries_pending_since_the_last_release(
        sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    assert sandbox.invoke("release.tag").returncode == 0
    sandbox.land_on_master(
        "alters.sql", "-- add by xlin 20130624 add certification\n"
        "ALTER TABLE `t` ADD COLUMN `c` int DEFAULT NULL;\n", "feat: certification column")
    sandbox.land_on_master(
        "production_push_instructions.txt", "Header\n-=-=-\n\n2013-08-12: xlin, run alters.sql\n",
        "docs: push instructions")
    assert sandbox.invoke("staging.merge").returncode == 0
    result = sandbox.invoke("staging.status")
    assert result.returncode == 0, result.stderr
    assert "alters blocks pending since release-" in result.stdout
    assert "alters.sql:1 20130624-xlin-1 (xlin)" in result.stdout
    assert "push-instruction entries pending since release-" in result.stdout
    assert "production_push_instructions.txt:4 2013-08-12 xlin" in result.stdout


def test_configured_remote_base_and_staging_names_are_used(sandbox: Sandbox) -> None:
    git(sandbox.dev, "push", "--quiet", "origin", "master:main")
    git(sandbox.app, "remote", "rename", "origin", "upstream")
    (sandbox.app / "release.toml").write_text(release_toml(git=Git(
        remote="upstream", base="main", staging="release-candidate",
        tag_format="v{date:%Y%m%d}-{n}")))
    git(sandbox.app, "add", "release.toml")
    git(sandbox.app, "commit", "--quiet", "-m", "chore: release config")
    git(sandbox.app, "push", "--quiet", "upstream", "HEAD:main")
    main = git(sandbox.app, "rev-parse", "HEAD")
    assert sandbox.invoke("staging.create").returncode == 0
    assert git(sandbox.origin, "rev-parse", "refs/heads/release-candidate") == main
    result = sandbox.invoke("release.tag")
    assert result.returncode == 0, result.stderr
    assert git(sandbox.origin, "tag", "--list").startswith("v")
    status = sandbox.invoke("staging.status")
    assert "staging branch 'release-candidate'" in status.stdout
    assert "base upstream/main" in status.stdout
