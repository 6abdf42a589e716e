"""Opening PyMySQL connections, and the one place a server's error becomes a message.

Every failure PyMySQL raises leaves release.db as a `Failed` built here: where it happened
(the environment, the ledger, the entry), what failed, the server's own words
(`error 1146: Table ... doesn't exist`) and what to do next. Failures to connect get a message
of their own by error code (wrong password, unknown database, unreachable server).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pymysql
import pymysql.cursors

from release.db.credentials import Credentials
from release.errors import Failed

# The stubs make Connection generic; the runtime class is not subscriptable.
if TYPE_CHECKING:
    Connection = pymysql.connections.Connection[Any]
else:
    Connection = pymysql.connections.Connection

ServerError = pymysql.err.MySQLError
_ACCESS_DENIED = 1045
_UNKNOWN_DATABASE = 1049
_CANNOT_CONNECT = (2002, 2003, 2005, 2006, 2013)
_CONNECTION_LOST = (2006, 2013, 2055)
_REFUSED = "the database server refused a statement"
_CHECK_GRANTS = "Check the user's grants and the server's log, then retry."


def connect(creds: Credentials, *, database: bool = True, autocommit: bool = True) -> Connection:
    """A connection to the environment's server (and database, unless database=False)."""
    kwargs: dict[str, Any] = {
        "user": creds.user,
        "password": creds.password or "",
        "database": creds.database if database else None,
        "autocommit": autocommit,
        "charset": "utf8mb4",
        "connect_timeout": 10,
    }
    if creds.socket:
        kwargs["unix_socket"] = creds.socket
    else:
        kwargs.update(host=creds.host, port=creds.port)
    try:
        return pymysql.connect(**kwargs)
    except (pymysql.err.OperationalError, pymysql.err.InternalError) as error:
        raise Failed(describe_connect_error(creds, error)) from None


def error_code(error: ServerError) -> int:
    """The server's (or the client's) error number; 0 when it gave none."""
    code = error.args[0] if error.args else 0
    return code if isinstance(code, int) else 0


def lost_connection(error: ServerError) -> bool:
    """The connection went away mid-statement: the server may or may not have run it."""
    return isinstance(error, pymysql.err.OperationalError) and error_code(error) in _CONNECTION_LOST


def server_words(error: ServerError) -> str:
    """What the server said, as every message quotes it: `error 1146: Table ... doesn't exist`;
    never empty (a connection interrupted mid-statement says nothing by itself)."""
    if len(error.args) >= 2 and str(error.args[1]):
        return f"error {error.args[0]}: {error.args[1]}"
    text = str(error) if str(error) not in ("", "(0, '')") else ""
    return text or (f"{error.__class__.__name__}: the connection was closed or lost "
                    "mid-statement")


def failure(error: ServerError, where: str, what: str = _REFUSED,
            next_step: str = _CHECK_GRANTS) -> Failed:
    """The error as a message for a person: `where: what (error N: ...). next_step`."""
    return Failed(f"{where}: {what} ({server_words(error)}). {next_step}")


@contextmanager
def reported(where: str, what: str = _REFUSED, next_step: str = _CHECK_GRANTS) -> Iterator[None]:
    """Let a server error raised in the block (a missing grant, a lost connection) out as the
    `failure` message."""
    try:
        yield
    except ServerError as error:
        raise failure(error, where, what, next_step) from None


def describe_connect_error(creds: Credentials, error: ServerError) -> str:
    code = error_code(error)
    env = f"environment {creds.environment!r}"
    if code == _ACCESS_DENIED:
        return (f"{env}: access denied for user {creds.user!r} at {creds.where}. Check the "
                "password variable or option file configured for it, and the user's grants.")
    if code == _UNKNOWN_DATABASE:
        return (f"{env}: the database {creds.database!r} does not exist on {creds.where}. "
                "Create it, or fix the name in release.toml.")
    if code in _CANNOT_CONNECT:
        return (f"{env}: cannot reach the database server at {creds.where}. Is it running, "
                "and is the host/port (or socket) in release.toml right?")
    return f"{env}: database error at {creds.where} ({server_words(error)})."


def server_version(conn: Connection) -> str:
    """The server's version string; MariaDB's names itself ("10.11.6-MariaDB-...")."""
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        row = cur.fetchone()
    return str(row[0]) if row else "unknown"
