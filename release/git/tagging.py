"""release.tag: the annotated tag on staging's head that production checks out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from release.config import GitConfig
from release.console import say
from release.errors import Refused
from release.git.checks import (
    Plan,
    carry_out,
    fetch,
    release_globs,
    require_clean,
    staging_state,
)
from release.git.repo import Commit, Repository
from release.git.tags import next_tag_name, tag_glob

MessageBuilder = Callable[[str, str | None, list[Commit]], str]


def plain_message(name: str, previous: str | None, commits: list[Commit]) -> str:
    since = f"since {previous}" if previous else "(first release)"
    lines = [f"Release {name}", "", f"{len(commits)} commit(s) {since}:"]
    lines += [f"- {c.subject} ({c.sha[:10]}, {c.author})" for c in commits]
    return "\n".join(lines) + "\n"


def tag(repo: Repository, config: GitConfig, *, version: str | None, sign: bool, push: bool,
        dry_run: bool, today: date, message: MessageBuilder = plain_message) -> str:
    require_clean(repo, "tagging")
    state = staging_state(repo, config)
    fetch(repo, config, dry_run=dry_run, tags=True)
    if not dry_run:
        state = staging_state(repo, config)
    head = state.local or (state.tracking if state.remote == state.tracking else None)
    if head is None:
        raise Refused(
            f"there is no {config.staging} branch to tag; create it first "
            "(invoke staging.create). Nothing was changed."
        )
    if state.remote != head:
        where = (f"{config.remote} has no {config.staging}" if state.remote is None
                 else f"{config.remote}/{config.staging} is at {state.remote[:10]}")
        raise Refused(
            f"{config.staging} is not pushed: local {config.staging} is at {head[:10]}, {where}. "
            f"Production checks out the tag from {config.remote}, so push first "
            f"(git push {config.remote} {config.staging}) and retry. Nothing was changed."
        )
    existing = set(repo.tag_names(tag_glob(config.tag_format)))
    name = next_tag_name(config.tag_format, today=today, existing=existing, version=version)
    on_remote = repo.remote_refs(config.remote, branches=(), tags=(name,)).tags
    if name in existing or name in on_remote or repo.tag_type(name):
        raise Refused(f"tag {name} already exists. Choose another --version. Nothing was changed.")
    previous = repo.last_tag(head, release_globs(config))
    commits = repo.log(f"{previous}..{head}" if previous else head)
    text = message(name, previous, commits)
    plan = Plan(f"tag {config.staging} ({head[:10]}) as {name}")
    # --cleanup=whitespace: the default "strip" would drop the notes' Markdown headings as
    # comments.
    plan.add("tag", "--sign" if sign else "--annotate", "--cleanup=whitespace", "--message", text,
             name, head)
    if push:
        plan.add("push", config.remote, f"refs/tags/{name}")
    carry_out(repo, plan, dry_run=dry_run)
    if not dry_run:
        say(f"tagged {name}" + (f" and pushed to {config.remote}." if push else " (not pushed)."))
    return name
