"""Whether a database holds an unverified copy of another environment's data.

The state lives in the database itself (table `release_clone`, one row per event), so whoever
deploys to it later (`deploy.preflight`) can see that a clone was not verified, from any
machine. The per-clone secret that keys the scrub and salts the production fingerprints is kept
out of that database, and out of the application's work tree (one `git add -A` would publish
it): with it, anyone holding the QA data could test guesses of production's phone numbers
against the fingerprints. It is a 0600 file in `[backups] dir` when that folder is outside every
git work tree; otherwise in the repository's git folder (`.git/stagecraft/`, never part of a
commit), or, when that cannot be written, in the user's state folder
(`$XDG_STATE_HOME/stagecraft/`, by default `~/.local/state/stagecraft/`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from release.console import who
from release.db.connection import Connection, connect
from release.db.target import Database
from release.errors import Refused, UsageError
from release.git.repo import Repository
from release.state import STATE_FOLDER, state_dir, write_atomically

STATE_TABLE = "release_clone"
FINGERPRINT_TABLE = "release_scrub_hashes"
SLOT_TABLE = "release_scrub_hash_columns"  # which digest column holds which column's hashes
TRIGGER_TABLE = "release_scrub_triggers"  # UPDATE triggers set aside while the scrub runs
OWN_TABLES = (STATE_TABLE, FINGERPRINT_TABLE, SLOT_TABLE, TRIGGER_TABLE)
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
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO `{STATE_TABLE}` (source, state, detail, recorded_by) "
                    "VALUES (%s, %s, %s, %s)", (source, state, detail[:4000], who()))


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


def forget_set_aside_triggers(conn: Connection) -> None:
    """Drop the definitions an interrupted scrub kept: a fresh copy brought its own triggers."""
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS `{TRIGGER_TABLE}`")


def work_tree(path: Path) -> Repository | None:
    """The git work tree a path is (or would be, once created) inside, or None."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        return Repository(existing if existing.is_dir() else existing.parent)
    except UsageError:
        return None


def require_private_backups(db: Database) -> None:
    """Refuse a `[backups] dir` inside the work tree that git does not ignore: a dump (or a
    key) there is one `git add -A` from a commit."""
    repo = work_tree(db.backups_dir)
    # The trailing slash: the folder may not exist yet, and `/backups/` matches only folders.
    if repo is None or repo.try_run("check-ignore", "-q", f"{db.backups_dir}/") is not None:
        return
    raise Refused(
        f"[backups] dir {db.backups_dir} is inside the work tree {repo.root} and git does not "
        f"ignore it, so dumps there could be committed. Add "
        f"`/{db.backups_dir.relative_to(repo.root)}/` to {repo.root / '.gitignore'}, or point "
        "[backups] dir outside the repository (e.g. ~/.local/state/stagecraft/backups).")


def secrets_dir(db: Database) -> Path:
    """Where the scrub key lives: never inside a work tree (see the module's docstring)."""
    repo = work_tree(db.backups_dir)
    if repo is None:
        return db.backups_dir
    inside_git = state_dir(repo.common_dir())
    if os.access(inside_git if inside_git.exists() else inside_git.parent, os.W_OK):
        return inside_git
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    tag = hashlib.sha256(str(repo.root).encode()).hexdigest()[:8]
    return state / STATE_FOLDER / f"{repo.root.name}-{tag}"


def key_path(db: Database) -> Path:
    return secrets_dir(db) / f"scrub-key-{db.environment}"


def new_key(db: Database) -> bytes:
    """A fresh per-clone secret, stored 0600 in a 0700 folder outside the work tree."""
    path = key_path(db)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    if path.exists():
        # Until this clone is swapped in, the live database's fingerprints are the last one's.
        path.replace(path.with_name(path.name + ".previous"))
    write_atomically(path, key.hex() + "\n")
    return key


def read_key(db: Database) -> bytes | None:
    try:
        return bytes.fromhex(key_path(db).read_text().strip())
    except (OSError, ValueError):
        return None


def read_keys(db: Database) -> list[bytes]:
    """The current scrub key and the one before it (see `new_key`)."""
    found = []
    for name in (key_path(db).name, key_path(db).name + ".previous"):
        try:
            found.append(bytes.fromhex(key_path(db).with_name(name).read_text().strip()))
        except (OSError, ValueError):
            continue
    return found
