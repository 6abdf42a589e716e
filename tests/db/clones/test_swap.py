"""db.clone builds the clone beside QA and swaps it in whole: stopped at any moment (Ctrl-C,
SIGTERM, SIGKILL), the live QA database holds its old rows or the verified clone, never production's
contacts, and the next run names and removes what the stopped one left."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from typing import IO

from release.config import Config
from release.db.clones import state as clone_state
from release.db.clones import swap
from release.db.clones.copy import clone, verify_environment
from release.db.connection import connect
from release.db.credentials import credentials
from release.db.target import resolve
from tests.support.mariadb import MariaDB, checksums
from tests.support.production import Setup

CONTACT_KINDS = ("email", "phone", "token")
TRIALS = 5


class Run:
    """`invoke db.clone` as a user runs it, in its own process group (a terminal's Ctrl-C
    reaches the whole group), its output read as it comes."""

    def __init__(self, setup: Setup) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "invoke", "db.clone", "--from", "production", "--to", "qa",
             "--yes"], cwd=setup.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.out: list[str] = []
        self.errors: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(stream, into), daemon=True)
                        for stream, into in ((self.proc.stdout, self.out),
                                             (self.proc.stderr, self.errors))]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream: IO[str], into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def started(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.out and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)

    def finish(self) -> int:
        code = self.proc.wait(timeout=300)
        for reader in self.readers:
            reader.join(timeout=10)
        return code

    @property
    def err(self) -> str:
        return "".join(self.errors)


def _contact_values(mariadb: MariaDB, database: str, config: Config) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES")
        tables = {str(r[0]) for r in cur.fetchall()}
        for rule in config.scrub.rules:
            if rule.kind in CONTACT_KINDS and rule.table in tables:
                cur.execute(f"SELECT DISTINCT `{rule.column}` FROM `{rule.table}` WHERE "
                            f"`{rule.column}` IS NOT NULL AND `{rule.column}` <> ''")
                found |= {(f"{rule.table}.{rule.column}", str(r[0])) for r in cur.fetchall()}
    return found


def _old_qa(mariadb: MariaDB, setup: Setup) -> None:
    """QA as it was before any clone: a few rows of its own in two of production's tables."""
    with mariadb.connect(setup.qa) as conn, conn.cursor() as cur:
        cur.execute("SET foreign_key_checks = 0")
        cur.execute("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")
        for (name, _) in cur.fetchall():
            cur.execute(f"DROP TABLE `{name}`")
        for table in ("auth_user", "accounts_profile"):
            cur.execute(f"CREATE TABLE `{table}` LIKE `{setup.production}`.`{table}`")
        cur.execute(f"INSERT INTO auth_user SELECT * FROM `{setup.production}`.auth_user "
                    "ORDER BY id LIMIT 3")
        for rule in setup.config().scrub.rules:
            if rule.table == "auth_user" and rule.kind in CONTACT_KINDS:
                cur.execute(f"UPDATE auth_user SET `{rule.column}` = CONCAT('qa', id)")


def _leftovers(mariadb: MariaDB, setup: Setup) -> list[str]:
    places = swap.places(setup.qa)
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME "
                    "IN (%s, %s)", (places.scratch, places.old))
        return [str(r[0]) for r in cur.fetchall()]


def _check_qa(mariadb: MariaDB, setup: Setup, before: dict[str, int], leaked: set[str],
              what: str) -> str:
    """QA holds its rows from before the run, or a clone that verifies; never a production
    contact value. Which of the two it is."""
    config = setup.config()
    qa_values = _contact_values(mariadb, setup.qa, config)
    assert not {v for v in qa_values if v[1] in leaked}, f"{what}: production contacts in QA"
    if checksums(mariadb, setup.qa) == before:
        return "old"
    result = verify_environment(resolve(config, "qa"), config.scrub,
                                skip_tables=(config.alters.ledger_table,), say=lambda _: None)
    assert result.passed, f"{what}: QA changed but is not a verified clone: {result.problems()}"
    return "clone"


def test_clone_stopped_at_random_moments_leaves_qa_old_or_verified(
        setup: Setup, mariadb: MariaDB) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    config = setup.config()
    leaked = {v for _, v in _contact_values(mariadb, setup.production, config)}
    assert len(leaked) > 100
    timing = Run(setup)
    timing.started()
    started = time.monotonic()
    assert timing.finish() == 0, timing.err
    whole = time.monotonic() - started
    _old_qa(mariadb, setup)
    seen: dict[str, list[str]] = {"old": [], "clone": []}
    stops = [signal.SIGINT, signal.SIGKILL] * TRIALS + [signal.SIGTERM] * 2
    for number, stop in enumerate(stops):
        what = f"trial {number} ({stop.name}, seed {seed})"
        before = checksums(mariadb, setup.qa)
        run = Run(setup)
        run.started()
        time.sleep(rng.uniform(0, whole * 1.1))
        if stop == signal.SIGINT:
            os.killpg(run.proc.pid, signal.SIGINT)  # Ctrl-C at the terminal
        else:
            run.proc.send_signal(stop)
        code = run.finish()
        assert "Traceback" not in run.err, f"{what}: {run.err}"
        if stop != signal.SIGKILL and code != 0 and "The clone stopped: qa/" in run.err:
            assert _leftovers(mariadb, setup) == [], what
        elif stop != signal.SIGKILL and code != 0:
            # Stopped while it was still planning: nothing was touched, nothing to say.
            assert run.err.strip() in ("interrupted.", ""), f"{what}: {run.err}"
            assert checksums(mariadb, setup.qa) == before, what
        seen[_check_qa(mariadb, setup, before, leaked, what)].append(what)
    left = _leftovers(mariadb, setup)
    final = Run(setup)
    assert final.finish() == 0, final.err
    said = "".join(final.out)
    for name in left:
        assert "An interrupted clone left" in said and name in said, said
    assert _leftovers(mariadb, setup) == []
    assert _check_qa(mariadb, setup, {}, leaked, "the run after the trials") == "clone"
    with connect(credentials(config.environment("qa"))) as conn:
        clone_state.require_verified(conn, "qa")
    assert seen["old"] or seen["clone"]


def test_the_dry_run_prints_the_scratch_and_swap_plan(setup: Setup, mariadb: MariaDB) -> None:
    config = setup.config()
    lines: list[str] = []
    clone(resolve(config, "production"), resolve(config, "qa"), config.scrub,
          say=lines.append, confirm=lambda q: None, dry_run=True)
    text = "\n".join(lines)
    places = swap.places(setup.qa)
    assert f"loads into the scratch database {places.scratch}" in text
    assert f"one RENAME TABLE (the live tables move to {places.old})" in text
    assert _leftovers(mariadb, setup) == []


def test_a_clone_that_does_not_verify_is_never_swapped_in(setup: Setup,
                                                          mariadb: MariaDB) -> None:
    _old_qa(mariadb, setup)
    before = checksums(mariadb, setup.qa)
    config = setup.config()
    rules = tuple(r for r in config.scrub.rules if (r.table, r.column) != ("auth_user", "email"))
    weaker = config.scrub.__class__(**{**config.scrub.__dict__, "rules": rules})
    lines: list[str] = []
    result = clone(resolve(config, "production"), resolve(config, "qa"), weaker,
                   say=lines.append, confirm=lambda q: None)
    assert result is not None and not result.passed
    assert checksums(mariadb, setup.qa) == before
    assert any("it was not swapped in" in line for line in lines)
    assert _leftovers(mariadb, setup) == []


def test_the_swap_is_one_rename_that_moves_the_live_tables_out_first() -> None:
    places = swap.places("qa")
    assert swap.rename_statement(places, ["a"], ["a", "b"]) == (
        "RENAME TABLE `qa`.`a` TO `qa__stagecraft_old`.`a`, "
        "`qa__stagecraft_clone`.`a` TO `qa`.`a`, `qa__stagecraft_clone`.`b` TO `qa`.`b`, "
        "`qa__stagecraft_clone`.`release_clone_swapped` TO "
        "`qa__stagecraft_old`.`release_clone_swapped`")
    long = swap.places("x" * 64)
    assert len(long.scratch) <= 64 and len(long.old) <= 64 and long.scratch != long.old
