"""release.tag on real repositories."""

from __future__ import annotations

from datetime import date

from tests.support.git import Sandbox, commit, git, refs

TODAY = date.today().strftime("%Y.%m.%d")


def test_tag_is_annotated_pushed_and_lists_commits_since_previous(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    first = sandbox.invoke("release.tag")
    assert first.returncode == 0, first.stderr
    name = f"release-{TODAY}.1"
    assert git(sandbox.origin, "cat-file", "-t", f"refs/tags/{name}") == "tag"
    assert git(sandbox.origin, "rev-parse", f"{name}^{{commit}}") == git(
        sandbox.origin, "rev-parse", "refs/heads/staging")

    sandbox.land_on_master("app.py", "print('v2')\n", "feat: second version")
    assert sandbox.invoke("staging.merge").returncode == 0
    assert sandbox.invoke("release.tag").returncode == 0
    second = f"release-{TODAY}.2"
    message = git(sandbox.origin, "tag", "-l", "--format=%(contents)", second)
    # The message is the release notes (notes.md.j2): commits grouped by kind.
    assert "## Features\n\n- second version (" in message
    assert "first version" not in message
    assert name in message


def test_tag_refuses_when_staging_is_not_pushed(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "switch", "--quiet", "staging")
    commit(sandbox.app, "hotfix.py", "x = 1\n", "fix: not pushed")
    git(sandbox.app, "switch", "--quiet", "master")
    before = refs(sandbox.origin)
    result = sandbox.invoke("release.tag")
    assert result.returncode == 1
    assert "staging is not pushed" in result.stderr
    assert refs(sandbox.origin) == before
    assert not git(sandbox.app, "tag", "--list")


def test_tag_refuses_when_the_tag_exists(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "tag", "release-custom.1", "origin/master")
    result = sandbox.invoke("release.tag", "--version", "release-custom.1")
    assert result.returncode == 1
    assert "already exists" in result.stderr


def test_tag_without_staging_says_how_to_create_it(sandbox: Sandbox) -> None:
    result = sandbox.invoke("release.tag")
    assert result.returncode == 1
    assert "staging.create" in result.stderr


def test_no_push_keeps_the_tag_local(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    assert sandbox.invoke("release.tag", "--no-push").returncode == 0
    assert git(sandbox.app, "tag", "--list") == f"release-{TODAY}.1"
    assert "refs/tags/" not in refs(sandbox.origin)


def test_sign_passes_through_to_git(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.app, "config", "gpg.program", "false")
    result = sandbox.invoke("release.tag", "--sign")
    assert result.returncode == 1
    assert "git tag --sign" in result.stderr
    assert "Traceback" not in result.stderr
