"""release.tasks.staging: the invoke wrappers of staging.* (arguments, help, configuration
and repository loading, errors to exit codes), run as a user runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.git import Sandbox


def test_invoke_lists_every_staging_task_with_its_summary(sandbox: Sandbox) -> None:
    result = sandbox.invoke("--list", "staging")
    assert result.returncode == 0, result.stderr
    for name in ("status", "create", "delete", "merge"):
        assert f"  .{name} " in result.stdout
    assert "Merge a commit into staging" in result.stdout


def test_task_help_shows_each_option_with_its_meaning(sandbox: Sandbox) -> None:
    result = sandbox.invoke("--help", "staging.create")
    assert result.returncode == 0, result.stderr
    for option in ("--commit", "--force", "--no-push", "--dry-run", "--yes"):
        assert option in result.stdout
    assert "do not push to the remote" in result.stdout


def test_a_dry_run_from_a_subfolder_plans_on_the_repository_it_is_in(sandbox: Sandbox) -> None:
    deep = sandbox.app / "app" / "views"
    deep.mkdir(parents=True)
    result = sandbox.invoke("staging.create", "--dry-run", cwd=deep)
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing will change" in result.stdout
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "staging"],
                          cwd=sandbox.app, capture_output=True, check=False).returncode == 1


def test_invoke_help_documents_every_option() -> None:
    from release.tasks import staging

    for task in (staging.create, staging.delete, staging.merge):
        params = set(task.help)
        assert params, task.name
        body = task.body.__wrapped__  # type: ignore[attr-defined]
        names = set(body.__code__.co_varnames[1:body.__code__.co_argcount])
        assert names <= params, (task.name, names - params)


def test_bad_configuration_exits_2_naming_file_and_key(sandbox: Sandbox) -> None:
    (sandbox.app / "release.toml").write_text('[git]\nbase = 3\n')
    result = sandbox.invoke("staging.status")
    assert result.returncode == 2
    assert "release.toml: git.base: expected a string" in result.stderr
    assert "Traceback" not in result.stderr


def test_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-repo"
    folder.mkdir()
    (folder / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    result = Sandbox(origin=folder, app=folder, dev=folder).invoke("staging.status")
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr
