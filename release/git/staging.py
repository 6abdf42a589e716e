"""staging.status, staging.create, staging.delete, staging.merge: the runbook's
"Generate/Update the staging branch", made safe to repeat."""

from __future__ import annotations

from dataclasses import dataclass

from release.config import GitConfig
from release.console import confirm, say
from release.errors import Refused
from release.git.checks import (
    Plan,
    StagingState,
    carry_out,
    describe_commits,
    fetch,
    refuse_diverged,
    release_globs,
    require_branch,
    require_clean,
    resolve_ref,
    staging_state,
    unreleased_commits,
)
from release.git.repo import Repository


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    push: bool = True
    assume_yes: bool = False


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


def create(repo: Repository, config: GitConfig, commit: str | None, force: bool,
           options: Options) -> None:
    require_clean(repo, "creating staging")
    state = staging_state(repo, config)
    existing = []
    if state.local:
        existing.append(f"locally at {state.local[:10]}")
    if state.remote:
        existing.append(f"on {config.remote} at {state.remote[:10]}")
    if existing and not force:
        raise Refused(
            f"{config.staging} already exists {' and '.join(existing)}. To bring it up to "
            f"date, merge into it: invoke staging.merge [--commit REF]. To throw it away and "
            f"start again, use --force (it shows what would be lost and asks first). "
            "Nothing was changed."
        )
    if state.local and repo.current_branch() == config.staging:
        raise Refused(
            f"you are on {config.staging}; switch to another branch "
            f"(git switch {config.base}) before recreating it. Nothing was changed."
        )
    base = _remote_base(state, config) if commit is None else ""
    # --commit may name a tag that exists only on the remote so far.
    fetch(repo, config, dry_run=options.dry_run, tags=commit is not None)

    plan = Plan(f"create {config.staging}")
    if existing:
        _confirm_loss(repo, config, [s for s in (state.local, state.tracking) if s],
                      f"--force deletes {config.staging} ({', '.join(existing)})", options)
        if state.remote:
            plan.add("push", config.remote, "--delete", config.staging)
        if state.local:
            plan.add("branch", "-D", config.staging)
    if commit is None:
        target, described = base, f"{config.remote}/{config.base}"
    else:
        target, described = resolve_ref(repo, commit, fetched=not options.dry_run), commit
    plan.title = f"create {config.staging} at {target[:10]} ({described})"
    plan.add("branch", "--no-track", config.staging, target)
    if options.push:
        plan.add("push", "--set-upstream", config.remote, f"{config.staging}:{config.staging}")
    carry_out(repo, plan, dry_run=options.dry_run)
    if not options.dry_run:
        pushed = f" and pushed to {config.remote}" if options.push else " (not pushed)"
        say(f"{config.staging} created at {target[:10]}{pushed}.")


def delete(repo: Repository, config: GitConfig, force: bool, options: Options) -> None:
    require_clean(repo, "deleting staging")
    state = staging_state(repo, config)
    fetch(repo, config, dry_run=options.dry_run, tags=True)
    if not state.local and not state.remote:
        say(f"{config.staging} exists neither locally nor on {config.remote}: nothing to delete.")
        return
    if state.local and repo.current_branch() == config.staging:
        raise Refused(
            f"you are on {config.staging}; switch to another branch "
            f"(git switch {config.base}) first. Nothing was changed."
        )
    tips = [s for s in (state.local, state.remote) if s and repo.resolve(s)]
    lost = unreleased_commits(repo, config, tips)
    if lost and not force:
        raise Refused(
            f"{config.staging} holds {len(lost)} commit(s) that are neither in "
            f"{config.remote}/{config.base} nor in a release tag:\n{describe_commits(lost)}\n"
            f"Merge them into {config.base} or tag the release first, or use --force to "
            "delete them anyway. Nothing was changed."
        )
    if lost:
        _confirm_loss(repo, config, tips, f"delete {config.staging}", options)
    plan = Plan(f"delete {config.staging}")
    if state.remote:
        plan.add("push", config.remote, "--delete", config.staging)
    if state.local:
        plan.add("branch", "-D", config.staging)
    carry_out(repo, plan, dry_run=options.dry_run)
    if not options.dry_run:
        say(f"{config.staging} deleted.")


def merge(repo: Repository, config: GitConfig, commit: str | None, options: Options) -> None:
    require_clean(repo, "merging into staging")
    original = require_branch(repo, "staging.merge")
    state = staging_state(repo, config)
    if not state.local and not state.remote:
        raise Refused(
            f"{config.staging} does not exist locally or on {config.remote}; create it "
            "first: invoke staging.create. Nothing was changed."
        )
    refuse_diverged(repo, config, state)
    fetch(repo, config, dry_run=options.dry_run, tags=False)
    if not options.dry_run:
        state = staging_state(repo, config)
        refuse_diverged(repo, config, state)

    source = commit or f"{config.remote}/{config.base}"
    if commit is None:
        target = _remote_base(state, config)
        if repo.resolve(target) is None:
            say(f"{source} is at {target[:10]} on the remote, not fetched yet (dry run):")
            say(f"  would run: git merge --no-edit {target}")
            return
    else:
        target = resolve_ref(repo, source, fetched=not options.dry_run)
    prepare = Plan(f"switch to {config.staging}")
    if original != config.staging:
        if state.local:
            prepare.add("switch", config.staging)
        else:
            prepare.add("switch", "--track", "-c", config.staging,
                        f"{config.remote}/{config.staging}")
    if state.local and state.remote and state.local != state.remote and repo.resolve(
            state.remote) and repo.is_ancestor(state.local, state.remote):
        prepare.add("merge", "--ff-only", f"{config.remote}/{config.staging}")
    staging_tip = state.remote if not state.local else state.local
    if staging_tip and repo.resolve(staging_tip) and repo.is_ancestor(target, staging_tip) \
            and state.local == state.remote:
        say(f"{config.staging} already contains {source} ({target[:10]}): nothing to merge.")
        return
    carry_out(repo, prepare, dry_run=options.dry_run)
    say(f"merge {source} ({target[:10]}) into {config.staging}")
    if options.dry_run:
        say(f"  would run: git merge --no-edit {target}")
        if options.push:
            say(f"  would run: git push {config.remote} {config.staging}:{config.staging}")
        return
    merged, conflicts = repo.merge(target, f"Merge {source} into {config.staging}")
    if not merged:
        if original != config.staging:
            repo.run("switch", original)
        if not state.local:  # the local branch was made for this merge: leave no trace
            repo.run("branch", "-D", config.staging)
        listing = "\n".join(f"  {path}" for path in conflicts)
        raise Refused(
            f"merging {source} into {config.staging} conflicts in:\n{listing}\n"
            f"The merge was aborted: the work tree and HEAD are as before ({original}). "
            f"Resolve it by hand (git switch {config.staging} && git merge {target[:10]}), "
            "commit, then push."
        )
    finish = Plan("publish")
    if options.push:
        finish.add("push", config.remote, f"{config.staging}:{config.staging}")
    if original != config.staging:
        finish.add("switch", original)
    carry_out(repo, finish, dry_run=False)
    say(f"{config.staging} is now at {(repo.local_branch(config.staging) or '')[:10]}.")


def _confirm_loss(repo: Repository, config: GitConfig, tips: list[str], action: str,
                  options: Options) -> None:
    lost = unreleased_commits(repo, config, [t for t in tips if repo.resolve(t)])
    if not lost:
        return
    question = (f"{action} loses {len(lost)} commit(s) that are in neither "
                f"{config.remote}/{config.base} nor a release tag:\n{describe_commits(lost)}\n"
                "Proceed?")
    if options.dry_run:
        say(question.removesuffix("Proceed?") + "(dry run: would ask before deleting)")
        return
    confirm(question, assume_yes=options.assume_yes)


def _remote_base(state: StagingState, config: GitConfig) -> str:
    base = state.remote_refs.branches.get(config.base)
    if base is None:
        raise Refused(
            f"{config.remote} has no branch {config.base!r}. Give --commit REF, or set "
            "[git] base in release.toml. Nothing was changed."
        )
    return base


def _short(sha: str | None) -> str:
    return sha[:10] if sha else "absent"
