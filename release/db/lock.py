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
            raise Refused(_held_message(conn, creds, name))
    try:
        yield
    finally:
        if conn.open:
            with conn.cursor() as cur:
                cur.execute("SELECT RELEASE_LOCK(%s)", (name,))


def _held_message(conn: Connection, creds: Credentials, name: str) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT IS_USED_LOCK(%s)", (name,))
        row = cur.fetchone()
        ident = row[0] if row else None
        cur.execute("SELECT USER, HOST, TIME, COALESCE(INFO, '') "
                    "FROM information_schema.PROCESSLIST WHERE ID = %s", (ident,))
        holder = cur.fetchone()
    if ident is None:
        who = "a session that has just ended (retry now)"
    elif holder is None:
        who = (f"connection {ident} (its user and host are hidden from {creds.user!r}, "
               "which lacks the PROCESS privilege)")
    else:
        user, host, seconds, info = holder
        doing = f", running: {str(info)[:80]}" if info else ""
        who = f"connection {ident} of {user}@{host} (for {seconds}s{doing})"
    return (
        f"environment {creds.environment!r}: another alters run holds the lock {name!r} on "
        f"{creds.where}: {who}. Wait for it to finish and retry. Nothing was changed."
    )
