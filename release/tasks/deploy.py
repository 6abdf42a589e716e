"""invoke deploy.*: preflight, run, rollback and history of an environment's deploys."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from release.tasks._common import handled, repository_and_config

ENV = "the environment (a [environments.NAME] section of release.toml)"
REF = "what to deploy (default: the environment's ref: a branch, or \"tag\" = the latest release)"
DRY_RUN = "run the checks, print the plan, change nothing"
YES = "confirm the push instructions and the plan without asking (automation)"


@task(help={"env": ENV, "ref": REF})
@handled
def preflight(c: Any, env: str, ref: str | None = None) -> None:
    """Every check a deploy makes, all reported at once; nothing is changed."""
    from contextlib import ExitStack

    from release.console import say
    from release.deploy.session import open_session
    from release.environment.resolved import resolve_environment
    from release.errors import Refused

    repo, config = repository_and_config()
    environment = resolve_environment(config, env)
    with ExitStack() as stack:
        found = open_session(stack, repo, config, environment, ref=ref, lock=False).preflight
    if not found.ok:
        raise Refused(found.refusal())
    say(f"preflight for {env!r}:")
    for line in found.lines():
        say(line)


@task(help={"env": ENV, "ref": REF, "dry_run": DRY_RUN, "yes": YES,
            "from_primary": "take the alters' backups from the primary even though a replica "
                            "is configured"})
@handled
def run(c: Any, env: str, ref: str | None = None, dry_run: bool = False,
        yes: bool = False, from_primary: bool = False) -> None:
    """Preflight, fetch, confirm new push instructions, apply alters (with backups), check out,
    reload and smoke-check each host in turn (a failing host is put back), record the deploy."""
    from release.console import say
    from release.deploy.run import Options, deploy
    from release.environment.resolved import resolve_environment

    repo, config = repository_and_config()
    deploy(repo, config, resolve_environment(config, env),
           Options(ref=ref, dry_run=dry_run, yes=yes, from_primary=from_primary), say=say)


@task(help={"env": ENV, "to": "the commit, tag or branch to go back to (default: what ran "
                               "before the last deploy, from the audit trail)",
            "restore_db": "also restore this dump (.sql.zst.age) into the environment",
            "dry_run": DRY_RUN, "yes": "do not ask before changing the hosts",
            "yes_really": "allow restoring production's database"})
@handled
def rollback(c: Any, env: str, to: str | None = None, restore_db: str | None = None,
             dry_run: bool = False, yes: bool = False, yes_really: bool = False) -> None:
    """Back to the previously deployed commit (from the audit trail); the database is restored
    only when a dump is named, after saying what would be lost."""
    from pathlib import Path

    from release.console import say
    from release.deploy.rollback import Options
    from release.deploy.rollback import rollback as back
    from release.environment.resolved import resolve_environment

    repo, config = repository_and_config()
    back(repo, config, resolve_environment(config, env),
         Options(to=to, restore_db=Path(restore_db) if restore_db else None, dry_run=dry_run,
                 yes=yes, yes_really=yes_really), say=say)


@task(help={"env": ENV, "json": "print the records as JSON"})
@handled
def history(c: Any, env: str, json: bool = False) -> None:
    """The audit trail, newest first: who, when, host, from and to, backups, alters, result."""
    import json as json_module
    import sys
    from contextlib import ExitStack

    from release.console import say
    from release.deploy import audit
    from release.deploy.records import history_lines
    from release.deploy.session import open_checkouts
    from release.environment.resolved import resolve_environment

    _, config = repository_and_config()
    environment = resolve_environment(config, env)
    with ExitStack() as stack:
        checkouts = open_checkouts(stack, environment)
        found = audit.read_history(stack, environment, checkouts)
    if found.note:  # on stderr: --json's output stays JSON
        print(f"warning: {found.note}", file=sys.stderr, flush=True)
    if json:
        say(json_module.dumps([r.to_json() for r in found.records], indent=2))
        return
    for line in history_lines(found.records):
        say(line)


ns = Collection("deploy", preflight, run, rollback, history)
