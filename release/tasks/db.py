"""invoke db.*: encrypted dumps, restores, scrubbed QA clones and their verification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invoke.collection import Collection
from invoke.tasks import task

from release.tasks._common import config_here, handled, open_database, resolve_environment

if TYPE_CHECKING:
    from release.db.clones.verify import Verification

ENV = "the environment, as in [environments.NAME] of release.toml"
DRY_RUN = "check and say what would change, change nothing"
YES = "do not ask before replacing tables (needed when no terminal is attached)"
FROM_PRIMARY = "read the primary even though a replica is configured (it carries the load)"


def _confirm(yes: bool) -> Any:
    from release.console import confirm

    return lambda question: confirm(question, assume_yes=yes)


@task(help={"env": ENV, "label": "a word added to the file name (e.g. before-alters)",
            "allow_locking": "dump non-InnoDB tables by locking them (blocks writes)",
            "physical": "a hot physical backup (mariadb-backup) instead of an SQL dump",
            "from_primary": FROM_PRIMARY,
            "dry_run": "check the tables and keys, print the pipeline, write nothing"})
@handled
def dump(c: Any, env: str, label: str = "", allow_locking: bool = False,
         physical: bool = False, from_primary: bool = False, dry_run: bool = False) -> None:
    """Write an encrypted (age), compressed (zstd), checksummed dump without blocking writes
    (from the replica when one is configured)."""
    from release.console import say, show_plan
    from release.db.backups import dump as dumping
    from release.db.backups import physical as hot
    from release.db.connection import reported

    environment = resolve_environment(config_here(), env)
    with reported(f"environment {env!r}"), \
            open_database(environment, from_primary=from_primary) as database:
        if physical:
            copy = hot.plan(database, label=label, say=say)
            show_plan(f"physical backup {env}", copy.describe(), dry_run=dry_run, say=say)
            if dry_run:
                return
            path = hot.carry_out(copy, say=say)
        else:
            planned = dumping.plan(database, label=label, allow_locking=allow_locking, say=say)
            show_plan(f"dump {env}", planned.describe(), dry_run=dry_run, say=say)
            if dry_run:
                return
            path = dumping.carry_out(planned)
    say(f"Wrote {path}")


@task(name="verify-backup", help={"dump": "the physical backup (.xb.zst.age) to bring back"})
@handled
def verify_backup(c: Any, dump: str) -> None:
    """The restore drill: bring a physical backup back on this machine (decrypt, prepare,
    start a throwaway server), compare its tables and row counts with the manifest, remove
    it all. Exit 1 when they differ."""
    from pathlib import Path

    from release.console import say
    from release.db.backups.drill import verify_backup as drill
    from release.db.connection import reported
    from release.errors import Refused

    with reported(f"the restore drill of {Path(dump).name}"):
        drilled = drill(config_here().backups, Path(dump), say=say)
    timing = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in drilled.seconds.items())
    if not drilled.passed:
        raise Refused(f"{Path(dump).name} does not match its manifest:\n  "
                      + "\n  ".join(drilled.problems))
    say(f"{Path(dump).name}: restored, tables and row counts match the manifest ({timing}); "
        "the scratch copy is removed.")


@task(help={"env": ENV, "dump": "the .sql.zst.age file to restore", "dry_run": DRY_RUN,
            "yes": YES, "yes_really": "allow restoring into production",
            "physical": "prepare a physical backup (.xb.zst.age) into a new data directory and "
                        "print the steps that swap it in",
            "into": "with --physical: the new folder for the prepared data directory"})
@handled
def restore(c: Any, env: str, dump: str, dry_run: bool = False, yes: bool = False,
            yes_really: bool = False, physical: bool = False, into: str = "") -> None:
    """Restore a dump after checking its checksum (refuses production without --yes-really).
    With --physical: prepare the backup into --into and print the stop/move/start steps."""
    from pathlib import Path

    from release.console import say
    from release.db.backups.restore import restore as run
    from release.db.connection import reported
    from release.errors import UsageError

    environment = resolve_environment(config_here(), env)
    if physical:
        from release.db.backups.drill import restore_physical

        if not into:
            raise UsageError("db.restore --physical needs --into NEW_FOLDER: where the "
                             "prepared data directory goes (it must not exist yet).")
        with reported(f"environment {env!r}"):
            steps = restore_physical(environment.configured_database(), Path(dump),
                                     Path(into), say=say, dry_run=dry_run)
        for line in steps:
            say(line)
        return
    with reported(f"environment {env!r}"), open_database(environment) as database:
        run(database, Path(dump), say=say, confirm=_confirm(yes), yes_really=yes_really,
            dry_run=dry_run)


@task(name="clone", help={"from_": "the environment to copy (e.g. production)",
                          "to": "the environment to overwrite (e.g. qa)",
                          "allow_locking": "copy non-InnoDB tables by locking them",
                          "from_primary": FROM_PRIMARY, "dry_run": DRY_RUN, "yes": YES})
@handled
def clone_(c: Any, from_: str, to: str, allow_locking: bool = False, dry_run: bool = False,
           yes: bool = False, from_primary: bool = False) -> None:
    """Copy an environment into another, scrub every contact column, verify the scrub."""
    from release.console import say
    from release.db.clones.copy import clone
    from release.db.connection import reported
    from release.errors import Refused

    config = config_here()
    with reported(f"clone {from_} -> {to}"), \
            open_database(resolve_environment(config, from_),
                          from_primary=from_primary) as source, \
            open_database(resolve_environment(config, to)) as target:
        result = clone(source, target, config.scrub, say=say, confirm=_confirm(yes),
                       skip_tables=(config.alters.ledger_table,), dry_run=dry_run,
                       allow_locking=allow_locking)
    if result is not None and not result.passed:
        raise Refused(_failure(to, result, []))


@task(name="verify-scrub", help={"env": ENV,
                                 "verbose": "list every column found, not only the first ten"})
@handled
def verify_scrub(c: Any, env: str, verbose: bool = False) -> None:
    """Exit 1 if any column could still reach or identify a real person (uncovered or
    unscrubbed personal data)."""
    from release.console import say
    from release.db.clones import qa_values
    from release.db.clones.copy import verify_environment
    from release.db.connection import reported
    from release.errors import Refused

    config = config_here()
    environment = resolve_environment(config, env)
    with reported(f"environment {env!r}"), open_database(environment) as database:
        result = verify_environment(database, config.scrub,
                                    skip_tables=(config.alters.ledger_table,), say=say,
                                    verbose=verbose)
        # The test numbers QA gets after its scrub must be fictional (or explicitly allowed).
        test_numbers = [] if database.production else qa_values.problems(database,
                                                                         config.qa_values)
    if not result.passed or test_numbers:
        raise Refused(_failure(env, result, test_numbers))


@task(help={"prune": "delete the backups beyond [backups] keep (per environment and kind) and "
                     "leftovers of killed runs", "dry_run": DRY_RUN,
            "yes": "do not ask before deleting"})
@handled
def backups(c: Any, prune: bool = False, dry_run: bool = False, yes: bool = False) -> None:
    """List dumps and physical backups with size, age and checksum; optionally prune beyond
    `keep` of each kind."""
    from release.console import confirm, say
    from release.db.backups import folder as store
    from release.db.target import backups_dir

    config = config_here()
    where = store.folder(backups_dir(config))
    found, stale = store.listed(where), store.leftovers(where)
    for line in store.listing(found, stale) or [f"No dumps in {where}."]:
        say(line)
    if not prune:
        return
    doomed = [path for b in store.to_prune(found, config.backups.keep)
              for path in store.files(b)] + stale
    if not doomed:
        say(f"Nothing to prune (keeping {config.backups.keep} per environment and kind).")
        return
    for path in doomed:
        say(f"{'would delete' if dry_run else 'delete'}: {path.name}")
    if dry_run:
        return
    confirm(f"Delete {len(doomed)} file(s)? They cannot be restored afterwards.", assume_yes=yes)
    for path in doomed:
        store.remove(path)


def _failure(env: str, result: Verification, test_numbers: list[str]) -> str:
    listing = "\n  ".join(result.problems() + test_numbers)
    steps = []
    if test_numbers:
        steps.append("make the [[qa.values]] fictional test numbers (or mark one allow = true)")
    if result.uncovered:
        steps.append("cover the columns not covered with [[scrub.rules]] (or list false "
                     "alarms in [scrub] safe)")
    if result.source is not None:
        steps.append(f"run `invoke db.clone --from {result.source} --to {env}` again")
    what_next = ("; then ".join(steps).capitalize() + ". ") if steps else ""
    # Only a database holding a clone has a record that deploys check (clone_state).
    refusal = (f"Until a clone is verified, deploys to {env} refuse." if result.source
               else f"{env} holds no clone made by db.clone, so nothing here is enforced.")
    return (f"{env} is not verified as safe: it may still reach or identify real people:\n"
            f"  {listing}\n{what_next}{refusal}")


ns = Collection("db", dump, restore, clone_, verify_scrub, backups, verify_backup)
