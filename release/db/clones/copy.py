"""`db.clone`: copy production into a scratch database beside QA's, scrub and verify it
there, and only then swap it in for QA's tables in one RENAME (swap.py).

The copy streams `mariadb-dump` straight into the `mariadb` client through a pipe: nothing is
written to disk, so no identity is needed to read it back, and the load is the only copy of
the data. Every step is recorded in QA's own database first, so QA is marked unsafe from the
moment a clone starts until one is verified; the live tables never hold unscrubbed rows.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from dataclasses import replace

from release.config import ScrubConfig
from release.console import Say, plan_step
from release.db import replica, schema, tools
from release.db.backups import stream
from release.db.backups.dump import dump_options
from release.db.clones import fingerprints, scrub, scrub_plan, stopped, swap, verify
from release.db.clones import state as clone_state
from release.db.connection import Connection, connect
from release.db.credentials import Credentials
from release.db.target import Database
from release.errors import Refused


def clone(source_db: Database, target_db: Database, rules: ScrubConfig, *, say: Say,
          confirm: Callable[[str], None], skip_tables: tuple[str, ...] = (),
          dry_run: bool = False, allow_locking: bool = False) -> verify.Verification | None:
    source, target = source_db.environment, target_db.environment
    if target_db.production or source == target:
        raise Refused(f"refusing to clone {source!r} into {target!r}: the target must be "
                      "another environment than the source, and never production.")
    # Read from the source's replica when it has one (and it checks out).
    reading = replica.choose(source_db, say=say)
    source_creds, target_creds = reading.credentials, target_db.credentials
    with connect(source_creds) as conn:
        found = schema.tables(conn, source_creds.database)
        options = dump_options(source, found, allow_locking, say)
        plan = scrub_plan.plan(rules.rules, schema.columns(conn, source_creds.database),
                               {name: t.integer_key for name, t in found.items()},
                               schema.update_triggers(conn, source_creds.database))
        carried = schema.other_objects(conn, source_creds.database)
    places = swap.places(target_creds.database)
    with connect(target_creds) as conn:
        present = schema.tables(conn, target_creds.database)
        left = swap.leftovers(conn, places)
    copied = {name: t for name, t in found.items() if name not in swap.NOT_COPIED}
    replaced = sorted(set(copied) & set(present))
    say(f"Clone {source}/{source_creds.database} ({len(copied)} tables, read from "
        f"{reading.describe()}) into "
        f"{target}/{target_creds.database}: replaces {len(replaced)} of its tables, then "
        f"scrubs {sum(len(s.assignments) for s in plan)} column(s) in {len(plan)} table(s).")
    for what, names in carried.items():
        say(f"  copies {len(names)} {what} along with the tables"
            + (f": {', '.join(names)}" if names else ""))
    for line in _swap_plan(places, left):
        say(line)
    if dry_run:
        for step in plan:
            say(plan_step(step.describe(), dry_run=True))
        say("Dry run: nothing was changed.")
        return None
    confirm(f"Replace {len(replaced)} table(s) in {target}/{target_creds.database} with "
            f"{source}'s data?")
    # The copy reads where the plan was made: the replica when it was chosen.
    return _carry_out(replace(source_db, credentials=source_creds), target_db, places, options,
                      found, plan, rules, skip_tables, say)


def _carry_out(source_db: Database, target_db: Database, places: swap.Places,
               options: tuple[str, ...], found: dict[str, schema.Table],
               plan: list[scrub_plan.TableScrub], rules: ScrubConfig,
               skip_tables: tuple[str, ...], say: Say) -> verify.Verification:
    source, target = source_db.environment, target_db.environment
    source_creds, target_creds = source_db.credentials, target_db.credentials
    scratch = replace(target_creds, database=places.scratch)
    conn = connect(target_creds)
    swapped_in = False
    try:
        with stopped.signals_stop():
            for line in stopped.clear_leftovers(conn, places):
                say(line)
            clone_state.record(conn, source=source, state="cloning",
                               detail=f"loading into {places.scratch}; the live tables are "
                                      "as they were")
            result = _build(conn, scratch, source_creds, options, found, plan, rules,
                            target_db, skip_tables, say)
            if not result.passed:
                _discard(conn, places)
                clone_state.record(conn, source=source, state="failed",
                                   detail="the clone did not verify and was not swapped in; "
                                          "the live tables are as they were")
                say(f"The clone did not verify, so it was not swapped in: {target}/"
                    f"{target_creds.database} is as it was (the scratch database is removed).")
                return result
            carried_over = swap.swap(conn, places)
            swapped_in = True
            swap.finish(conn, places)
            say(f"Swapped the verified clone into {target}/{target_creds.database} in one "
                f"RENAME; carried over {len(carried_over)} trigger(s), view(s), routine(s) "
                "and event(s); the old tables are dropped.")
            clone_state.record(conn, source=source, state=clone_state.VERIFIED,
                               detail="verify-scrub passed")
    except BaseException as error:
        raise stopped.stopped(target_creds, places, source, target, error,
                              swapped_in=swapped_in) from None
    finally:
        with contextlib.suppress(Exception):  # a connection interrupted mid-statement
            conn.close()
    say(f"{target}: scrub verified: no value can reach or identify a real person.")
    return result


def _swap_plan(places: swap.Places, left: list[str]) -> list[str]:
    lines = [f"  removes what an interrupted clone left: {', '.join(left)}"] if left else []
    return [*lines,
            f"  loads into the scratch database {places.scratch} on the same server, "
            "fingerprints, scrubs and verifies it there (the live tables are untouched)",
            f"  then swaps it in with one RENAME TABLE (the live tables move to "
            f"{places.old}), carries triggers, views, routines and events over, and drops "
            "the old tables; a clone that does not verify is never swapped in"]


def _build(conn: Connection, scratch: Credentials, source: Credentials,
           options: tuple[str, ...], found: dict[str, schema.Table],
           plan: list[scrub_plan.TableScrub], rules: ScrubConfig, target_db: Database,
           skip_tables: tuple[str, ...], say: Say) -> verify.Verification:
    """Load, fingerprint, scrub and verify the clone in the scratch database."""
    with conn.cursor() as cur:
        cur.execute("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
                    "information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()")
        charset, collation = cur.fetchone() or ("utf8mb4", "utf8mb4_general_ci")
        cur.execute(f"CREATE DATABASE {schema.quote(scratch.database)} CHARACTER SET "
                    f"{charset} COLLATE {collation}")
    _copy(source, scratch, options, found)
    key = clone_state.new_key(target_db)
    keys = {name: t.integer_key for name, t in found.items()}
    with connect(scratch) as work:
        fingerprints.record(work, rules.rules, key, keys)
        scrub.apply(work, plan, key, report=say)
        columns = schema.columns(work, scratch.database)
        row_keys = {n: t.integer_key for n, t in schema.tables(work, scratch.database).items()}
        result = verify.verify(work, columns, row_keys, rules, key, skip_tables=skip_tables)
    result.source = source.environment
    report(result, target_db.environment, rules, say)
    return result


def _discard(conn: Connection, places: swap.Places) -> None:
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {schema.quote(places.scratch)}")


def verify_environment(db: Database, rules: ScrubConfig, *, skip_tables: tuple[str, ...] = (),
                       say: Say, verbose: bool = False) -> verify.Verification:
    """Run the scrub verification on an environment; record the outcome there if it holds a
    clone (or a restore from elsewhere)."""
    env_name, creds = db.environment, db.credentials
    with connect(creds) as conn:
        columns = schema.columns(conn, creds.database)
        row_keys = {name: t.integer_key for name, t in schema.tables(conn, creds.database).items()}
        result = verify.verify(conn, columns, row_keys, rules, _fitting_key(conn, db),
                               skip_tables=skip_tables)
        last = clone_state.latest(conn)
        result.source = last.source if last else None
        if last is None:
            say(f"{env_name}: never cloned into (no {clone_state.STATE_TABLE} record): there "
                "is no scrub to verify, and nothing below promises anything about its data.")
        report(result, env_name, rules, say, verbose=verbose)
        if result.passed:
            say(f"{env_name}: scrub verified: no value can reach or identify a real person.")
        # Only a database that holds a clone gets a record: checking production itself must
        # not leave a state table there for its deploys to trip over.
        if last is not None:
            clone_state.record(
                conn, source=last.source,
                state=clone_state.VERIFIED if result.passed else "unverified",
                detail="verify-scrub passed" if result.passed
                else "; ".join(result.problems())[:4000])
    return result


def _fitting_key(conn: Connection, db: Database) -> bytes | None:
    """The scrub key that made the database's fingerprints; None when neither kept key did
    (the verification then fails: it cannot tell production's values)."""
    keys = clone_state.read_keys(db)
    for key in keys:
        fits = fingerprints.key_fits(conn, key)
        if fits is None:
            return keys[0]  # fingerprints from before keys were checked: the current key
        if fits:
            return key
    return None


def report(result: verify.Verification, env_name: str, rules: ScrubConfig, say: Say, *,
           verbose: bool = False) -> None:
    say(f"{env_name}: {len(result.found)} column(s) hold personal data by name or "
        f"content; {len(result.covers)} covered ({len(rules.rules)} rule(s), "
        f"{len(rules.safe)} marked safe), {len(result.uncovered)} not covered:")
    for line in result.summary(limit=None if verbose else 10):
        say(line)


def _copy(source: Credentials, target: Credentials, options: tuple[str, ...],
          found: dict[str, schema.Table]) -> None:
    """mariadb-dump on the source piped into mariadb on the scratch database: both started
    here, so that a stop kills both, and both die with this process even when it is killed."""
    total = sum(t.bytes_estimate for t in found.values())
    args = [*options, *(f"--ignore-table={source.database}.{name}"
                        for name in swap.NOT_COPIED), source.database]
    with tools.progress_bar(total, len(found), f"copy {source.environment}") as progress, \
            tools.running(source, tools.dump_binary(), args,
                          what=f"environment {source.environment!r}",
                          left=f"The scratch database {target.database} holds part of the "
                               "copy.", stdout=subprocess.PIPE, die_with_us=True) \
            as (dumping, _), \
            tools.running(target, tools.client_binary(), ["--binary-mode", target.database],
                          what=f"environment {target.environment!r}: loading into "
                               f"{target.database}",
                          left=f"The scratch database {target.database} holds part of the "
                               "copy.", stdin=subprocess.PIPE, die_with_us=True) \
            as (loading, _):
        assert dumping.stdout is not None and loading.stdin is not None
        dumped = stream.CountingReader(dumping.stdout, progress)
        sink = loading.stdin

        def pump() -> None:
            with contextlib.suppress(BrokenPipeError):  # the client's exit status says why
                tools.pipe_into(sink, dumped)  # type: ignore[arg-type]
                sink.close()

        tools.in_background(pump, children=(dumping.pid,))
