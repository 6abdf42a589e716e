"""Server errors met after connecting, turned into messages that say where they happened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pymysql


@contextmanager
def reported(where: str) -> Iterator[None]:
    """Let a statement's failure (a missing grant, a lost connection) out as Failed."""
    from release.errors import Failed

    try:
        yield
    except pymysql.err.MySQLError as error:
        code = error.args[0] if error.args else "?"
        text = error.args[-1] if error.args else str(error)
        raise Failed(f"{where}: the database server refused a statement "
                     f"(error {code}: {text}). Check the user's grants and the server's log, "
                     "then retry.") from None
