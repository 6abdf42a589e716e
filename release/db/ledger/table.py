"""The ledger tables in an environment's database: what was applied there, when, by whom.

`<table>`: one row per statement (block id, position, checksums, text, status, when, by whom,
release tag, duration, the run that did it); `<table>_runs`: one row per apply, with the file
names of the backups taken before and after; `<table>_schema`: the ledger's own schema version,
so that later releases can migrate it. Reading never creates anything (status and dry runs
change nothing); `ensure()` creates the tables on first write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from release.alters.ledger_plan import LedgerRow, Pending
from release.db.connection import Connection, ServerError, connect, error_code, reported
from release.db.credentials import Credentials
from release.errors import Refused

SCHEMA_VERSION = 1
_NO_SUCH_TABLE = 1146

_STATEMENTS = """
CREATE TABLE IF NOT EXISTS `{t}` (
  block_id VARCHAR(191) NOT NULL,
  position INT NOT NULL,
  file VARCHAR(512) NOT NULL,
  line INT NOT NULL,
  block_checksum CHAR(64) NOT NULL,
  block_statements INT NOT NULL,
  statement_checksum CHAR(64) NOT NULL,
  statement LONGTEXT NOT NULL,
  status ENUM('started','applied','failed','baseline','resolved') NOT NULL,
  applied_at DATETIME(6) NULL,
  applied_by VARCHAR(255) NOT NULL,
  release_tag VARCHAR(255) NOT NULL DEFAULT '',
  duration_ms INT NULL,
  error TEXT NULL,
  run_id BIGINT NULL,
  PRIMARY KEY (block_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
"""
_RUNS = """
CREATE TABLE IF NOT EXISTS `{t}_runs` (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  started_at DATETIME(6) NOT NULL,
  finished_at DATETIME(6) NULL,
  applied_by VARCHAR(255) NOT NULL,
  release_tag VARCHAR(255) NOT NULL DEFAULT '',
  result ENUM('running','applied','failed') NOT NULL,
  backup_before VARCHAR(1024) NOT NULL DEFAULT '',
  backup_after VARCHAR(1024) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS `{t}_schema` (
  id TINYINT NOT NULL PRIMARY KEY,
  version INT NOT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB
"""
_COLUMNS = ("block_id, position, file, line, block_checksum, block_statements, "
            "statement_checksum, statement, status, applied_at, applied_by, release_tag, "
            "duration_ms, error")
_UPSERT = (f"INSERT INTO `{{t}}` ({_COLUMNS}, run_id) VALUES "
           "(%s, %s, %s, %s, %s, %s, %s, %s, %s, NOW(6), %s, %s, %s, %s, %s) "
           "ON DUPLICATE KEY UPDATE file=VALUES(file), line=VALUES(line), "
           "block_checksum=VALUES(block_checksum), block_statements=VALUES(block_statements), "
           "statement_checksum=VALUES(statement_checksum), statement=VALUES(statement), "
           "status=VALUES(status), applied_at=VALUES(applied_at), "
           "applied_by=VALUES(applied_by), release_tag=VALUES(release_tag), "
           "duration_ms=VALUES(duration_ms), error=VALUES(error), run_id=VALUES(run_id)")


class Ledger:
    """The ledger of one environment, over an open connection (autocommit on)."""

    def __init__(self, conn: Connection, table: str, *, applied_by: str,
                 release_tag: str = "") -> None:
        self.conn = conn
        self.table = table
        self.applied_by = applied_by
        self.release_tag = release_tag

    def rows(self) -> list[LedgerRow]:
        """Every statement row; none when the ledger was never created."""
        try:
            found = self._fetch(f"SELECT {_COLUMNS} FROM `{self.table}` "
                                "ORDER BY applied_at, block_id, position")
        except ServerError as error:
            if error_code(error) == _NO_SUCH_TABLE:
                return []
            raise
        return [LedgerRow(
            block_id=r[0], position=r[1], file=r[2], line=r[3], block_checksum=r[4],
            block_statements=r[5], statement_checksum=r[6], statement=r[7], status=r[8],
            applied_at=r[9], applied_by=r[10], release_tag=r[11], duration_ms=r[12],
            error=r[13] or "",
        ) for r in found]

    def ensure(self) -> None:
        """Create the ledger tables on first use; refuse a ledger newer than this code."""
        for ddl in (_SCHEMA, _STATEMENTS, _RUNS):
            self._run(ddl.format(t=self.table))
        self._run(f"INSERT IGNORE INTO `{self.table}_schema` VALUES (1, %s, NOW(6))",
                  (SCHEMA_VERSION,))
        version = self._fetch(f"SELECT version FROM `{self.table}_schema` WHERE id = 1")[0][0]
        if version > SCHEMA_VERSION:
            raise Refused(
                f"the ledger `{self.table}` has schema version {version}, newer than this "
                f"Stagecraft understands ({SCHEMA_VERSION}). Upgrade Stagecraft and retry; "
                "nothing was changed."
            )

    # -- runs ---------------------------------------------------------------------------
    def start_run(self, backup_before: str) -> int:
        with self.conn.cursor() as cur:
            cur.execute(f"INSERT INTO `{self.table}_runs` (started_at, applied_by, release_tag, "
                        "result, backup_before) VALUES (NOW(6), %s, %s, 'running', %s)",
                        (self.applied_by, self.release_tag, backup_before))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, *, result: str, backup_after: str = "") -> None:
        self._run(f"UPDATE `{self.table}_runs` SET finished_at = NOW(6), result = %s, "
                  "backup_after = %s WHERE id = %s", (result, backup_after, run_id))

    def runs(self) -> list[tuple[Any, ...]]:
        return self._fetch(f"SELECT id, started_at, finished_at, applied_by, result, "
                           f"backup_before, backup_after FROM `{self.table}_runs` ORDER BY id")

    # -- statements ---------------------------------------------------------------------
    def record(self, item: Pending, status: str, *, run_id: int | None = None,
               duration_ms: int | None = None, error: str = "") -> None:
        """Write a statement's row. Inside an open transaction it commits with that
        transaction; otherwise (autocommit) at once."""
        self._run(_UPSERT.format(t=self.table), (
            item.block.id, item.position, item.file, item.statement.line, item.block.checksum,
            item.block_statements, item.checksum, item.statement.text, status,
            self.applied_by, self.release_tag, duration_ms, error or None, run_id,
        ))

    def resolve(self, statement_id: str, *, applied: bool) -> LedgerRow:
        """Settle a statement left `started` (or `failed`): `resolved` counts as done; not
        applied removes the row, so the statement is pending again."""
        row = next((r for r in self.rows() if r.statement_id == statement_id), None)
        if row is None or row.status not in ("started", "failed"):
            open_rows = [r.statement_id for r in self.rows() if r.status in ("started", "failed")]
            now = f"it is {row.status}" if row else "the ledger has no row for it"
            raise Refused(
                f"statement {statement_id} needs no resolving ({now}). Statements waiting for "
                f"a decision: {', '.join(open_rows) or 'none'}."
            )
        key = (row.block_id, row.position)
        if applied:
            self._run(f"UPDATE `{self.table}` SET status = 'resolved', applied_at = NOW(6), "
                      "applied_by = %s, error = NULL WHERE block_id = %s AND position = %s",
                      (self.applied_by, *key))
        else:
            self._run(f"DELETE FROM `{self.table}` WHERE block_id = %s AND position = %s", key)
        return row

    # -- plumbing -----------------------------------------------------------------------
    def _run(self, sql: str, args: tuple[Any, ...] | None = None) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql, args)

    def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return list(cur.fetchall())


@contextmanager
def open_ledger(creds: Credentials, table: str, *, applied_by: str,
                release_tag: str = "") -> Iterator[Ledger]:
    """A connection to the environment's database with its ledger; database errors that escape
    the work become a message naming the environment and the ledger table."""
    conn = connect(creds)
    try:
        with reported(f"environment {creds.environment!r}",
                      f"database error while reading or writing the ledger `{table}`",
                      "Check the server and the user's privileges (SELECT, INSERT, UPDATE, "
                      "DELETE, CREATE) and retry."):
            yield Ledger(conn, table, applied_by=applied_by, release_tag=release_tag)
    finally:
        if conn.open:
            conn.close()
