"""Table sizes as the server estimates them (information_schema), for the AL031 lint rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from release.db.connection import Connection


def table_rows(conn: Connection) -> dict[str, int]:
    """Estimated rows of each base table in the connection's database (cheap: no COUNT(*))."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
        )
        return {str(name): int(rows) for name, rows in cur.fetchall()}
