"""Running `-- online: pt-osc|gh-ost` ALTERs, and cleaning up after one that was killed.

pt-online-schema-change copies the table into `_<table>_new`, keeps the copy in step with
three triggers (`pt_osc_<db>_<table>_ins|upd|del`) and swaps it in with one RENAME. Killed
(the apply dies and takes it along, see tools.run_with_option_file), it leaves the triggers
and the copy behind: writes still work but pay for the triggers, and its next run would
trip over them. `alters.resolve` removes them first, naming each.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from release.alters.online_plan import (
    BINARIES,
    PACKAGES,
    OnlineAlter,
    TableFacts,
    autoinc_refusal,
    gh_ost_args,
    leftover_table,
    online_alter,
    pt_osc_args,
    tools_needed,
)
from release.alters.parse import Block, Statement
from release.config import OnlineConfig
from release.console import Say
from release.db.connection import Connection
from release.db.target import Database
from release.db.tools import run_with_option_file
from release.errors import Refused


def require_no_lost_inserts(environment: str, conn: Connection,
                            pending: Sequence[tuple[Block, Statement]]) -> None:
    """Refuse, before anything changes, a pt-osc change of a table with an AUTO_INCREMENT
    column while innodb_autoinc_lock_mode < 2: the application's inserts would deadlock."""
    for block, statement in pending:
        change = online_alter(block, statement) if block.online == "pt-osc" else None
        mode = autoinc_mode(conn, change.table) if change else None
        if change is not None and mode is not None:
            raise Refused(f"environment {environment!r}: block {block.id} changes "
                          f"{autoinc_refusal(change.table, mode)} Nothing was changed.")


def autoinc_mode(conn: Connection, table: str) -> int | None:
    """The server's innodb_autoinc_lock_mode when it is below 2 and `table` has an
    AUTO_INCREMENT column (pt-osc would deadlock the application's inserts), else None."""
    with conn.cursor() as cur:
        cur.execute("SELECT @@innodb_autoinc_lock_mode")
        row = cur.fetchone()
        mode = int(row[0]) if row else 2
        if mode >= 2:
            return None
        cur.execute("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                    "DATABASE() AND TABLE_NAME = %s AND EXTRA LIKE '%%auto_increment%%'",
                    (table,))
        found = cur.fetchone()
    return mode if found and found[0] else None


def require_tools(environment: str, blocks: Sequence[Block]) -> None:
    """Refuse, before anything changes, when a block's online tool is not installed."""
    for tool in tools_needed(blocks):
        if shutil.which(BINARIES[tool]) is None:
            ids = ", ".join(b.id for b in blocks if b.online == tool)
            raise Refused(
                f"environment {environment!r}: block(s) {ids} are headed `-- online: {tool}`, "
                f"but {BINARIES[tool]} is not on PATH ({PACKAGES[tool]}). Install it, or "
                "change the header; nothing was changed.")


class OnlineRunner:
    """Carries out online ALTERs on one environment's database."""

    def __init__(self, db: Database, conn: Connection, online: OnlineConfig,
                 show: Say) -> None:
        self.db, self.conn, self.online, self.show = db, conn, online, show

    def __call__(self, change: OnlineAlter, *, dry_run: bool = False) -> None:
        binary = shutil.which(BINARIES[change.tool]) or BINARIES[change.tool]
        creds, name = self.db.credentials, self.db.name
        if change.tool == "pt-osc":
            facts = self._facts(change.table)
            mode = autoinc_mode(self.conn, change.table)
            if mode is not None:  # a table created earlier in this apply: still refused
                raise Refused(f"environment {self.db.environment!r}: "
                              f"{autoinc_refusal(change.table, mode)}")

            def args(option_file: str) -> list[str]:
                return pt_osc_args(change, database=name, option_file=option_file,
                                   online=self.online, facts=facts, dry_run=dry_run)
        else:
            def args(option_file: str) -> list[str]:
                return gh_ost_args(change, database=name, host=creds.host, port=creds.port,
                                   option_file=option_file, dry_run=dry_run)
        run_with_option_file(
            creds, binary, args, show=lambda line: self.show(f"    {line}"),
            what=f"environment {self.db.environment!r}: the online ALTER of {change.table}",
            left=f"{BINARIES[change.tool]} removes its copy and triggers when it fails "
                 f"by itself; {change.table} is as it was.")

    def _facts(self, table: str) -> TableFacts:
        with self.conn.cursor() as cur:
            cur.execute("SHOW SLAVE HOSTS")
            replicas = bool(cur.fetchall())
            cur.execute("SELECT COUNT(*) FROM information_schema.KEY_COLUMN_USAGE "
                        "WHERE REFERENCED_TABLE_SCHEMA = DATABASE() "
                        "AND REFERENCED_TABLE_NAME = %s AND TABLE_NAME <> %s", (table, table))
            row = cur.fetchone()
            referenced = bool(row and row[0])
            cur.execute("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                        "EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = %s "
                        "AND TRIGGER_NAME NOT LIKE 'pt\\_osc\\_%%'", (table,))
            triggers = cur.fetchone()
            cur.execute("SELECT @@log_bin, @@binlog_format")
            server = cur.fetchone()
        return TableFacts(replicas, referenced, bool(triggers and triggers[0]),
                          bool(server and server[0] and server[1] == "STATEMENT"))


def leftovers(conn: Connection, table: str) -> list[tuple[str, str]]:
    """What a killed pt-osc run on `table` left: ("trigger"|"table", name) pairs."""
    with conn.cursor() as cur:
        cur.execute("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE "
                    "EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = %s "
                    "AND TRIGGER_NAME LIKE 'pt\\_osc\\_%%'", (table,))
        found = [("trigger", str(r[0])) for r in cur.fetchall()]
        cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE %s",
                    (f"%\\_{table}\\_new",))
        found += [("table", str(r[0])) for r in cur.fetchall()
                  if leftover_table(table, str(r[0]))]
    return found


def remove_leftovers(conn: Connection, table: str) -> list[str]:
    """Drop the triggers first (writes stop feeding the copy), then the copy."""
    removed = []
    for kind, name in leftovers(conn, table):
        quoted = "`" + name.replace("`", "``") + "`"
        with conn.cursor() as cur:
            cur.execute(f"DROP {'TRIGGER' if kind == 'trigger' else 'TABLE'} IF EXISTS {quoted}")
        removed.append(f"{kind} {name}")
    return removed
