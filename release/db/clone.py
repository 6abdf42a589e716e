"""`db.clone`: copy production into QA without downtime, scrub it set-wise, verify the scrub.

The copy streams `mariadb-dump` straight into the `mariadb` client through a pipe: nothing is
written to disk, so no identity is needed to read it back. Every step is recorded in QA's own
database first, so a clone that stops part-way leaves QA marked unsafe.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pymysql

from release.config import Config
from release.db import clone_state, schema, scrub, scrub_plan, stream, tools, verify
from release.db.connection import connect
from release.db.credentials import Credentials, client_option_file, credentials
from release.db.dump import dump_options
from release.db.restore import PRODUCTION, load
from release.errors import Failed, Refused, ReleaseError

Say = Callable[[str], None]


def clone(config: Config, source: str, target: str, *, say: Say,
          confirm: Callable[[str], None], dry_run: bool = False,
          allow_locking: bool = False) -> verify.Verification | None:
    if target == PRODUCTION or source == target:
        raise Refused(f"refusing to clone {source!r} into {target!r}: the target must be "
                      "another environment than the source, and never production.")
    source_creds = tools.local_credentials(config, source)
    target_creds = tools.local_credentials(config, target)
    with connect(source_creds) as conn:
        found = schema.tables(conn, source_creds.database)
        options = dump_options(source, found, allow_locking, say)
        plan = scrub_plan.plan(config.scrub.rules, schema.columns(conn, source_creds.database),
                               {name: t.integer_key for name, t in found.items()})
    with connect(target_creds) as conn:
        present = schema.tables(conn, target_creds.database)
    replaced = sorted(set(found) & set(present))
    say(f"Clone {source}/{source_creds.database} ({len(found)} tables) into "
        f"{target}/{target_creds.database}: replaces {len(replaced)} of its tables, then "
        f"scrubs {sum(len(s.assignments) for s in plan)} column(s) in {len(plan)} table(s).")
    if dry_run:
        for step in plan:
            say(f"  would run: {step.describe()}")
        say("Dry run: nothing was changed.")
        return None
    confirm(f"Replace {len(replaced)} table(s) in {target}/{target_creds.database} with "
            f"{source}'s data?")
    with connect(target_creds) as conn:
        clone_state.record(conn, source=source, state="cloning", detail="copy started")
        try:
            _copy(source_creds, target_creds, options, found)
            clone_state.record(conn, source=source, state="restored", detail="not scrubbed")
            key = clone_state.new_key(config, target)
            scrub.record_fingerprints(conn, config.scrub.rules, key,
                                      {name: t.integer_key for name, t in found.items()})
            clone_state.record(conn, source=source, state="scrubbing", detail="")
            scrub.apply(conn, plan, key, report=say)
        except (ReleaseError, pymysql.err.MySQLError) as error:
            message = error.message if isinstance(error, ReleaseError) else \
                f"the server refused a scrub statement: {error.args[-1]}"
            # If even this fails, the last record ("cloning", "restored"...) says unsafe too.
            with contextlib.suppress(pymysql.err.MySQLError):
                clone_state.record(conn, source=source, state="failed", detail=message)
            raise Failed(f"{message}\nThe clone stopped part-way: {target} is marked "
                         "unsafe and its deploys will refuse until a clone is verified.") \
                from None
        clone_state.record(conn, source=source, state="scrubbed", detail="not verified yet")
    return verify_environment(config, target, say=say)


def verify_environment(config: Config, env_name: str, *, say: Say) -> verify.Verification:
    """Run the scrub verification on an environment; record the outcome there if it holds a
    clone (or a restore from elsewhere)."""
    creds = credentials(config.environment(env_name))
    with connect(creds) as conn:
        columns = schema.columns(conn, creds.database)
        row_keys = {name: t.integer_key for name, t in schema.tables(conn, creds.database).items()}
        result = verify.verify(conn, columns, row_keys, config.scrub,
                               clone_state.read_key(config, env_name),
                               skip_tables=(config.alters.ledger_table,))
        last = clone_state.latest(conn)
        say(f"{env_name}: {len(result.suspects)} column(s) look like contact data; "
            f"{len(config.scrub.rules)} rule(s), {len(config.scrub.safe)} marked safe.")
        if result.passed:
            say(f"{env_name}: scrub verified: no value can reach a real person.")
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
    tool = tools.dump_binary()
    total = sum(t.bytes_estimate for t in found.values())
    with client_option_file(source) as option_file, \
            tempfile.NamedTemporaryFile(prefix="stagecraft-clone-err-") as errors, \
            tools.progress_bar(total, len(found), f"copy {source.environment}") as progress:
        command = [tool, f"--defaults-extra-file={option_file}", *options,
                   *(f"--ignore-table={source.database}.{name}"
                     for name in clone_state.OWN_TABLES),
                   source.database]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors) as proc:
            assert proc.stdout is not None
            dumped = stream.CountingReader(proc.stdout, progress)

            def feed(sink: IO[bytes]) -> None:
                block = bytearray(1 << 16)
                while size := dumped.readinto(block):
                    sink.write(block[:size])

            tools.in_background(lambda: load(target, feed), children=(proc.pid,))
            code = proc.wait()
        if code != 0:
            raise Failed(f"environment {source.environment!r}: {Path(tool).name} failed "
                         f"({code}): {tools.stderr_text(Path(errors.name))}")
