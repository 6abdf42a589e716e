"""Running planned statements so that each is applied exactly once, or the ledger says otherwise.

DML commits in one transaction with its ledger row: killed before COMMIT, neither is there;
after, both are. DDL commits by itself, so its row is written `started` before it and `applied`
after it; a row still `started` later means nobody knows, and a person must say (resolve).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import pymysql

from release.alters.ledger_plan import Pending, Unit, resolve_hint
from release.db.connection import Connection
from release.db.ledger import Ledger
from release.errors import Failed, Uncertain

_CONNECTION_LOST = (2006, 2013, 2055)

Progress = Callable[[Pending, int], None]


def run_units(conn: Connection, ledger: Ledger, units: Sequence[Unit], *, run_id: int,
              environment: str, progress: Progress) -> list[Pending]:
    """Apply the units in order; return what was applied. A failure raises with what ran."""
    applied: list[Pending] = []
    for unit in units:
        if unit.transactional:
            _transaction(conn, ledger, unit, run_id, environment, applied, progress)
        else:
            _alone(conn, ledger, unit.statements[0], run_id, environment, applied, progress)
    return applied


def _transaction(conn: Connection, ledger: Ledger, unit: Unit, run_id: int, environment: str,
                 applied: list[Pending], progress: Progress) -> None:
    conn.begin()
    done: list[tuple[Pending, int]] = []
    item = unit.statements[0]
    try:
        for item in unit.statements:
            started = time.monotonic()
            with conn.cursor() as cur:
                cur.execute(item.statement.text)
            elapsed = _ms(started)
            ledger.record(item, "applied", run_id=run_id, duration_ms=elapsed)
            done.append((item, elapsed))
        conn.commit()
    except pymysql.err.MySQLError as error:
        if _lost(error):
            raise Failed(
                f"environment {environment!r}: the connection was lost while applying "
                f"{item.statement_id} ({item.where}). Its ledger row commits with it, so the "
                "ledger knows whether it ran: run alters.apply again to continue."
            ) from None
        conn.rollback()
        ledger.record(item, "failed", run_id=run_id, error=_error_text(error))
        raise Failed(_failure(environment, item, error, applied)) from None
    for item, elapsed in done:
        applied.append(item)
        progress(item, elapsed)


def _alone(conn: Connection, ledger: Ledger, item: Pending, run_id: int, environment: str,
           applied: list[Pending], progress: Progress) -> None:
    ledger.record(item, "started", run_id=run_id)
    started = time.monotonic()
    try:
        with conn.cursor() as cur:
            cur.execute(item.statement.text)
    except pymysql.err.MySQLError as error:
        if _lost(error):
            raise Uncertain(
                f"environment {environment!r}: the connection was lost while the server ran "
                f"{item.statement_id} ({item.where}), so it may or may not be applied.\n"
                + resolve_hint(environment, item.statement_id)
            ) from None
        ledger.record(item, "failed", run_id=run_id, error=_error_text(error))
        raise Failed(_failure(environment, item, error, applied)) from None
    elapsed = _ms(started)
    ledger.record(item, "applied", run_id=run_id, duration_ms=elapsed)
    applied.append(item)
    progress(item, elapsed)


def _failure(environment: str, item: Pending, error: pymysql.err.MySQLError,
             applied: Sequence[Pending]) -> str:
    first_line = item.statement.text.strip().splitlines()[0][:120]
    ran = ", ".join(p.statement_id for p in applied) or "none"
    return (
        f"environment {environment!r}: statement {item.statement_id} of block {item.block.id} "
        f"({item.where}) failed: {_error_text(error)}\n"
        f"    {first_line}\n"
        f"Applied by this run before it: {ran}. The ledger records {item.statement_id} as "
        "failed and it did not take effect; every statement after it is still pending. Fix it "
        "(or the database) and run alters.apply again: it continues from this statement."
    )


def _error_text(error: pymysql.err.MySQLError) -> str:
    if len(error.args) >= 2:
        return f"error {error.args[0]}: {error.args[1]}"
    return str(error)


def _lost(error: pymysql.err.MySQLError) -> bool:
    return isinstance(error, pymysql.err.OperationalError) and bool(error.args) \
        and error.args[0] in _CONNECTION_LOST


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
