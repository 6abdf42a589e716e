"""release.tag: the annotated tag on staging's head that production checks out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from release.config import GitConfig
from release.console import Say
from release.errors import Refused
from release.git.checks import fetch_step, release_globs, require_clean, staging_state
from release.git.plan import Plan, run, step
from release.git.repo import Commit, GitStep, Repository
from release.git.tags import next_tag_name, tag_glob

MessageBuilder = Callable[[str, str | None, list[Commit]], str]


def plain_message(name: str, previous: str | None, commits: list[Commit]) -> str:
    since = f"since {previous}" if previous else "(first release)"
    lines = [f"Release {name}", "", f"{len(commits)} commit(s) {since}:"]
    lines += [f"- {c.subject} ({c.sha[:10]}, {c.author})" for c in commits]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class TagFacts:
    head: str          # staging's head, as pushed
    name: str          # the new tag's name
    text: str          # its message


def tag(repo: Repository, config: GitConfig, *, version: str | None, sign: bool, push: bool,
        dry_run: bool, today: date, say: Say, message: MessageBuilder = plain_message) -> None:
    require_clean(repo, "tagging")
    fetch = fetch_step(config, tags=True)

    def make(fetched: bool) -> Plan:
        facts = read_facts(repo, config, version=version, today=today, message=message,
                           fetched=fetched)
        return plan_tag(facts, config, fetch=fetch, sign=sign, push=push)

    plan = run(repo, make, dry_run=dry_run, say=say)
    if not dry_run:
        say(f"{plan.title}: done" + (f", pushed to {config.remote}." if push else
                                     " (not pushed)."))


def read_facts(repo: Repository, config: GitConfig, *, version: str | None, today: date,
               message: MessageBuilder, fetched: bool) -> TagFacts:
    state = staging_state(repo, config, fetched=fetched)
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
    glob = tag_glob(config.tag_format)
    # The remote is asked even after the fetch: a fetch brings only tags on fetched history.
    on_remote = repo.remote_refs(config.remote, branches=(), tags=(glob,)).tags
    existing = set(repo.tag_names(glob)) | set(on_remote)
    name = next_tag_name(config.tag_format, today=today, existing=existing, version=version)
    if name in existing or repo.tag_type(name):
        raise Refused(f"tag {name} already exists. Choose another --version. Nothing was changed.")
    previous = repo.last_tag(head, release_globs(config))
    commits = repo.log(f"{previous}..{head}" if previous else head)
    return TagFacts(head=head, name=name, text=message(name, previous, commits))


def plan_tag(facts: TagFacts, config: GitConfig, *, fetch: GitStep, sign: bool,
             push: bool) -> Plan:
    # --cleanup=whitespace: the default "strip" would drop the notes' Markdown headings as
    # comments.
    steps = [step("tag", "--sign" if sign else "--annotate", "--cleanup=whitespace",
                  "--message", facts.text, facts.name, facts.head)]
    if push:
        steps.append(step("push", config.remote, f"refs/tags/{facts.name}"))
    return Plan(f"tag {config.staging} ({facts.head[:10]}) as {facts.name}", fetch=fetch,
                steps=tuple(steps))
