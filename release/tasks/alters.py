"""invoke alters.*: the alters files and the ledger of what each environment has applied."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invoke.collection import Collection
from invoke.exceptions import Exit
from invoke.tasks import task

from release.tasks._common import (
    handled,
    open_database,
    repository_and_config,
    resolve_environment,
)

if TYPE_CHECKING:
    from release.config import Config, EnvironmentConfig
    from release.deploy.alters_source import AltersSource
    from release.git.repo import Repository

ENV = "the environment (a [environments.NAME] section of release.toml)"
DRY_RUN = "read the ledger and print the plan; change nothing"
YES = "do not ask for confirmation (needed when no terminal is attached)"
FROM_WORKTREE = ("read the alters files in the working tree (a hotfix), not those at the "
                 "environment's ref (its branch on the remote, or the newest release tag)")


@task(help={
    "all": "lint every block (default: only blocks changed against HEAD or not yet released)",
    "strict": "warnings fail too",
    "format": "text (path:line:col: CODE message) or json",
    "table_stats": 'JSON {"table": rows} for AL031 (default: .git/stagecraft/table-stats.json)',
    "no_server": "do not ask a server's parser (AL001 from sqlfluff only)",
})
@handled
def lint(c: Any, all: bool = False, strict: bool = False, format: str = "text",
         table_stats: str | None = None, no_server: bool = False) -> None:
    """Check the alters files and the push instructions, as the pre-commit hooks do.

    AL001 is the verdict of [alters] check_with's server, else of a private MariaDB started
    for the run when one is installed."""
    from pathlib import Path

    from release.alters.check import lint_alters_paths, lint_push_instruction_paths
    from release.alters.findings import exit_status, ordered, render
    from release.environment.syntax import syntax_servers
    from release.errors import UsageError

    if format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {format!r}.")
    repo, config = repository_and_config()
    files = [repo.root / name for name in config.alters.files]
    with syntax_servers(use_server=not no_server) as server:
        findings = lint_alters_paths(files, cwd=repo.root, all_blocks=all,
                                     table_stats=Path(table_stats) if table_stats else None,
                                     server=server)
    instructions = repo.root / config.alters.push_instructions
    if instructions.is_file():
        findings += lint_push_instruction_paths([instructions], cwd=repo.root)
    findings = ordered(findings)
    output = render(findings, format)
    if output:
        print(output)
    else:
        checked = [*config.alters.files, *([instructions.name] if instructions.is_file() else [])]
        print(f"{', '.join(checked)}: no findings")
    status = exit_status(findings, strict=strict)
    if status:
        raise Exit(code=status)


@task(help={"env": ENV, "json": "print the status as JSON", "from_worktree": FROM_WORKTREE})
@handled
def status(c: Any, env: str, json: bool = False, from_worktree: bool = False) -> None:
    """Show each block of the alters files on ENV: applied, pending, failed or changed.

    With when and by whom; blocks trimmed out of the files after applying are listed too.
    The files are read at the environment's ref (its branch, or the newest release tag)."""
    from release.console import say
    from release.db.ledger.apply import load_files
    from release.db.ledger.apply import status as show

    repo, config = repository_and_config()
    environment = resolve_environment(config, env)
    source = _source(repo, config, environment.config, from_worktree, stderr=json)
    with open_database(environment) as database:
        show(database, config, as_json=json, say=say, texts=source.texts)
        if config.django is not None and not json:
            from release.django.check import unaccounted_migrations
            from release.django.report import show_unaccounted

            show_unaccounted(env, unaccounted_migrations(
                config, database, load_files(config, source.texts)), say=say)


@task(help={"env": ENV,
            "compare": "an environment whose ledger holds timings (repeatable; default: "
                       "every other configured environment)",
            "from_worktree": FROM_WORKTREE}, iterable=["compare"])
@handled
def explain(c: Any, env: str, compare: list[str] | None = None,
            from_worktree: bool = False) -> None:
    """Show how ENV's server would run each pending DDL statement, changing nothing there.

    Instant, online (writes go on) or blocking writes for about N seconds, from the server's
    own answer on an empty copy of the table, the table's size, and the time the statement
    took in another environment (QA's rehearsal) scaled by the rows."""
    from release.console import say
    from release.db.explain.report import explain as show

    repo, config = repository_and_config()
    environment = resolve_environment(config, env)
    source = _source(repo, config, environment.config, from_worktree)
    with open_database(environment) as database:
        show(database, config, compare=compare or None, texts=source.texts, say=say)


@task(help={"env": ENV, "dry_run": DRY_RUN, "yes": YES, "from_worktree": FROM_WORKTREE,
            "from_primary": "take the backups from the primary even though a replica is "
                            "configured"})
@handled
def apply(c: Any, env: str, dry_run: bool = False, yes: bool = False,
          from_worktree: bool = False, from_primary: bool = False) -> None:
    """Apply the pending alters statements, with encrypted backups before and after.

    The files are read at the environment's ref (its branch on the remote, or the newest
    release tag); each statement is recorded in the ledger and named BLOCK#N (N counts the
    block's statements from 1)."""
    from release.console import say
    from release.db.ledger import apply as db_apply
    repo, config = repository_and_config()
    environment = resolve_environment(config, env)
    source = _source(repo, config, environment.config, from_worktree)
    rev = source.sha or "HEAD"
    with open_database(environment, from_primary=from_primary) as database:
        db_apply.apply(database, config, db_apply.Options(
            dry_run=dry_run, assume_yes=yes, release_tag=_release_tag(repo, config, rev),
            release_label=_release_label(repo, config, rev), texts=source.texts), say=say)


@task(help={"env": ENV, "through": "the last block to record (default: every block)",
            "dry_run": DRY_RUN, "yes": YES})
@handled
def baseline(c: Any, env: str, through: str | None = None, dry_run: bool = False,
             yes: bool = False) -> None:
    """Record blocks as applied without running them (adopting a database that has them)."""
    from release.console import say
    from release.db.ledger import apply as db_apply
    repo, config = repository_and_config()
    with open_database(resolve_environment(config, env)) as database:
        db_apply.baseline(database, config, through,
                          db_apply.Options(dry_run=dry_run, assume_yes=yes,
                                           release_tag=_release_tag(repo, config)), say=say)


@task(help={"env": ENV, "statement": "the statement, as BLOCK#N (alters.apply names it)",
            "applied": "it took effect: record it as done",
            "not_applied": "it did not: the next alters.apply runs it"})
@handled
def resolve(c: Any, env: str, statement: str, applied: bool = False,
            not_applied: bool = False) -> None:
    """Settle a statement a crash left uncertain, after checking the database by hand."""
    from release.console import say
    from release.db.ledger import apply as db_apply
    from release.errors import UsageError

    if applied == not_applied:
        raise UsageError("say what happened: pass exactly one of --applied or --not-applied.")
    _, config = repository_and_config()
    with open_database(resolve_environment(config, env)) as database:
        db_apply.resolve(database, config, statement, applied=applied, say=say)


@task(help={"env": ENV, "ref": "the commit whose models to compare with (default: the one "
                                  "ENV's first host runs now)",
            "json": "print the differences as JSON"})
@handled
def drift(c: Any, env: str, ref: str | None = None, json: bool = False) -> None:
    """List how ENV's schema differs from what the Django models at REF expect.

    Each difference is classified: breaks the code, or harmless. Exit 1 when anything
    breaks the code. Needs [django] in release.toml; changes nothing."""
    from release.console import say
    from release.django.ask import django_config
    from release.django.check import drift as compare
    from release.django.report import running_commit, show_drift

    repo, config = repository_and_config()
    environment = resolve_environment(config, env)
    django_config(config)  # no [django]: say so before reaching anything
    wanted = ref or running_commit(environment)
    with open_database(environment) as database:
        found = compare(config, repo, database, wanted)
    show_drift(found, as_json=json, say=say)
    if found.breaks:
        raise Exit(code=1)


def _source(repo: Repository, config: Config, env: EnvironmentConfig, from_worktree: bool, *,
            stderr: bool = False) -> AltersSource:
    """Which alters files to read, said (on stderr when stdout is JSON)."""
    from release.console import complain, say
    from release.deploy.alters_source import alters_source

    found = alters_source(repo, config, env, from_worktree=from_worktree)
    for line in found.lines:
        (complain if stderr else say)(line)
    return found


def _release_label(repo: Repository, config: Config, rev: str = "HEAD") -> str:
    """What the files read come from, as the backups are named: its release tag, else its
    short sha."""
    from release.db.backups.names import release_label
    from release.git.checks import release_globs

    sha = repo.resolve(rev) if repo.head() else None
    tags = repo.tags_at(rev, release_globs(config.git)) if sha else []
    return release_label(tags[-1] if tags else None, sha or "untagged")


def _release_tag(repo: Repository, config: Config, rev: str = "HEAD") -> str:
    """The release the files read belong to (recorded with each statement), or "" before the
    first."""
    from release.git.checks import release_globs

    return repo.last_tag(rev, release_globs(config.git)) or "" if repo.head() else ""


ns = Collection("alters", lint, status, explain, drift, apply, baseline, resolve)
