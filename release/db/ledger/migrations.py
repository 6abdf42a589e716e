"""Keeping `django_migrations` true: the migrations an applied (or baselined) block carries are
recorded there in the same run, as `manage.py migrate --fake` would record them, so that a
later `migrate` neither re-runs them (Duplicate column name) nor lists them as unapplied."""

from __future__ import annotations

from collections.abc import Sequence

from release.alters import ledger_plan as lp
from release.alters.migrations import Migration, to_record
from release.alters.parse import AltersFile
from release.db.connection import Connection, ServerError, connect, error_code
from release.db.target import Database

TABLE = "django_migrations"
# Django's own definition (MigrationRecorder), for a database that has never seen `migrate`.
_CREATE = (f"CREATE TABLE IF NOT EXISTS `{TABLE}` (`id` bigint NOT NULL AUTO_INCREMENT "
           "PRIMARY KEY, `app` varchar(255) NOT NULL, `name` varchar(255) NOT NULL, "
           "`applied` datetime(6) NOT NULL)")
_NO_TABLE = 1146


def recorded(conn: Connection) -> list[Migration]:
    """What the database's django_migrations lists (nothing when it has no such table)."""
    with conn.cursor() as cur:
        try:
            cur.execute(f"SELECT app, name FROM `{TABLE}` ORDER BY id")
        except ServerError as error:
            if error_code(error) == _NO_TABLE:
                return []
            raise
        return [Migration(str(app), str(name)) for app, name in cur.fetchall()]


def record(conn: Connection, migrations: Sequence[Migration]) -> list[Migration]:
    """Add the migrations django_migrations lacks (creating it if need be); return them."""
    if not migrations:
        return []
    have = set(recorded(conn))
    new = [m for m in migrations if m not in have]
    if not new:
        return []
    with conn.cursor() as cur:
        cur.execute(_CREATE)
        cur.executemany(f"INSERT INTO `{TABLE}` (app, name, applied) VALUES (%s, %s, "
                        "UTC_TIMESTAMP(6))", [(m.app, m.name) for m in new])
    return new


def keep_true(conn: Connection, files: Sequence[AltersFile],
              rows: Sequence[lp.LedgerRow]) -> list[Migration]:
    """Record the migrations of every block now done there (ledger rows) that the database's
    django_migrations lacks; return what was added."""
    return record(conn, to_record(files, lp.plan(files, rows), recorded(conn)))


def recorded_in(db: Database) -> list[Migration]:
    """What the environment's django_migrations lists."""
    conn = connect(db.credentials)
    try:
        return recorded(conn)
    finally:
        conn.close()
