"""A clone that was stopped: by Ctrl-C, SIGTERM, a failure, or a kill before this run.

Whatever stopped it, the live target holds its old tables or the verified clone (swap.py);
what is left to do is to finish or undo the swap's journal, drop the scratch and holding
databases, record the stop, and say what each database holds.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from release.db.clones import state as clone_state
from release.db.clones import swap
from release.db.connection import Connection, ServerError, connect, server_words
from release.db.credentials import Credentials
from release.db.output import masked
from release.errors import Failed, ReleaseError


def clear_leftovers(conn: Connection, places: swap.Places) -> list[str]:
    """Finish or undo what a killed clone left, naming it."""
    lines = []
    if swap.exists(conn, places.old):
        done = swap.swapped(conn, places)
        lines.append(f"An interrupted clone left {places.old}: it had "
                     + ("swapped in its verified clone; carrying its triggers, views and "
                        "routines over and dropping the old tables." if done else
                        "not swapped; putting the live tables' triggers back and dropping it."))
    if swap.exists(conn, places.scratch):
        lines.append(f"An interrupted clone left the scratch database {places.scratch} (part "
                     "of a copy of production's data): dropping it.")
    if lines:
        swap.finish(conn, places)
    return lines


def stopped(creds: Credentials, places: swap.Places, source: str, target: str,
            error: BaseException, *, swapped_in: bool) -> ReleaseError:
    """What a clone stopped by `error` left, cleaned up where possible, as a message that
    says what state each database is in."""
    reason = why(error)
    try:
        # A fresh connection: the one that was interrupted may be mid-statement.
        with connect(creds) as conn:
            swapped = swapped_in or (swap.exists(conn, places.old)
                                     and swap.swapped(conn, places))
            swap.finish(conn, places)
            live = ("holds the verified clone (it was swapped in before the stop)" if swapped
                    else "is as it was: the clone never reached it")
            leftover = f"{places.scratch} was removed"
            held = "hold the verified clone" if swapped else "are as they were"
            clone_state.record(conn, source=source, state="failed",
                               detail=f"{reason}; the live tables {held}")
    except (ReleaseError, ServerError, OSError, KeyboardInterrupt) as cleanup:
        live = "is as it was or holds the verified clone (the swap is one statement)"
        leftover = (f"{places.scratch} and {places.old} may still exist ({why(cleanup)}); "
                    "the next db.clone removes them")
    return Failed(f"{reason}\nThe clone stopped: {target}/{places.target} {live}; {leftover}. "
                  f"{target} is marked unsafe and its deploys refuse until a clone is "
                  f"verified: run `invoke db.clone --from {source} --to {target}` again.")


def why(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, ReleaseError):
        return error.message
    if isinstance(error, ServerError):
        # Masked: the server quotes values (`Duplicate entry '...'`), maybe production's.
        return f"the database server refused a statement ({masked(server_words(error))})"
    return f"{error.__class__.__name__}: {error}" if str(error) else error.__class__.__name__


@contextlib.contextmanager
def signals_stop() -> Iterator[None]:
    """SIGTERM (and SIGHUP) stop a clone the way Ctrl-C does, so it cleans up and says what
    it left; only the main thread can take signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
