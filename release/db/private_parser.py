"""The server that parses statements for AL001 when no environment is named: a private MariaDB.

It is started on first need (a warm hook, whose verdicts are all known, starts nothing), shared
by everything the process lints, and stopped and removed when the process ends (a killed
process takes it along: release.db.throwaway). Its identity
for the verdicts' cache is the installed mariadbd's version: started with --no-defaults, its
SQL mode follows from the version.
"""

from __future__ import annotations

import atexit
import subprocess
from contextlib import ExitStack
from functools import cache

from release.db.connection import Connection
from release.db.syntax_check import ServerSyntax
from release.db.throwaway import MARIADBD, PrivateServer, available, private_server
from release.errors import Failed

_running: list[PrivateServer] = []
# statements name tables without a database; with none selected the parser stops at the first
# ("No database selected") before it reaches a syntax error further on
_SCRATCH = "stagecraft_parse"


def private_syntax() -> ServerSyntax | None:
    """A private server to ask, started when first asked; None when MariaDB is not installed."""
    if not available():
        return None
    return ServerSyntax(_connect, "a private server started on this machine",
                        version=installed_version)


@cache
def installed_version() -> str:
    result = subprocess.run([str(MARIADBD), "--version"], capture_output=True, text=True,
                            check=False, stdin=subprocess.DEVNULL)
    words = result.stdout.split()
    return words[words.index("Ver") + 1] if "Ver" in words[:-1] else result.stdout.strip()


def _connect() -> Connection:
    if not _running:
        try:
            _running.append(_start())
        except Failed:
            # mariadb-install-db fails now and then when several run at once: once more
            _running.append(_start())
    return _running[0].connect(_SCRATCH)


def _start() -> PrivateServer:
    stack = ExitStack()
    server = stack.enter_context(private_server())  # a temporary folder, removed afterwards
    atexit.register(stack.close)
    with server.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS {_SCRATCH}")
    return server
