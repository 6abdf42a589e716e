"""release.tasks._common: the one place a task's errors become a message and an exit status,
and finding the repository and configuration a task works on."""

from __future__ import annotations

from pathlib import Path

import pytest
from invoke.exceptions import Exit

from release.errors import Failed, Uncertain, UsageError
from release.tasks._common import config_here, handled, repository_and_config
from tests.support.git import Sandbox
from tests.support.toml import Environment, Git, release_toml


def test_a_release_error_becomes_its_message_on_stderr_and_its_exit_code() -> None:
    @handled
    def task(kind: type[Exception], message: str) -> None:
        raise kind(message)

    for kind, code in ((Failed, 1), (UsageError, 2), (Uncertain, 3)):
        with pytest.raises(Exit) as stopped:
            task(kind, "what happened. What to do.")
        assert (stopped.value.code, stopped.value.message) == \
            (code, "error: what happened. What to do.")


def test_an_interrupt_is_a_one_line_exit_1_and_other_errors_are_not_hidden() -> None:
    @handled
    def interrupted() -> None:
        raise KeyboardInterrupt

    @handled
    def broken() -> None:
        raise ZeroDivisionError

    with pytest.raises(Exit) as stopped:
        interrupted()
    assert (stopped.value.code, stopped.value.message) == (1, "interrupted.")
    with pytest.raises(ZeroDivisionError):
        broken()


def test_a_task_keeps_its_name_and_returns_what_it_returns() -> None:
    @handled
    def status(value: int) -> int:
        """Show it."""
        return value * 2

    assert status(21) == 42
    assert (status.__name__, status.__doc__) == ("status", "Show it.")


def test_the_repository_and_configuration_are_those_of_the_folder_a_task_runs_in(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    (sandbox.app / "release.toml").write_text(release_toml(git=Git(staging="next")))
    deep = sandbox.app / "app" / "views"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    repo, config = repository_and_config()
    assert repo.root == sandbox.app and config.git.staging == "next"
    assert config_here().git.staging == "next"


def test_outside_a_repository_only_config_here_works_reading_that_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "operations"
    folder.mkdir()
    (folder / "release.toml").write_text(release_toml([Environment("qa", path="/srv/qa")]))
    monkeypatch.chdir(folder)
    assert config_here().environment("qa").path == "/srv/qa"
    with pytest.raises(UsageError, match="not inside a git repository"):
        repository_and_config()
