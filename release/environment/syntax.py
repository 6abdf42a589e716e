"""Which server parses statements for AL001 (`alters.lint`, the pre-commit hook).

`[alters] check_with = "ENV"` names an environment (typically a developer's local database,
reached as every command reaches it, SSH tunnel included); without it, a private MariaDB that
Stagecraft starts on this machine when MariaDB is installed (only once a statement needs
asking); without either, none: AL001 is then sqlfluff's verdict, and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from release.alters.server_syntax import SyntaxServer
from release.config import Config
from release.db.connection import connect
from release.db.private_parser import private_syntax
from release.db.syntax_check import environment_syntax
from release.environment.database import open_database
from release.environment.resolved import resolve_environment

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
                checker = private_syntax()
            else:
                env = resolve_environment(config, name)
                creds = stack.enter_context(open_database(env)).credentials
                checker = environment_syntax(lambda: connect(creds), name, creds.where)
            if checker is not None:
                stack.callback(checker.close)
            return checker

        yield choose
