"""staging.merge: bring a commit (default: the remote base) into staging, as one plan.

Facts first (read-only, also in a dry run), then a pure plan from them: switch to staging,
catch up with its remote, merge, push, switch back. A merge that conflicts is aborted and
everything it switched or created undone, so the tree and HEAD are as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.config import GitConfig
from release.console import Say
from release.errors import Refused
from release.git.checks import (
    Options,
    fetch_step,
    known_ancestor,
    require_branch,
    require_clean,
    resolve_target,
    staging_state,
)
from release.git.plan import MergeConflict, Plan, run, step
from release.git.repo import GitStep, Repository


@dataclass(frozen=True)
class MergeFacts:
    original: str            # the branch checked out now: where the run ends
    local: str | None        # local staging
    remote: str | None       # staging on the remote
    target: str              # the commit to merge
    source: str              # how the person named it, for the merge message
    behind: bool | None      # local staging must fast-forward to the remote's (None: not
                             #   fetched yet, so not known)
    contains: bool | None    # staging, caught up, already holds target (None: not known)


def merge(repo: Repository, config: GitConfig, commit: str | None, options: Options, *,
          say: Say) -> None:
    require_clean(repo, "merging into staging")
    original = require_branch(repo, "staging.merge")
    # A named commit may be a tag only the remote has so far.
    fetch = fetch_step(config, tags=commit is not None)

    def make(fetched: bool) -> Plan:
        facts = read_facts(repo, config, commit, original=original, fetched=fetched)
        return plan_merge(facts, config, fetch=fetch, push=options.push)

    try:
        plan = run(repo, make, dry_run=options.dry_run, say=say)
    except MergeConflict as conflict:
        raise Refused(_conflict_advice(conflict, config, original, commit)) from None
    if not options.dry_run and plan.steps:
        say(f"{config.staging} is now at {(repo.local_branch(config.staging) or '')[:10]}.")


def read_facts(repo: Repository, config: GitConfig, commit: str | None, *, original: str,
               fetched: bool) -> MergeFacts:
    state = staging_state(repo, config, fetched=fetched)
    local, remote = state.local, state.remote
    if not local and not remote:
        raise Refused(
            f"{config.staging} does not exist locally or on {config.remote}; create it "
            "first: invoke staging.create. Nothing was changed."
        )
    target, source = resolve_target(repo, config, state, commit, fetched=fetched)
    behind: bool | None = False
    if local and remote and local != remote:
        behind = known_ancestor(repo, local, remote)
        if behind is False and not repo.is_ancestor(remote, local):
            _refuse_diverged(repo, config, local, remote)
    # Staging once caught up with its remote: the remote's head unless local is ahead of it.
    tip = remote if remote and (not local or behind is not False) else local
    assert tip is not None  # one of them exists (checked above)
    return MergeFacts(original=original, local=local, remote=remote, target=target,
                      source=source, behind=behind, contains=known_ancestor(repo, target, tip))


def plan_merge(facts: MergeFacts, config: GitConfig, *, fetch: GitStep, push: bool) -> Plan:
    """The steps of a merge into staging, from facts alone."""
    staging, remote = config.staging, config.remote
    if facts.contains:
        return Plan(f"{staging} already contains {facts.source} ({facts.target[:10]}): "
                    "nothing to merge")
    switched = facts.original != staging
    steps: list[GitStep] = []
    if switched:
        steps.append(step("switch", staging) if facts.local else
                     step("switch", "--track", "-c", staging, f"{remote}/{staging}"))
    if facts.behind is not False:
        assert facts.remote is not None  # behind it, so it exists
        steps.append(step("merge", "--ff-only", facts.remote))
    steps.append(step("merge", "--no-edit", "-m", f"Merge {facts.source} into {staging}",
                      facts.target, on_conflict=_undo(facts, staging)))
    if push:
        steps.append(step("push", remote, f"{staging}:{staging}"))
    if switched:
        steps.append(step("switch", facts.original))
    return Plan(f"merge {facts.source} ({facts.target[:10]}) into {staging}", fetch=fetch,
                steps=tuple(steps), notes=_assumptions(facts, config))


def _undo(facts: MergeFacts, staging: str) -> tuple[GitStep, ...]:
    """What puts the repository back as it was when the merge conflicts."""
    undo = [step("merge", "--abort")]
    if facts.original != staging:
        undo.append(step("switch", facts.original))
    if not facts.local:  # made for this merge: leave no trace
        undo.append(step("branch", "-D", staging))
    return tuple(undo)


def _assumptions(facts: MergeFacts, config: GitConfig) -> tuple[str, ...]:
    notes = []
    if facts.behind is None:
        assert facts.remote is not None
        notes.append(f"{config.remote}/{config.staging} ({facts.remote[:10]}) is not fetched "
                     f"yet: planned as only adding to local {config.staging} (a fast-forward); "
                     "the real run checks that after the fetch and stops if not.")
    if facts.contains is None:
        notes.append(f"whether {config.staging} already holds {facts.source} is known only "
                     "after the fetch; the real run checks it and stops if it does.")
    return tuple(notes)


def _refuse_diverged(repo: Repository, config: GitConfig, local: str, remote: str) -> None:
    ahead, behind = repo.ahead_behind(local, remote)
    raise Refused(
        f"local {config.staging} ({local[:10]}) and {config.remote}/{config.staging} "
        f"({remote[:10]}) have diverged: {ahead} local commit(s) not on the remote, "
        f"{behind} remote commit(s) not local. Decide which to keep: merge them by hand "
        f"(git switch {config.staging} && git pull), or delete the local branch "
        f"(git branch -D {config.staging}) to take the remote one. Nothing was changed."
    )


def _conflict_advice(conflict: MergeConflict, config: GitConfig, original: str,
                     commit: str | None) -> str:
    source = commit or f"{config.remote}/{config.base}"
    listing = "\n".join(f"  {path}" for path in conflict.paths)
    return (
        f"merging {source} into {config.staging} conflicts in:\n{listing}\n"
        f"The merge was aborted: the work tree and HEAD are as before ({original}). "
        f"Resolve it by hand (git switch {config.staging} && git merge {source}), "
        "commit, then push."
    )
