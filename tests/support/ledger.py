"""An application clone configured for the ledger tests: environment `qa` on the suite's
server, the alters files written, dumps to backups/ beside the clone; and what those tests read
back (an encrypted backup's plaintext, an alters text silenced for apply's lint gate)."""

from __future__ import annotations

import io
import time
from datetime import datetime
from pathlib import Path

import pytest

from release.alters.ledger_plan import LedgerRow, Pending
from release.db.ledger.lock import lock_name
from tests.support.git import Sandbox
from tests.support.mariadb import MariaDB, query
from tests.support.toml import (
    IDENTITY_ENV,
    Alters,
    Backups,
    Database,
    Environment,
    age_keys,
    release_toml,
    use_credentials,
)

# Two blocks: one of DDL, one of DML (the ledger plan's and the status view's tests).
TWO_BLOCKS = """\
-- alter: add-phone
ALTER TABLE t ADD COLUMN phone varchar(20) NULL;
ALTER TABLE t ADD COLUMN fax varchar(20) NULL;

-- alter: fix-names
UPDATE t SET name = 'x' WHERE id = 1;
UPDATE t SET name = 'y' WHERE id = 2;
"""


def configure(sandbox: Sandbox, mariadb: MariaDB, database: str, monkeypatch: pytest.MonkeyPatch,
              alters: dict[str, str], *, table: str = "release_alters") -> Path:
    """Write release.toml (environment `qa` on the test server) and the alters files."""
    use_credentials(monkeypatch, mariadb)
    (sandbox.app / "release.toml").write_text(release_toml(
        [Environment("qa", database=Database.on(mariadb, database))],
        alters=Alters(files=list(alters), ledger_table=table),
        backups=Backups(sandbox.app.parent / "backups")))
    for name, text in alters.items():
        (sandbox.app / name).write_text(text)
    return sandbox.app


def backup_text(sandbox: Sandbox, path: Path) -> bytes:
    """The plaintext of an encrypted backup, decrypted with the sandbox's age identity."""
    from release.db.backups.stream import decrypt, identities

    plain = io.BytesIO()
    decrypt(path, identities(str(age_keys().identity_file), IDENTITY_ENV), plain)
    return plain.getvalue()


def silenced(text: str, path: str = "alters.sql") -> str:
    """The alters text with `-- noqa: CODE` on every line holding an error apply refuses: what
    a team writes when it means the DROP (the client's files were never linted)."""
    from release.alters.gate import unsilenced_errors
    from release.alters.parse import parse_alters

    parsed = parse_alters(text, path)
    findings = unsilenced_errors([(parsed, text)], {b.id for b in parsed.blocks},
                                 large_table_rows=10**9, table_rows={})
    codes: dict[int, set[str]] = {}
    for finding in findings:
        codes.setdefault(finding.line, set()).add(finding.code)
    lines = text.splitlines()
    for number, found in codes.items():
        lines[number - 1] += f"  -- noqa: {', '.join(sorted(found))}"
    return "\n".join(lines) + "\n"


def wait_for_lock(mariadb: MariaDB, database: str) -> None:
    """The server notices the dead client (and finishes what it was running) on its own time."""
    for _ in range(300):
        if query(mariadb, database, f"SELECT IS_FREE_LOCK('{lock_name(database)}')") == [(1,)]:
            return
        time.sleep(0.05)
    raise AssertionError("the killed run's lock was never released")


def row_of(item: Pending, status: str, error: str = "") -> LedgerRow:
    """The ledger row an apply of `item` would have written, with `status`."""
    return LedgerRow(
        block_id=item.block.id, position=item.position, file=item.file,
        line=item.statement.line, block_checksum=item.block.checksum,
        block_statements=item.block_statements, statement_checksum=item.checksum,
        statement=item.statement.text, status=status, applied_at=datetime(2026, 1, 2, 3, 4),
        applied_by="dev@host", error=error,
    )
