"""invoke release.*: tags (and, later, notes and checklists)."""

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

    from release.tagging import tag as make_tag

    repo, config = repository_and_config()
    make_tag(repo, config.git, version=version, sign=sign, push=not no_push, dry_run=dry_run,
             today=date.today())


ns = Collection("release", tag)
