"""What every task shares: the one place errors become a message and an exit status,
and loading the repository and configuration the task works on."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from invoke.exceptions import Exit

from release.errors import ReleaseError

if TYPE_CHECKING:
    from release.config import Config
    from release.db.target import Database
    from release.environment.resolved import Environment
    from release.git.repo import Repository

F = TypeVar("F", bound=Callable[..., Any])


def handled(func: F) -> F:
    """Turn a ReleaseError into its message on stderr and its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ReleaseError as error:
            raise Exit(message=f"error: {error.message}", code=error.exit_code) from None
        except KeyboardInterrupt:
            raise Exit(message="interrupted.", code=1) from None
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly. Whatever is still buffered for
            # stdout goes nowhere, so exiting does not fail on it again.
            quiet_stdout()
            raise Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


def quiet_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # no real stdout to redirect: nothing more will be written to it
    finally:
        os.close(devnull)


def repository_and_config() -> tuple[Repository, Config]:
    from release.config import load
    from release.git.repo import Repository

    repo = Repository(Path.cwd())
    return repo, load(repo.root)


def config_here() -> Config:
    """The configuration at the top of the repository this folder is in (any subfolder
    works), or of this folder when it is not in a repository (an operations folder)."""
    from release.config import load
    from release.errors import UsageError
    from release.git.repo import Repository

    try:
        return load(Repository(Path.cwd()).root)
    except UsageError:
        return load(Path.cwd())


# The database machinery (PyMySQL, the ledger, the dump pipeline) is imported only by the tasks
# that reach a database, so `invoke --list` and the git tasks start fast.
def resolve_environment(config: Config, name: str) -> Environment:
    from release.environment.resolved import resolve_environment as resolve

    return resolve(config, name)


@contextmanager
def open_database(environment: Environment, *, from_primary: bool = False
                  ) -> Iterator[Database]:
    from release.environment.database import open_database as opened

    with opened(environment, from_primary=from_primary) as database:
        yield database
