"""staging.status, staging.create, staging.delete: the runbook's "Generate the staging
branch", made safe to repeat (staging.merge is in release.git.merging).

Each writing task reads facts, plans from them (plan_create, plan_delete: pure), and prints
or carries out that one plan."""

from __future__ import annotations

from dataclasses import dataclass

from release.config import GitConfig
from release.console import Say
from release.errors import Refused
from release.git.checks import (
    Options,
    StagingState,
    describe_commits,
    fetch_step,
    release_globs,
    require_clean,
    resolve_target,
    staging_state,
    unreleased_commits,
)
from release.git.plan import Plan, run, step
from release.git.repo import Commit, GitStep, Repository


@dataclass(frozen=True)
class Status:
    """What staging.status prints about git, and the commit whose pending work it describes."""

    lines: list[str]
    tip: str | None        # staging's head, else the remote base's: what would ship next
    last_tag: str | None


def status(repo: Repository, config: GitConfig) -> Status:
    state = staging_state(repo, config)
    base_remote = state.remote_refs.branches.get(config.base)
    base_tracking = repo.remote_tracking(config.remote, config.base)
    lines = [
        f"staging branch {config.staging!r}: "
        f"local {_short(state.local)}, {config.remote} {_short(state.remote)}"
        + (" (in sync)" if state.local and state.local == state.remote else "")
    ]
    if state.remote and state.tracking and state.tracking != state.remote:
        lines.append(f"  {config.remote}/{config.staging} is out of date here: run git fetch")
    tip = state.local or (state.remote if state.remote and repo.resolve(state.remote) else None)
    if base_remote is None:
        lines.append(f"base {config.remote}/{config.base}: does not exist on the remote")
    elif tip and base_tracking:
        ahead, behind = repo.ahead_behind(tip, base_tracking)
        lines.append(
            f"base {config.remote}/{config.base} ({_short(base_tracking)}): staging is "
            f"{ahead} commit(s) ahead, {behind} behind"
        )
        if base_tracking != base_remote:
            lines.append(f"  {config.remote}/{config.base} has moved on the remote: run git fetch")
    ref = tip or base_tracking
    last = repo.last_tag(ref, release_globs(config)) if ref else None
    lines.append(f"last release tag: {last or 'none yet'}")
    return Status(lines=lines, tip=ref, last_tag=last)


@dataclass(frozen=True)
class BranchFacts:
    """Staging here and on the remote, as create and delete need it."""

    local: str | None
    remote: str | None
    on_staging: bool              # it is checked out, so it cannot be deleted
    lost: tuple[Commit, ...]      # commits deleting it would lose (asked only with --force)
    unfetched: bool               # the remote's staging is not fetched, so `lost` may grow


def create(repo: Repository, config: GitConfig, commit: str | None, force: bool,
           options: Options, *, say: Say) -> None:
    require_clean(repo, "creating staging")
    # --commit may name a tag that exists only on the remote so far.
    fetch = fetch_step(config, tags=commit is not None)

    def make(fetched: bool) -> Plan:
        state = staging_state(repo, config, fetched=fetched)
        facts = _branch_facts(repo, config, state, count_lost=force)
        target = resolve_target(repo, config, state, commit, fetched=fetched)
        return plan_create(facts, config, target, fetch=fetch, force=force, push=options.push)

    run(repo, make, dry_run=options.dry_run, say=say, assume_yes=options.assume_yes)
    if not options.dry_run:
        pushed = f" and pushed to {config.remote}" if options.push else " (not pushed)"
        say(f"{config.staging} created at {(repo.local_branch(config.staging) or '')[:10]}"
            f"{pushed}.")


def plan_create(facts: BranchFacts, config: GitConfig, target: tuple[str, str], *,
                fetch: GitStep, force: bool, push: bool) -> Plan:
    """Delete staging if --force says so, make it at the target, push it with upstream."""
    staging = config.staging
    existing = _where(facts, config)
    if existing and not force:
        raise Refused(
            f"{staging} already exists {' and '.join(existing)}. To bring it up to "
            f"date, merge into it: invoke staging.merge [--commit REF]. To throw it away and "
            f"start again, use --force (it shows what would be lost and asks first). "
            "Nothing was changed."
        )
    if facts.on_staging:
        raise Refused(
            f"you are on {staging}; switch to another branch "
            f"(git switch {config.base}) before recreating it. Nothing was changed."
        )
    sha, described = target
    steps = [*_deletion(facts, config), step("branch", "--no-track", staging, sha)]
    if push:
        steps.append(step("push", "--set-upstream", config.remote, f"{staging}:{staging}"))
    return Plan(f"create {staging} at {sha[:10]} ({described})", fetch=fetch, steps=tuple(steps),
                notes=_unfetched_note(facts, config),
                question=_loss_question(f"--force deletes {staging} ({', '.join(existing)})",
                                        facts.lost, config))


def delete(repo: Repository, config: GitConfig, force: bool, options: Options, *,
           say: Say) -> None:
    require_clean(repo, "deleting staging")
    fetch = fetch_step(config, tags=True)

    def make(fetched: bool) -> Plan:
        state = staging_state(repo, config, fetched=fetched)
        facts = _branch_facts(repo, config, state, count_lost=True)
        return plan_delete(facts, config, fetch=fetch, force=force)

    plan = run(repo, make, dry_run=options.dry_run, say=say, assume_yes=options.assume_yes)
    if not options.dry_run and plan.steps:
        say(f"{config.staging} deleted.")


def plan_delete(facts: BranchFacts, config: GitConfig, *, fetch: GitStep, force: bool) -> Plan:
    """Delete staging here and on the remote, unless that loses unreleased commits."""
    staging = config.staging
    if not facts.local and not facts.remote:
        # The fetch still runs: its --prune drops an origin/staging deleted elsewhere.
        return Plan(f"{staging} exists neither locally nor on {config.remote}: "
                    "nothing to delete", fetch=fetch)
    if facts.on_staging:
        raise Refused(
            f"you are on {staging}; switch to another branch "
            f"(git switch {config.base}) first. Nothing was changed."
        )
    if facts.lost and not force:
        raise Refused(
            f"{staging} holds {len(facts.lost)} commit(s) that are neither in "
            f"{config.remote}/{config.base} nor in a release tag:\n"
            f"{describe_commits(facts.lost)}\nMerge them into {config.base} or tag the "
            "release first, or use --force to delete them anyway. Nothing was changed."
        )
    return Plan(f"delete {staging} ({' and '.join(_where(facts, config))})", fetch=fetch,
                steps=_deletion(facts, config), notes=_unfetched_note(facts, config),
                question=_loss_question(f"delete {staging}", facts.lost, config))


def _branch_facts(repo: Repository, config: GitConfig, state: StagingState, *,
                  count_lost: bool) -> BranchFacts:
    tips = [sha for sha in (state.local, state.remote, state.tracking) if sha]
    here = [sha for sha in dict.fromkeys(tips) if repo.resolve(sha)]
    lost = unreleased_commits(repo, config, here) if count_lost and here else []
    return BranchFacts(
        local=state.local, remote=state.remote,
        on_staging=bool(state.local) and repo.current_branch() == config.staging,
        lost=tuple(lost), unfetched=bool(state.remote) and state.remote not in here,
    )


def _where(facts: BranchFacts, config: GitConfig) -> list[str]:
    where = []
    if facts.local:
        where.append(f"locally at {facts.local[:10]}")
    if facts.remote:
        where.append(f"on {config.remote} at {facts.remote[:10]}")
    return where


def _deletion(facts: BranchFacts, config: GitConfig) -> tuple[GitStep, ...]:
    steps = []
    if facts.remote:
        steps.append(step("push", config.remote, "--delete", config.staging))
    if facts.local:
        steps.append(step("branch", "-D", config.staging))
    return tuple(steps)


def _loss_question(action: str, lost: tuple[Commit, ...], config: GitConfig) -> str | None:
    if not lost:
        return None
    return (f"{action} loses {len(lost)} commit(s) that are in neither "
            f"{config.remote}/{config.base} nor a release tag:\n{describe_commits(lost)}\n"
            "Proceed?")


def _unfetched_note(facts: BranchFacts, config: GitConfig) -> tuple[str, ...]:
    if not facts.unfetched:
        return ()
    return (f"{config.remote}/{config.staging} holds commits not fetched yet; the real run "
            "looks at them after the fetch, and stops or asks if deleting it loses any.",)


def _short(sha: str | None) -> str:
    return sha[:10] if sha else "absent"
