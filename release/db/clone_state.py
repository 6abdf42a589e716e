"""Whether a database holds an unverified copy of another environment's data.

The state lives in the database itself (table `release_clone`, one row per event), so whoever
deploys to it later (`deploy.preflight`) can see that a clone was not verified, from any
machine. The per-clone secret that keys the scrub and the production fingerprints is kept out
of that database, in a 0600 file in the backups folder: with it, anyone holding the QA data
could test guesses of production's phone numbers against the fingerprints.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from release.db.connection import Connection, connect
from release.db.target import Database
from release.errors import Refused

STATE_TABLE = "release_clone"
FINGERPRINT_TABLE = "release_scrub_hashes"
OWN_TABLES = (STATE_TABLE, FINGERPRINT_TABLE)
VERIFIED = "verified"

_CREATE_STATE = f"""CREATE TABLE IF NOT EXISTS `{STATE_TABLE}` (
  id INT AUTO_INCREMENT PRIMARY KEY,
  source VARCHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  detail TEXT NOT NULL,
  recorded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  recorded_by VARCHAR(128) NOT NULL
) ENGINE=InnoDB"""


@dataclass(frozen=True)
class CloneRecord:
    source: str
    state: str        # cloning, restored, scrubbing, scrubbed, unverified, failed, verified
    detail: str
    recorded_at: datetime


def ensure_tables(conn: Connection) -> None:
    with conn.cursor() as cur:
        cur.execute(_CREATE_STATE)


def record(conn: Connection, *, source: str, state: str, detail: str = "") -> None:
    ensure_tables(conn)
    who = f"{os.environ.get('USER', 'unknown')}@{os.uname().nodename}"
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO `{STATE_TABLE}` (source, state, detail, recorded_by) "
                    "VALUES (%s, %s, %s, %s)", (source, state, detail[:4000], who))


def latest(conn: Connection) -> CloneRecord | None:
    """The last recorded event, or None if this database was never cloned or restored into."""
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", (STATE_TABLE,))
        row = cur.fetchone()
        if not row or not row[0]:
            return None
        cur.execute(f"SELECT source, state, detail, recorded_at FROM `{STATE_TABLE}` "
                    "ORDER BY id DESC LIMIT 1")
        last = cur.fetchone()
    if last is None:
        return None
    return CloneRecord(source=str(last[0]), state=str(last[1]), detail=str(last[2]),
                       recorded_at=last[3])


def require_verified(conn: Connection, environment: str) -> None:
    """Refuse (for deploy.preflight) when the last clone into this database is not verified."""
    last = latest(conn)
    if last is None or last.state == VERIFIED:
        return
    raise Refused(
        f"environment {environment!r} holds a copy of {last.source!r} that is not verified "
        f"as scrubbed (state {last.state!r} since {last.recorded_at:%Y-%m-%d %H:%M}"
        f"{': ' + last.detail if last.detail else ''}). It may still text, call or email real "
        f"people. Run `invoke db.verify-scrub --env {environment}` (or clone again with "
        f"`invoke db.clone --from {last.source} --to {environment}`)."
    )


def require_verified_environment(db: Database) -> None:
    """`require_verified` on an environment's database, for a deploy's preflight."""
    with connect(db.credentials) as conn:
        require_verified(conn, db.environment)


def key_path(db: Database) -> Path:
    return db.backups_dir / f"scrub-key-{db.environment}"


def new_key(db: Database) -> bytes:
    """A fresh per-clone secret, stored 0600 in the (0700) backups folder."""
    path = key_path(db)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
    partial.replace(path)
    return key


def read_key(db: Database) -> bytes | None:
    try:
        return bytes.fromhex(key_path(db).read_text().strip())
    except (OSError, ValueError):
        return None
