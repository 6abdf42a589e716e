"""`db.clone`: copy production into QA without downtime, scrub it set-wise, verify the scrub.

The copy streams `mariadb-dump` straight into the `mariadb` client through a pipe: nothing is
written to disk, so no identity is needed to read it back. Every step is recorded in QA's own
database first, so a clone that stops part-way leaves QA marked unsafe.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from typing import IO

from release.config import ScrubConfig
from release.console import Say, plan_step
from release.db import replica, schema, tools
from release.db.backups import stream
from release.db.backups.dump import dump_options
from release.db.backups.restore import load
from release.db.clones import scrub, scrub_plan, verify
from release.db.clones import state as clone_state
from release.db.connection import ServerError, connect, server_words
from release.db.credentials import Credentials
from release.db.target import Database
from release.errors import Failed, Refused, ReleaseError


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
    with connect(target_creds) as conn:
        present = schema.tables(conn, target_creds.database)
    replaced = sorted(set(found) & set(present))
    say(f"Clone {source}/{source_creds.database} ({len(found)} tables, read from "
        f"{reading.describe()}) into "
        f"{target}/{target_creds.database}: replaces {len(replaced)} of its tables, then "
        f"scrubs {sum(len(s.assignments) for s in plan)} column(s) in {len(plan)} table(s).")
    for what, names in carried.items():
        say(f"  copies {len(names)} {what} along with the tables"
            + (f": {', '.join(names)}" if names else ""))
    if dry_run:
        for step in plan:
            say(plan_step(step.describe(), dry_run=True))
        say("Dry run: nothing was changed.")
        return None
    confirm(f"Replace {len(replaced)} table(s) in {target}/{target_creds.database} with "
            f"{source}'s data?")
    with connect(target_creds) as conn:
        clone_state.record(conn, source=source, state="cloning", detail="copy started")
        try:
            _copy(source_creds, target_creds, options, found)
            clone_state.record(conn, source=source, state="restored", detail="not scrubbed")
            clone_state.forget_set_aside_triggers(conn)  # the copy brought production's own
            key = clone_state.new_key(target_db)
            scrub.record_fingerprints(conn, rules.rules, key,
                                      {name: t.integer_key for name, t in found.items()})
            clone_state.record(conn, source=source, state="scrubbing", detail="")
            scrub.apply(conn, plan, key, report=say)
        except (ReleaseError, ServerError) as error:
            message = error.message if isinstance(error, ReleaseError) else \
                f"the server refused a scrub statement ({server_words(error)})"
            # If even this fails, the last record ("cloning", "restored"...) says unsafe too.
            with contextlib.suppress(ServerError):
                clone_state.record(conn, source=source, state="failed", detail=message)
            raise Failed(f"{message}\nThe clone stopped part-way: {target} is marked "
                         "unsafe and its deploys will refuse until a clone is verified.") \
                from None
        clone_state.record(conn, source=source, state="scrubbed", detail="not verified yet")
    return verify_environment(target_db, rules, skip_tables=skip_tables, say=say)


def verify_environment(db: Database, rules: ScrubConfig, *, skip_tables: tuple[str, ...] = (),
                       say: Say, verbose: bool = False) -> verify.Verification:
    """Run the scrub verification on an environment; record the outcome there if it holds a
    clone (or a restore from elsewhere)."""
    env_name, creds = db.environment, db.credentials
    with connect(creds) as conn:
        columns = schema.columns(conn, creds.database)
        row_keys = {name: t.integer_key for name, t in schema.tables(conn, creds.database).items()}
        result = verify.verify(conn, columns, row_keys, rules, clone_state.read_key(db),
                               skip_tables=skip_tables)
        last = clone_state.latest(conn)
        result.source = last.source if last else None
        if last is None:
            say(f"{env_name}: never cloned into (no {clone_state.STATE_TABLE} record): there "
                "is no scrub to verify, and nothing below promises anything about its data.")
        covered = len(result.covers)
        say(f"{env_name}: {len(result.found)} column(s) hold personal data by name or "
            f"content; {covered} covered ({len(rules.rules)} rule(s), {len(rules.safe)} "
            f"marked safe), {len(result.uncovered)} not covered:")
        for line in result.summary(limit=None if verbose else 10):
            say(line)
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


def _copy(source: Credentials, target: Credentials, options: tuple[str, ...],
          found: dict[str, schema.Table]) -> None:
    total = sum(t.bytes_estimate for t in found.values())
    args = [*options, *(f"--ignore-table={source.database}.{name}"
                        for name in clone_state.OWN_TABLES), source.database]
    with tools.progress_bar(total, len(found), f"copy {source.environment}") as progress, \
            tools.running(source, tools.dump_binary(), args,
                          what=f"environment {source.environment!r}",
                          left=f"{target.environment} holds part of the copy.",
                          stdout=subprocess.PIPE) as (proc, _):
        assert proc.stdout is not None
        dumped = stream.CountingReader(proc.stdout, progress)

        def feed(sink: IO[bytes]) -> None:
            tools.pipe_into(sink, dumped)  # type: ignore[arg-type]

        tools.in_background(lambda: load(target, feed), children=(proc.pid,))
