"""alters.status / apply / baseline / resolve: read the files and the ledger, plan, carry out.

The plan is a value: `--dry-run` prints it and stops; apply has the server parse every pending
statement (preparse.py), confirms, takes the database's lock, plans again under it (someone may
have applied meanwhile), backs up, runs, backs up again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from release.alters import ledger_plan as lp
from release.alters.explain_sql import target
from release.alters.gate import refusal, unsilenced_errors
from release.alters.parse import AltersFile, Statement, parse_alters
from release.config import Config
from release.console import Say, confirm, show_plan, who
from release.db.backups.names import alters_backup_path
from release.db.backups.pair import backup, require_encryption
from release.db.clones.state import require_verified
from release.db.connection import server_version
from release.db.ledger.executor import run_units
from release.db.ledger.lock import alters_lock, holder, require_free
from release.db.ledger.migrations import keep_true
from release.db.ledger.online import (
    OnlineRunner,
    remove_leftovers,
    require_no_lost_inserts,
    require_tools,
)
from release.db.ledger.plan_lines import backup_line, describe, note_wrappers, online_dry_runs
from release.db.ledger.preparse import require_parsed
from release.db.ledger.remembered import remember_baseline, remember_sizes
from release.db.ledger.status_view import status_json, status_lines
from release.db.ledger.table import Ledger, open_ledger
from release.db.stats import table_rows
from release.db.target import Database
from release.errors import ConfigError, Refused, ReleaseError, Uncertain


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    assume_yes: bool = False
    release_tag: str = ""
    release_label: str = "untagged"  # names the backups (release.db.backups.names)
    # the alters files as the environment's ref has them (path -> text); None: the work tree's
    texts: Mapping[str, str] | None = None
    # release.run's own pair (before, taken; after, to be taken by its next step): the one
    # pair of backups this release has in this environment, so apply takes none of its own
    shared_backups: tuple[str, str] | None = None


@dataclass(frozen=True)
class Applied:
    """What one alters.apply did: the statements it ran, in order, and its backups."""
    statements: tuple[str, ...] = ()  # BLOCK#N
    backups: tuple[str, ...] = ()     # before, after


def load_files(config: Config, texts: Mapping[str, str] | None = None) -> list[AltersFile]:
    """Every configured alters file, parsed; refuses files the parser could not make sense of."""
    return [parsed for parsed, _ in read_files(config, texts)]


def read_files(config: Config, texts: Mapping[str, str] | None = None
               ) -> list[tuple[AltersFile, str]]:
    """Every configured alters file, parsed, with its text (where its `-- noqa` marks are):
    `texts` as a ref has them (a file the ref lacks is left out), else the work tree's."""
    files: list[tuple[AltersFile, str]] = []
    problems: list[str] = []
    for name in config.alters.files:
        if texts is not None:
            if name not in texts:
                continue
            text = texts[name]
        else:
            text = _work_tree_text(config, name)
        parsed = parse_alters(text, name)
        problems += [f"  {name}:{p.line}:{p.col}: {p.code} {p.message}" for p in parsed.problems]
        files.append((parsed, text))
    if problems:
        raise Refused("the alters files cannot be split into blocks and statements reliably:\n"
                      + "\n".join(problems) + "\nFix them (invoke alters.lint) and retry; "
                      "nothing was changed.")
    return files


def _work_tree_text(config: Config, name: str) -> str:
    try:
        return (config.root / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{config.source}: alters.files names {name!r}, which cannot be "
                          f"read ({error.__class__.__name__}). Fix the list or the file."
                          ) from None


def status(db: Database, config: Config, *, as_json: bool, say: Say,
           texts: Mapping[str, str] | None = None) -> None:
    env_name, creds = db.environment, db.credentials
    files = load_files(config, texts)
    with open_ledger(creds, config.alters.ledger_table, applied_by=who()) as ledger:
        plan = lp.plan(files, ledger.rows())
        running = holder(ledger.conn, creds)
        sizes = table_rows(ledger.conn)
        server = server_version(ledger.conn)
    stats_file = remember_sizes(config, env_name, sizes, server)
    if as_json:
        say(json.dumps(status_json(creds, plan), indent=2))
        return
    say(f"environment {env_name!r}: database {creds.database} at {creds.where}, ledger "
        f"`{config.alters.ledger_table}`")
    for line in status_lines(plan):
        say(line)
    if running:
        say(f"An alters run is in progress on {running}: a `started` statement is running, "
            "not lost.")
    if stats_file:
        say(f"table sizes for the AL031 lint rule saved in {stats_file}")


def apply(db: Database, config: Config, options: Options, *, say: Say) -> Applied:
    env_name, creds = db.environment, db.credentials
    texts = read_files(config, options.texts)
    files = [parsed for parsed, _ in texts]
    table = config.alters.ledger_table
    with open_ledger(creds, table, applied_by=who(),
                     release_tag=options.release_tag) as ledger:
        require_free(ledger.conn, creds)
        # A QA clone not yet verified as scrubbed may still reach real people: deploying
        # onto it (and applying alters is part of the deploy) waits for verify-scrub.
        require_verified(ledger.conn, env_name)
        plan = _checked_plan(env_name, files, ledger)
        if not plan.units:
            say(f"Nothing to apply on {env_name!r}: every block in the alters files is "
                "already applied.")
            return Applied()
        _refuse_lint_errors(env_name, config, texts, plan, table_rows(ledger.conn))
        require_parsed(db, plan.pending, say=say)
        require_tools(env_name, [p.block for p in plan.pending])
        require_no_lost_inserts(env_name, ledger.conn,
                                [(p.block, p.statement) for p in plan.pending])
        note_wrappers(files, say)

        shared = options.shared_backups is not None
        names = options.shared_backups or tuple(
            alters_backup_path(config.backups.dir, env_name, creds.database,
                               options.release_label, moment, free_in=db.backups_dir)
            for moment in ("before", "after"))
        show_plan(f"Apply {len(plan.pending)} statement(s) to environment {env_name!r} "
                  f"(database {creds.database} at {creds.where}):",
                  [backup_line(creds.database, names[0], "before", shared=shared),
                   *(describe(item) for item in plan.pending),
                   backup_line(creds.database, names[1], "after", shared=shared)],
                  dry_run=options.dry_run, say=say)
        online = OnlineRunner(db, ledger.conn, config.alters.online, say)
        if options.dry_run:
            online_dry_runs(plan, online, say)
            return Applied()
        require_encryption(db, config.source)
        confirm(f"Apply {len(plan.pending)} statement(s) to {env_name!r}?",
                assume_yes=options.assume_yes)
        with alters_lock(ledger.conn, creds):
            fresh = _checked_plan(env_name, files, ledger)
            if fresh.pending != plan.pending:
                raise Refused(f"environment {env_name!r}: the ledger changed while waiting for "
                              "confirmation (another run applied statements). Nothing was "
                              "changed; run alters.apply again to see the new plan.")
            return _run(db, ledger, plan, (names[0], names[1]), online, files, say,
                        shared=shared)


def _run(db: Database, ledger: Ledger, plan: lp.LedgerPlan, names: tuple[str, str],
         online: OnlineRunner, files: Sequence[AltersFile], say: Say, *,
         shared: bool) -> Applied:
    env_name = db.environment
    ledger.ensure()
    before = names[0] if shared else \
        backup(db, moment="before", release="", say=say, planned=names[0])
    say(f"backup before: {before}" + (" (release.run's)" if shared else ""))
    run_id = ledger.start_run(str(before))
    say(f"applying {len(plan.pending)} statement(s)")

    def progress(item: lp.Pending, elapsed: int) -> None:
        say(f"  applied {item.statement_id} ({item.where}) in {elapsed} ms")

    try:
        ran = run_units(ledger.conn, ledger, plan.units, run_id=run_id,
                        environment=env_name, progress=progress, online=online)
    except ReleaseError as error:
        if ledger.conn.open:
            _say_recorded(keep_true(ledger.conn, files, ledger.rows()), say)
            ledger.finish_run(run_id, result="failed")
        error.message += f"\nThe backup taken before this run: {before}"
        raise
    _say_recorded(keep_true(ledger.conn, files, ledger.rows()), say)
    if shared:  # release.run's next step takes it
        ledger.finish_run(run_id, result="applied", backup_after=names[1])
        say(f"Applied {len(plan.pending)} statement(s) to {env_name!r} ({db.name}).")
        return Applied(statements=tuple(item.statement_id for item in ran))
    after = backup(db, moment="after", release="", say=say, planned=names[1])
    ledger.finish_run(run_id, result="applied", backup_after=str(after))
    say(f"backup after: {after}")
    say(f"Applied {len(plan.pending)} statement(s) to {env_name!r} ({db.name}).")
    return Applied(statements=tuple(item.statement_id for item in ran),
                   backups=(str(before), str(after)))


def baseline(db: Database, config: Config, through: str | None, options: Options, *,
             say: Say) -> None:
    """Record blocks as applied without running them: adopting a database that has them."""
    env_name, creds = db.environment, db.credentials
    files = load_files(config)
    wanted = lp.through(files, through)
    with open_ledger(creds, config.alters.ledger_table, applied_by=who(),
                     release_tag=options.release_tag) as ledger:
        require_free(ledger.conn, creds)
        plan = _checked_plan(env_name, files, ledger)
        items = [p for p in plan.pending if p.block.id in wanted]
        if items:
            show_plan(f"Record {len(items)} statement(s) on {env_name!r} as applied, without "
                      "running them:", [describe(p) for p in items], dry_run=options.dry_run,
                      say=say)
            if options.dry_run:
                return
            confirm(f"Record {len(items)} statement(s) as already applied on {env_name!r}? "
                    "They will never run there.", assume_yes=options.assume_yes)
            with alters_lock(ledger.conn, creds):
                ledger.ensure()
                for item in items:
                    ledger.record(item, "baseline")
                _say_recorded(keep_true(ledger.conn, files, ledger.rows()), say)
            say(f"Recorded {len(items)} statement(s) as baseline on {env_name!r}.")
        else:
            say(f"Nothing to baseline on {env_name!r}: those blocks are already recorded.")
    if not options.dry_run:
        remember_baseline(config, env_name, files, wanted)


def _say_recorded(migrations: Sequence[object], say: Say) -> None:
    if migrations:
        say(f"recorded in django_migrations: {', '.join(map(str, migrations))}")


def resolve(db: Database, config: Config, ident: str, *, applied: bool, say: Say) -> None:
    env_name, creds = db.environment, db.credentials
    with open_ledger(creds, config.alters.ledger_table, applied_by=who()) as ledger, \
            alters_lock(ledger.conn, creds):
        for removed in _online_leftovers(ledger, ident):
            say(f"removed {removed}, left behind by a killed pt-online-schema-change run")
        row = ledger.resolve(ident, applied=applied)
    if applied:
        say(f"{ident} ({row.file}:{row.line}) recorded as applied (resolved) on {env_name!r}.")
    else:
        say(f"{ident} ({row.file}:{row.line}) recorded as not applied on {env_name!r}: the "
            "next alters.apply runs it.")


def _online_leftovers(ledger: Ledger, ident: str) -> list[str]:
    """A statement that never finished may have been pt-osc's: its triggers and copy go first
    (the choice recorded afterwards is about the table itself)."""
    row = next((r for r in ledger.rows() if r.statement_id == ident), None)
    aim = target(Statement(0, row.statement, 1, 1, "ddl")) if row and \
        row.status == "started" else None
    return remove_leftovers(ledger.conn, aim.table) if aim and aim.kind == "alter" else []


def _checked_plan(env_name: str, files: Sequence[AltersFile], ledger: Ledger) -> lp.LedgerPlan:
    plan = lp.plan(files, ledger.rows())
    if plan.uncertain:
        raise Uncertain(lp.uncertain_message(env_name, plan.uncertain))
    if plan.changed:
        listing = "\n".join(f"  {s.block_id} ({s.file}:{s.line}): {s.detail}"
                            for s in plan.changed)
        raise Refused(
            f"environment {env_name!r}: block(s) edited after they were applied there:\n"
            f"{listing}\nApplied SQL is never re-run. Restore the block's applied text and put "
            "the change in a new block. Nothing was changed."
        )
    return plan


def _refuse_lint_errors(env_name: str, config: Config, texts: Sequence[tuple[AltersFile, str]],
                        plan: lp.LedgerPlan, sizes: dict[str, int]) -> None:
    """The hook can be skipped: look again at the blocks about to run, with live sizes."""
    findings = unsilenced_errors(texts, {p.block.id for p in plan.pending},
                                 large_table_rows=config.alters.large_table_rows,
                                 table_rows=sizes)
    if findings:
        raise Refused(refusal(env_name, findings))
