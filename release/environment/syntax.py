"""Which server parses statements for AL001 (`alters.lint`, the pre-commit hook).

`[alters] check_with = "ENV"` names an environment (typically a developer's local database,
reached as every command reaches it, SSH tunnel included); without it, a private MariaDB that
Stagecraft starts on this machine when MariaDB is installed (only once a statement needs
asking); without either, none: AL001 is then sqlfluff's verdict, and says so.

The database modules are imported only when chosen: the hook runs on every commit, and a warm
one, whose verdicts are all known, should not pay for the deploy machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from release.alters.server_syntax import SyntaxServer
from release.config import Config

if TYPE_CHECKING:
    from release.db.syntax_check import ServerSyntax

Choose = Callable[[Config | None], SyntaxServer | None]


@contextmanager
def syntax_servers(*, use_server: bool = True) -> Iterator[Choose]:
    """A chooser of the server for a configuration; what it opens is closed on exit."""
    with ExitStack() as stack:

        def choose(config: Config | None) -> SyntaxServer | None:
            if not use_server:
                return None
            name = config.alters.check_with if config is not None else ""
            if config is None or not name:
                from release.db.private_parser import private_syntax

                checker = private_syntax()
            else:
                checker = _environment_server(stack, config, name)
            if checker is not None:
                stack.callback(checker.close)
            return checker

        yield choose


def _environment_server(stack: ExitStack, config: Config, name: str) -> ServerSyntax:
    from release.db.connection import connect
    from release.db.syntax_check import environment_syntax
    from release.environment.database import open_database
    from release.environment.resolved import resolve_environment

    creds = stack.enter_context(open_database(resolve_environment(config, name))).credentials
    return environment_syntax(lambda: connect(creds), name, creds.where)
