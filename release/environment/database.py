"""Every call a deploy (and the db and alters tasks) makes into release.db, in one module.

`open_database` reaches a resolved environment's database and, when `database.ssh` names a
host, opens an SSH tunnel through it for as long as the block runs: the ledger, dumps,
restores and clones all go through that tunnel, and nothing in release.db knows about it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from release.alters import ledger_plan as lp
from release.alters.parse import AltersFile
from release.config import Config
from release.console import Say, who
from release.db import deploys
from release.db.backups import restore
from release.db.clones import state as clone_state
from release.db.connection import connect
from release.db.ledger import apply as db_apply
from release.db.ledger.table import open_ledger
from release.db.target import Database
from release.environment.resolved import Environment
from release.errors import ConfigError, ReleaseError


@contextmanager
def open_database(env: Environment, *, from_primary: bool = False) -> Iterator[Database]:
    """The environment's database, reachable for as long as the block runs (its replica too,
    when one is configured). `from_primary`: reads skip the replica."""
    database = env.configured_database()
    if from_primary:
        database = database.reading_primary()
    key = f"environments.{env.name}.database"
    with ExitStack() as stack:
        creds = database.credentials
        port = _tunnel(stack, database.ssh, creds.host, creds.port, creds.socket, key)
        if port is not None:
            database = database.through("127.0.0.1", port)
        replica = database.replica
        if replica is not None and not from_primary:
            found = replica.credentials
            port = _tunnel(stack, replica.ssh, found.host, found.port, found.socket,
                           f"{key}.replica")
            if port is not None:
                database = database.with_replica(replica.through("127.0.0.1", port))
        yield database


def _tunnel(stack: ExitStack, ssh: str, host_name: str, port: int, socket: str,
            key: str) -> int | None:
    """The local end of an SSH tunnel to host_name:port through `ssh`, None when direct."""
    from release.hosts.ssh import SshHost

    if not ssh or ssh == "local":
        return None
    if socket:
        raise ConfigError(
            f"{key}: ssh = {ssh!r} with a socket: a tunnel reaches a host and port, not a "
            f"socket. Set host and port (as seen from {ssh}) instead of socket.")
    host = SshHost(ssh)
    stack.callback(host.close)
    local: int = stack.enter_context(host.forward(host_name, port))
    return local


def problem_reaching(db: Database) -> str | None:
    """Why the database cannot be reached, or None when it answers."""
    try:
        connect(db.credentials).close()
    except ReleaseError as error:
        return error.message
    return None


def unverified_clone(db: Database) -> str | None:
    """Why this database may not be deployed onto (an unverified clone), or None."""
    try:
        clone_state.require_verified_environment(db)
    except ReleaseError as error:
        return error.message
    return None


def ledger_plan(db: Database, config: Config, files: Sequence[AltersFile]) -> lp.LedgerPlan:
    """The alters files against the environment's ledger (reading creates nothing)."""
    with open_ledger(db.credentials, config.alters.ledger_table,
                     applied_by=who()) as ledger:
        return lp.plan(files, ledger.rows())


def apply_alters(db: Database, config: Config, texts: Mapping[str, str],
                 options: db_apply.Options, *, say: Say) -> db_apply.Applied:
    """Apply the alters files as they are in the release (`texts`: path -> text) through the
    ledger, with its backups; what ran and which backups were taken."""
    with tempfile.TemporaryDirectory(prefix="stagecraft-alters-") as folder:
        for name, text in texts.items():
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return db_apply.apply(db, replace(config, root=Path(folder)), options, say=say)


def applied_since(db: Database, config: Config, moment: datetime) -> list[str]:
    """Ledger statements applied after `moment` (UTC): what restoring an older dump undoes."""
    with open_ledger(db.credentials, config.alters.ledger_table,
                     applied_by=who()) as ledger:
        with ledger.conn.cursor() as cur:
            cur.execute("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")
            row = cur.fetchone()
        offset = timedelta(seconds=int(row[0]) if row else 0)
        local = moment.replace(tzinfo=None) + offset  # the ledger stores server-local times
        return [f"{r.block_id}#{r.position} ({r.applied_at:%Y-%m-%d %H:%M} by {r.applied_by})"
                for r in ledger.rows() if r.applied_at is not None and r.applied_at > local]


def restore_dump(db: Database, config: Config, dump: Path, *, say: Say,
                 confirm: Callable[[str], None], yes_really: bool) -> None:
    restore.restore(db, dump, say=say, confirm=confirm, yes_really=yes_really)


def record(db: Database, entry: dict[str, Any]) -> None:
    with connect(db.credentials) as conn:
        deploys.append(conn, db.environment, entry)


def records(db: Database) -> list[tuple[str, str]]:
    with connect(db.credentials) as conn:
        return deploys.records(conn, db.environment)


# -- what release.run does to a test environment's database, and its backups ----------------
def clone_production(config: Config, production: Environment, target: Database, *,
                     say: Say) -> None:
    """db.clone --from production --to TARGET, confirmed by the caller (release.run --clone);
    Refused when the scrub does not verify. The run's --from-primary (`target.from_primary`)
    reads production's primary rather than its replica."""
    from release.db.clones.copy import clone

    with open_database(production, from_primary=target.from_primary) as source:
        result = clone(source, target, config.scrub, say=say, confirm=lambda _: None,
                       skip_tables=(config.alters.ledger_table,))
    if result is not None and not result.passed:
        raise _unsafe(target.environment, result.problems())


def verify_scrub(db: Database, config: Config, *, say: Say) -> str:
    """The scrub verification of a database that holds a clone; what it found."""
    from release.db.clones.copy import verify_environment

    if not holds_clone(db):
        return f"{db.environment} holds no clone of production: nothing to verify"
    result = verify_environment(db, config.scrub, skip_tables=(config.alters.ledger_table,),
                                say=say)
    if not result.passed:
        raise _unsafe(db.environment, result.problems())
    return "scrub verified: no value can reach a real person"


def holds_clone(db: Database) -> bool:
    with connect(db.credentials) as conn:
        return clone_state.latest(conn) is not None


def set_qa_values(db: Database, config: Config, *, say: Say) -> list[str]:
    from release.db.clones import qa_values
    return qa_values.apply(db, config.qa_values, say=say)


def backup(db: Database, *, moment: str, release: str, say: Say, planned: str = "") -> Path:
    """An encrypted dump named as the checklist names it (before/after the alters): the file
    `planned` names, when given."""
    from release.db.backups.pair import backup as dump
    from release.db.backups.pair import require_encryption

    require_encryption(db, "release.toml")
    return dump(db, moment=moment, release=release, say=say, planned=planned)


def _unsafe(env: str, problems: list[str]) -> ReleaseError:
    from release.errors import Refused

    listing = "\n  ".join(problems)
    return Refused(f"{env} is not safe: it may still reach real people:\n  {listing}\nAdd "
                   "[[scrub.rules]] for these columns (or list false alarms in [scrub] safe), "
                   f"then clone again; until then deploys to {env} refuse.")
