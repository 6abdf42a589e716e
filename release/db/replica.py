"""Reading from an environment's replica instead of its primary.

Dumps, backups and clones read from the replica once it checks out: it replicates this primary
(the source it reports, and the GTID domain), both replication threads run, and it is at most
`max_lag` seconds behind. `check` is pure (values in, the failed check out); `choose` asks
both servers and returns where to read. A physical backup holds the replica's SQL thread
stopped while it copies; `sql_thread_held` records that in a marker file first, so a run killed
in that window is found out, and its replica restarted, by the next one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymysql.cursors

from release.console import Say
from release.db import tools
from release.db.connection import Connection, connect, reported
from release.db.credentials import Credentials
from release.db.target import Database, Replica
from release.errors import Failed, Refused

WAIT_SECONDS = 300  # how long the backup after the alters waits for the replica to catch up


@dataclass(frozen=True)
class Primary:
    """What identifies the primary to its replicas."""

    server_id: int
    gtid_domain_id: int
    port: int
    names: tuple[str, ...]  # the host names a replica may know it by
    gtid_position: str      # @@gtid_binlog_pos: what the replica must have applied


@dataclass(frozen=True)
class Status:
    """SHOW SLAVE STATUS of the replica, the parts the checks read."""

    master_host: str = ""
    master_port: int = 0
    master_server_id: int = 0
    io_running: str = "No"
    sql_running: str = "No"
    seconds_behind: int | None = None
    using_gtid: str = "No"
    gtid_io_pos: str = ""
    gtid_slave_pos: str = ""
    last_io_error: str = ""
    last_sql_error: str = ""


@dataclass(frozen=True)
class Source:
    """Where a dump reads: the primary, or the replica with its position and lag."""

    credentials: Credentials
    replica: str = ""           # the replica's address, "" when reading the primary
    gtid_position: str = ""
    lag: int | None = None

    def describe(self) -> str:
        if not self.replica:
            return f"the primary at {self.credentials.where}"
        return (f"the replica at {self.replica} (GTID {self.gtid_position or 'none'}, "
                f"{self.lag}s behind)")


def check(primary: Primary, status: Status | None, max_lag: int) -> tuple[str, str] | None:
    """The first check the replica fails, as (check, why), or None when it may be read."""
    if status is None:
        return "replicates this primary", "it is not a replica (SHOW SLAVE STATUS is empty)"
    by_id = status.master_server_id != 0 and status.master_server_id == primary.server_id
    by_address = status.master_port == primary.port and status.master_host in primary.names
    if not (by_id or by_address):
        return ("replicates this primary",
                f"its source is {status.master_host}:{status.master_port} (server_id "
                f"{status.master_server_id}), not this primary (server_id {primary.server_id},"
                f" port {primary.port})")
    domains = {domain(g) for g in gtids(status.gtid_io_pos) + gtids(status.gtid_slave_pos)}
    if status.using_gtid.lower() == "no":
        return "GTID domain", "it does not replicate by GTID (MASTER_USE_GTID=no)"
    if primary.gtid_position and primary.gtid_domain_id not in domains:
        return ("GTID domain",
                f"it has no position in the primary's GTID domain {primary.gtid_domain_id}")
    if status.io_running != "Yes":
        return "IO thread", _stopped("Slave_IO_Running", status.io_running, status.last_io_error)
    if status.sql_running != "Yes":
        return "SQL thread", _stopped("Slave_SQL_Running", status.sql_running,
                                      status.last_sql_error)
    if status.seconds_behind is None or status.seconds_behind > max_lag:
        behind = "unknown" if status.seconds_behind is None else f"{status.seconds_behind}s"
        return "lag", f"it is {behind} behind its primary (max_lag is {max_lag}s)"
    return None


def gtids(position: str) -> list[str]:
    return [g.strip() for g in position.split(",") if g.strip()]


def domain(gtid: str) -> int:
    return int(gtid.split("-", 1)[0])


def _stopped(field: str, value: str, error: str) -> str:
    return f"{field} is {value}" + (f" (last error: {error})" if error else "")


def choose(db: Database, *, say: Say, wait: bool = False) -> Source:
    """Where to read the environment's data: the replica when one is configured and passes
    the checks (`wait`: after it has applied everything the primary has), else Refused; the
    primary when there is no replica or --from-primary was given."""
    if db.replica is None:
        return Source(db.credentials)
    if db.from_primary:
        say(f"Reading the primary of {db.environment!r} (--from-primary), not its replica.")
        return Source(db.credentials)
    restart_left_stopped(db, say=say)
    replica = db.replica
    with reported(f"environment {db.environment!r} (primary)"), connect(db.credentials) as conn:
        primary = primary_facts(conn, db.credentials.host)
    with reported(f"environment {db.environment!r} (replica)"), \
            connect(replica.credentials) as conn:
        failed = check(primary, status_of(conn), replica.max_lag)
        if failed is not None:
            name, why = failed
            raise Refused(f"environment {db.environment!r}: the replica at "
                          f"{replica.credentials.where} fails the check '{name}': {why}. Fix "
                          "the replica, or re-run with --from-primary to read the primary "
                          "(the whole read then loads it). Nothing was written.")
        if wait and primary.gtid_position:
            _wait_for(conn, primary.gtid_position, db.environment, say)
        found = status_of(conn)
    assert found is not None
    return Source(replica.credentials, replica=replica.credentials.where,
                  gtid_position=found.gtid_slave_pos, lag=found.seconds_behind)


def primary_facts(conn: Connection, configured_host: str) -> Primary:
    with conn.cursor() as cur:
        cur.execute("SELECT @@server_id, @@gtid_domain_id, @@port, @@hostname, "
                    "@@gtid_binlog_pos")
        server_id, gtid_domain, port, hostname, position = cur.fetchone()
    names = tuple(dict.fromkeys([configured_host, str(hostname), "localhost", "127.0.0.1"]
                                if configured_host in ("127.0.0.1", "localhost")
                                else [configured_host, str(hostname)]))
    return Primary(int(server_id), int(gtid_domain), int(port), names, str(position or ""))


def status_of(conn: Connection) -> Status | None:
    with conn.cursor(pymysql.cursors.DictCursor) as cur:
        cur.execute("SHOW SLAVE STATUS")
        row: dict[str, Any] | None = cur.fetchone()
        cur.execute("SELECT @@gtid_slave_pos AS pos")
        pos = cur.fetchone()
    if not row:
        return None
    behind = row.get("Seconds_Behind_Master")
    return Status(master_host=str(row.get("Master_Host") or ""),
                  master_port=int(row.get("Master_Port") or 0),
                  master_server_id=int(row.get("Master_Server_Id") or 0),
                  io_running=str(row.get("Slave_IO_Running") or "No"),
                  sql_running=str(row.get("Slave_SQL_Running") or "No"),
                  seconds_behind=None if behind is None else int(behind),
                  using_gtid=str(row.get("Using_Gtid") or "No"),
                  gtid_io_pos=str(row.get("Gtid_IO_Pos") or ""),
                  gtid_slave_pos=str((pos or {}).get("pos") or ""),
                  last_io_error=str(row.get("Last_IO_Error") or ""),
                  last_sql_error=str(row.get("Last_SQL_Error") or ""))


def _wait_for(conn: Connection, position: str, env_name: str, say: Say) -> None:
    say(f"Waiting (up to {WAIT_SECONDS}s) for the replica of {env_name!r} to apply the "
        f"primary's GTID position {position}...")
    with conn.cursor() as cur:
        cur.execute("SELECT MASTER_GTID_WAIT(%s, %s)", (position, WAIT_SECONDS))
        row = cur.fetchone()
    if not row or int(row[0]) != 0:
        raise Failed(f"environment {env_name!r}: the replica did not apply the primary's GTID "
                     f"position {position} within {WAIT_SECONDS}s, so a dump of it would miss "
                     "the latest changes. Look at its lag (SHOW SLAVE STATUS), or take this "
                     "backup from the primary with --from-primary.")


# -- the SQL thread a physical backup holds stopped --------------------------------------
def marker_path(db: Database) -> Path:
    return db.backups_dir / f".replica-sql-thread-{db.environment}.json"


@contextmanager
def sql_thread_held(db: Database, replica: Replica, *, say: Say) -> Iterator[str]:
    """Keep the replica's SQL thread stopped for the block (the copy is then of one point in
    its history; yields its GTID position), and replicating again afterwards, however the
    block ends."""
    marker = marker_path(db)
    # Written before the thread stops: a run killed from here on is known to the next one.
    marker.write_text(json.dumps({"pid": os.getpid(), "replica": replica.credentials.where,
                                  "since": datetime.now(UTC).isoformat()}) + "\n")
    marker.chmod(0o600)
    try:
        with connect(replica.credentials) as conn, conn.cursor() as cur:
            cur.execute("STOP SLAVE SQL_THREAD")
            cur.execute("SELECT @@gtid_slave_pos")
            row = cur.fetchone()
        yield str(row[0]) if row else ""
    finally:
        with connect(replica.credentials) as conn:
            _restart(conn, db.environment, say, "the backup is over")
        marker.unlink(missing_ok=True)


def restart_left_stopped(db: Database, *, say: Say) -> None:
    """Restart a replica SQL thread that a killed backup left stopped, and say so."""
    marker = marker_path(db)
    try:
        left = json.loads(marker.read_text())
    except (OSError, ValueError):
        return
    pid = int(left.get("pid", 0))
    if pid and pid != os.getpid() and tools.process_alive(pid):
        return  # a backup running now holds it stopped on purpose
    assert db.replica is not None
    with connect(db.replica.credentials) as conn:
        _restart(conn, db.environment, say,
                 f"a backup (pid {pid}, since {left.get('since', '?')}) was killed while it "
                 "held it stopped")
    marker.unlink(missing_ok=True)


def _restart(conn: Connection, env_name: str, say: Say, why: str) -> None:
    found = status_of(conn)
    if found is None or found.sql_running == "Yes":
        return
    if found.last_sql_error:
        say(f"The replica of {env_name!r} has its SQL thread stopped by an error "
            f"({found.last_sql_error}): left stopped for a person to look at.")
        return
    with conn.cursor() as cur:
        cur.execute("START SLAVE SQL_THREAD")
    say(f"Restarted the SQL thread of the replica of {env_name!r}: {why}.")

