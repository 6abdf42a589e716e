"""invoke release.*: tags, release notes and checklists."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from release.tasks._common import handled, repository_and_config


@task(help={
    "version": "tag name to use instead of the next one from [git] tag_format",
    "sign": "make a GPG-signed tag (git tag --sign)",
    "no_push": "do not push the tag",
    "dry_run": "run read-only git commands, print the writing ones, change nothing",
})
@handled
def tag(c: Any, version: str | None = None, sign: bool = False, no_push: bool = False,
        dry_run: bool = False) -> None:
    """Tag staging's head (annotated, message = release notes) and push the tag."""
    from datetime import date

    from release.console import say
    from release.docs.documents import TagMessage
    from release.git.tagging import tag as make_tag

    repo, config = repository_and_config()
    today = date.today()
    make_tag(repo, config.git, version=version, sign=sign, push=not no_push, dry_run=dry_run,
             today=today, say=say, message=TagMessage(repo, config, today))


@task(help={
    "since": "the release tag (or any ref) to start from; default: the previous release tag",
    "format": "md (default) or html; default from --output's suffix",
    "output": "write to this file instead of printing",
})
@handled
def notes(c: Any, since: str | None = None, format: str | None = None,
          output: str | None = None) -> None:
    """Release notes: commits since the last release by kind, pending alters, push steps."""
    from datetime import date

    from release.console import say
    from release.docs.documents import choose_format, write_or_print
    from release.docs.documents import notes as make_notes

    fmt = choose_format(format, output)
    repo, config = repository_and_config()
    path = write_or_print(make_notes(repo, config, fmt=fmt, today=date.today(), since=since),
                          output, say=say)
    if path is not None:
        say(f"release notes written to {path}")


@task(help={
    "env": "the environment to deploy to (an [environments.ENV] section of release.toml)",
    "format": "md (default) or html; default from --output's suffix",
    "output": "write to this file instead of printing",
})
@handled
def checklist(c: Any, env: str | None = None, format: str | None = None,
              output: str | None = None) -> None:
    """The runbook for this release and environment, every step with its values."""
    from datetime import date

    from release.console import say
    from release.docs.documents import choose_format, write_or_print
    from release.docs.render import render
    from release.errors import UsageError
    from release.runbook.walk import checklist_with_run

    fmt = choose_format(format, output)
    repo, config = repository_and_config()
    if not env:
        known = ", ".join(sorted(config.environments)) or "none"
        raise UsageError(f"--env is required (configured in {config.source}: {known}).")
    context = checklist_with_run(repo, config, config.environment(env), date.today())
    path = write_or_print(render(f"checklist.{fmt}.j2", context, app_root=config.root), output,
                          say=say)
    if path is not None:
        say(f"checklist for {env} written to {path}")


@task(name="run", help={
    "env": "the environment (an [environments.ENV] section of release.toml)",
    "yes": "confirm every manual step by automation (recorded as confirmed by --yes)",
    "clone": "first clone production into this test environment (scrubbed, verified)",
    "dry_run": "print the steps and what an earlier run already did; change nothing",
    "from_primary": "take the backups (and the clone) from primaries even where a replica "
                    "is configured",
})
@handled
def run_(c: Any, env: str, yes: bool = False, clone: bool = False,
         dry_run: bool = False, from_primary: bool = False) -> None:
    """Walk the release's checklist: run the automated steps, ask for the manual ones, record
    each answer, resume where an interrupted run stopped, write the completed checklist."""
    import sys

    from release.config import PRODUCTION
    from release.console import say
    from release.environment.resolved import resolve_environment
    from release.runbook.walk import Options, release_run

    repo, config = repository_and_config()
    environment = resolve_environment(config, env)
    production = resolve_environment(config, PRODUCTION) if clone else None
    ask = input if sys.stdin.isatty() else None
    release_run(repo, config, environment,
                Options(yes=yes, clone_from=production, dry_run=dry_run,
                        from_primary=from_primary), say=say, ask=ask)


ns = Collection("release", tag, notes, checklist, run_)
