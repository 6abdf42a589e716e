"""invoke staging.*: the staging branch."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from release.tasks._common import handled, repository_and_config

DRY_RUN = "run read-only git commands, print the writing ones, change nothing"
NO_PUSH = "do not push to the remote"
YES = "do not ask before deleting commits (needed when no terminal is attached)"


@task
@handled
def status(c: Any) -> None:
    """Show staging here and on the remote, ahead/behind base, last release tag, what is pending."""
    from release.console import say
    from release.docs.shipped import pending_lines
    from release.git import staging

    repo, config = repository_and_config()
    found = staging.status(repo, config.git)
    lines = found.lines
    if found.tip:
        lines += pending_lines(repo, config, found.tip, found.last_tag)
    for line in lines:
        say(line)


@task(help={
    "commit": "sha, tag or branch to create staging at (default: the remote base's head)",
    "force": "delete an existing staging (locally and on the remote) and recreate it",
    "no_push": NO_PUSH, "dry_run": DRY_RUN, "yes": YES,
})
@handled
def create(c: Any, commit: str | None = None, force: bool = False, no_push: bool = False,
           dry_run: bool = False, yes: bool = False) -> None:
    """Fetch, then create staging at a stable commit and push it with upstream."""
    from release.console import say
    from release.git import staging
    from release.git.checks import Options

    repo, config = repository_and_config()
    staging.create(repo, config.git, commit, force,
                   Options(dry_run=dry_run, push=not no_push, assume_yes=yes), say=say)


@task(help={
    "force": "delete even if staging holds commits in neither base nor a release tag",
    "dry_run": DRY_RUN, "yes": YES,
})
@handled
def delete(c: Any, force: bool = False, dry_run: bool = False, yes: bool = False) -> None:
    """Delete staging locally and on the remote (refuses if it holds unreleased commits)."""
    from release.console import say
    from release.git import staging
    from release.git.checks import Options

    repo, config = repository_and_config()
    staging.delete(repo, config.git, force, Options(dry_run=dry_run, assume_yes=yes), say=say)


@task(help={
    "commit": "sha, tag or branch to merge (default: the remote base's head)",
    "no_push": NO_PUSH, "dry_run": DRY_RUN,
})
@handled
def merge(c: Any, commit: str | None = None, no_push: bool = False,
          dry_run: bool = False) -> None:
    """Merge a commit into staging; on conflict abort, list the paths, change nothing."""
    from release.console import say
    from release.git.checks import Options
    from release.git.merging import merge as merge_into_staging

    repo, config = repository_and_config()
    merge_into_staging(repo, config.git, commit, Options(dry_run=dry_run, push=not no_push),
                       say=say)


ns = Collection("staging", status, create, delete, merge)
