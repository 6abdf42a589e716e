"""One writer at a time: a server-side named lock (GET_LOCK) per database.

The lock lives in the server session, so a process that dies (even by SIGKILL) releases it when
its connection closes; nothing is left behind to clean up by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from release.db.connection import Connection
from release.db.credentials import Credentials
from release.errors import Refused

_MAX_NAME = 64


def lock_name(database: str) -> str:
    name = f"stagecraft.alters.{database}"
    if len(name) <= _MAX_NAME:
        return name
    return f"stagecraft.alters.{hashlib.sha256(database.encode()).hexdigest()[:40]}"


@contextmanager
def alters_lock(conn: Connection, creds: Credentials) -> Iterator[None]:
    """Hold the database's alters lock on this connection, or refuse at once naming the holder."""
    name = lock_name(creds.database)
    with conn.cursor() as cur:
        cur.execute("SELECT GET_LOCK(%s, 0)", (name,))
        got = cur.fetchone()
    if not got or got[0] != 1:
        raise Refused(_refusal(creds, holder(conn, creds) or "a session that has just ended "
                                                           "(retry now)"))
    try:
        yield
    finally:
        if conn.open:
            with conn.cursor() as cur:
                cur.execute("SELECT RELEASE_LOCK(%s)", (name,))


def require_free(conn: Connection, creds: Credentials) -> None:
    """Refuse at once while another run holds the lock: its `started` rows are not a crash."""
    who = holder(conn, creds)
    if who:
        raise Refused(_refusal(creds, who))


def holder(conn: Connection, creds: Credentials) -> str | None:
    """Who holds the database's alters lock now: connection id, user, host; None if free."""
    with conn.cursor() as cur:
        cur.execute("SELECT IS_USED_LOCK(%s)", (lock_name(creds.database),))
        row = cur.fetchone()
        ident = row[0] if row else None
        if ident is None:
            return None
        cur.execute("SELECT USER, HOST, TIME, COALESCE(INFO, '') "
                    "FROM information_schema.PROCESSLIST WHERE ID = %s", (ident,))
        found = cur.fetchone()
    if found is None:
        return (f"connection {ident} (its user and host are hidden from {creds.user!r}, "
                "which lacks the PROCESS privilege)")
    user, host, seconds, info = found
    doing = f", running: {str(info)[:80]}" if info else ""
    return f"connection {ident} of {user}@{host} (for {seconds}s{doing})"


def _refusal(creds: Credentials, who: str) -> str:
    return (
        f"environment {creds.environment!r}: another alters run holds the lock "
        f"{lock_name(creds.database)!r} on {creds.where}: {who}. Wait for it to finish and "
        "retry. Nothing was changed."
    )
