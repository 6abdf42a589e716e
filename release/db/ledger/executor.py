"""Running planned statements so that each is applied exactly once, or the ledger says otherwise.

DML commits in one transaction with its ledger row: killed before COMMIT, neither is there;
after, both are. DDL commits by itself, so its row is written `started` before it and `applied`
after it; a row still `started` later means nobody knows, and a person must say (resolve).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from release.alters.ledger_plan import Pending, Unit, resolve_hint
from release.alters.online_plan import OnlineAlter, online_alter
from release.db.connection import Connection, ServerError, lost_connection, server_words
from release.db.ledger.table import Ledger
from release.errors import Failed, ReleaseError, Uncertain

Progress = Callable[[Pending, int], None]
Online = Callable[[OnlineAlter], None]


def run_units(conn: Connection, ledger: Ledger, units: Sequence[Unit], *, run_id: int,
              environment: str, progress: Progress, online: Online) -> list[Pending]:
    """Apply the units in order; return what was applied. A failure raises with what ran.
    `online` carries out the ALTERs of `-- online: pt-osc|gh-ost` blocks: DDL to the ledger,
    `started` before and `applied` after, like any other."""
    runner = _Runner(conn, ledger, run_id, environment, progress, online)
    started_ahead: Pending | None = None
    for index, unit in enumerate(units):
        if unit.transactional:
            following = units[index + 1] if index + 1 < len(units) else None
            started_ahead = following.statements[0] if following is not None and \
                not following.transactional else None
            runner.transaction(unit, start_next=started_ahead)
        else:
            item = unit.statements[0]
            runner.alone(item, recorded=item is started_ahead)
            started_ahead = None
    runner.settle()
    return runner.applied


class _Runner:
    """Carries out units, one commit at a time.

    A DDL statement's `applied` row is owed until the next commit, which carries it, and the
    `started` row of a DDL statement that follows DML commits with that DML: each saves a
    commit (a disk flush) per DDL statement and changes nothing a crash could reveal, since
    nothing runs in between.
    """

    def __init__(self, conn: Connection, ledger: Ledger, run_id: int, environment: str,
                 progress: Progress, online: Online) -> None:
        self.conn, self.ledger, self.run_id = conn, ledger, run_id
        self.environment, self.progress, self.online = environment, progress, online
        self.applied: list[Pending] = []
        self.owed: tuple[Pending, int] | None = None

    def settle(self) -> None:
        """Write the owed `applied` row by itself."""
        if self.owed:
            item, elapsed = self.owed
            self.ledger.record(item, "applied", run_id=self.run_id, duration_ms=elapsed)
            self.owed = None
            self._done(item, elapsed)

    def transaction(self, unit: Unit, *, start_next: Pending | None = None) -> None:
        owed, done = self.owed, []
        item = unit.statements[0]
        self.conn.begin()
        try:
            if owed:
                self.ledger.record(owed[0], "applied", run_id=self.run_id, duration_ms=owed[1])
            for item in unit.statements:
                started = time.monotonic()
                with self.conn.cursor() as cur:
                    cur.execute(item.statement.text)
                elapsed = _ms(started)
                self.ledger.record(item, "applied", run_id=self.run_id, duration_ms=elapsed)
                done.append((item, elapsed))
            if start_next is not None:
                self.ledger.record(start_next, "started", run_id=self.run_id)
            self.conn.commit()
        except ServerError as error:
            if lost_connection(error):
                raise Failed(
                    f"environment {self.environment!r}: the connection was lost while applying "
                    f"{item.statement_id} ({item.where}). Its ledger row commits with it, so "
                    "the ledger knows whether it ran: run alters.apply again to continue."
                ) from None
            self.conn.rollback()
            self.settle()
            self.ledger.record(item, "failed", run_id=self.run_id, error=server_words(error))
            raise Failed(_failure(self.environment, item, server_words(error),
                                  self.applied)) from None
        self.owed = None
        for item, elapsed in ([owed] if owed else []) + done:
            self._done(item, elapsed)

    def alone(self, item: Pending, *, recorded: bool = False) -> None:
        if recorded:
            pass  # its `started` row committed with the DML before it
        elif self.owed:
            owed, self.owed = self.owed, None
            self.conn.begin()
            self.ledger.record(owed[0], "applied", run_id=self.run_id, duration_ms=owed[1])
            self.ledger.record(item, "started", run_id=self.run_id)
            self.conn.commit()
            self._done(*owed)
        else:
            self.ledger.record(item, "started", run_id=self.run_id)
        started = time.monotonic()
        change = online_alter(item.block, item.statement)
        try:
            if change is not None:
                self.online(change)
            else:
                with self.conn.cursor() as cur:
                    cur.execute(item.statement.text)
        except ReleaseError as error:  # the online tool failed and said why
            self.ledger.record(item, "failed", run_id=self.run_id, error=error.message[-2000:])
            raise Failed(_failure(self.environment, item, error.message, self.applied)) from None
        except ServerError as error:
            if lost_connection(error):
                raise Uncertain(
                    f"environment {self.environment!r}: the connection was lost while the "
                    f"server ran {item.statement_id} ({item.where}), so it may or may not be "
                    "applied.\n" + resolve_hint(self.environment, item.statement_id)
                ) from None
            self.ledger.record(item, "failed", run_id=self.run_id, error=server_words(error))
            raise Failed(_failure(self.environment, item, server_words(error),
                                  self.applied)) from None
        self.owed = (item, _ms(started))

    def _done(self, item: Pending, elapsed: int) -> None:
        self.applied.append(item)
        self.progress(item, elapsed)


def _failure(environment: str, item: Pending, error: str, applied: Sequence[Pending]) -> str:
    first_line = item.statement.text.strip().splitlines()[0][:120]
    ran = ", ".join(p.statement_id for p in applied) or "none"
    return (
        f"environment {environment!r}: statement {item.statement_id} of block {item.block.id} "
        f"({item.where}) failed: {error}\n"
        f"    {first_line}\n"
        f"Applied by this run before it: {ran}. The server rejected {item.statement_id}, so "
        "the ledger records it as failed, not applied; every statement after it is still "
        "pending. Fix it (or the database) and run alters.apply again: it continues from this "
        "statement."
    )


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
