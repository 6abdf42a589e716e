"""Opening PyMySQL connections, with failures turned into messages that name the environment."""

from __future__ import annotations

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

_ACCESS_DENIED = 1045
_UNKNOWN_DATABASE = 1049
_CANNOT_CONNECT = (2002, 2003, 2005, 2006, 2013)


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
    except pymysql.err.OperationalError as error:
        raise Failed(describe_connect_error(creds, error)) from None
    except pymysql.err.InternalError as error:
        raise Failed(describe_connect_error(creds, error)) from None


def describe_connect_error(creds: Credentials, error: pymysql.err.MySQLError) -> str:
    code = error.args[0] if error.args else 0
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
    return f"{env}: database error {code} at {creds.where}: {error.args[-1] if error.args else ''}"


def server_version(conn: Connection) -> str:
    """The server's version string; MariaDB's names itself ("10.11.6-MariaDB-...")."""
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        row = cur.fetchone()
    return str(row[0]) if row else "unknown"
