"""Checks and plans shared by the git tasks: clean tree, branch, divergence, unreleased work.

Each writing operation reads the repository and the remote (read-only, also in a dry run),
refuses with a clear message when something is unsafe, and otherwise builds a Plan of
GitSteps; `carry_out` prints them (dry run) or runs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from release.config import GitConfig
from release.console import say, show_plan
from release.errors import Failed, Refused, UsageError
from release.git.repo import Commit, GitStep, RemoteRefs, Repository
from release.git.tags import tag_glob


@dataclass
class Plan:
    title: str
    steps: list[GitStep] = field(default_factory=list)

    def add(self, *args: str) -> None:
        self.steps.append(GitStep(tuple(args)))


def carry_out(repo: Repository, plan: Plan, *, dry_run: bool) -> None:
    show_plan(plan.title, (str(step) for step in plan.steps), dry_run=dry_run)
    if dry_run:
        return
    for done, step in enumerate(plan.steps):
        try:
            repo.execute(step)
        except Failed as error:
            if done == 0:
                raise
            finished = "\n".join(f"  done: {s}" for s in plan.steps[:done])
            remaining = "\n".join(f"  not run: {s}" for s in plan.steps[done + 1:])
            raise Failed(
                f"{error.message}\nThis left {plan.title} half done:\n{finished}\n"
                f"  failed: {step}\n{remaining}\nFix the cause and run the remaining "
                "commands by hand, or re-run the task."
            ) from None


def require_clean(repo: Repository, action: str) -> None:
    changes = repo.porcelain_status()
    if changes:
        listing = "\n".join(f"  {line}" for line in changes[:20])
        more = f"\n  ... and {len(changes) - 20} more" if len(changes) > 20 else ""
        raise Refused(
            f"the work tree has uncommitted changes, so {action} would not be what is "
            f"committed:\n{listing}{more}\nCommit or stash them (git stash), then retry. "
            "Nothing was changed."
        )


def require_branch(repo: Repository, action: str) -> str:
    branch = repo.current_branch()
    if branch is None:
        head = (repo.head() or "")[:12]
        raise Refused(
            f"HEAD is detached at {head}; {action} switches branches and commits made on a "
            "detached HEAD could be lost from view. Check out a branch (git switch <branch>), "
            "then retry. Nothing was changed."
        )
    return branch


def release_globs(config: GitConfig) -> list[str]:
    return [tag_glob(config.tag_format)]


def unreleased_commits(repo: Repository, config: GitConfig, tips: Sequence[str]) -> list[Commit]:
    """Commits on the given tips that are neither in the remote base nor in a release tag."""
    excluded = [sha for sha in (repo.remote_tracking(config.remote, config.base),) if sha]
    seen: dict[str, Commit] = {}
    for tip in tips:
        for commit in repo.commits_not_in(tip, excluded=excluded, tag_globs=release_globs(config)):
            seen.setdefault(commit.sha, commit)
    return list(seen.values())


def describe_commits(commits: Sequence[Commit], limit: int = 20) -> str:
    lines = [f"  {c.sha[:10]} {c.subject} ({c.author})" for c in commits[:limit]]
    if len(commits) > limit:
        lines.append(f"  ... and {len(commits) - limit} more")
    return "\n".join(lines)


@dataclass(frozen=True)
class StagingState:
    local: str | None
    remote: str | None
    tracking: str | None
    remote_refs: RemoteRefs


def staging_state(repo: Repository, config: GitConfig) -> StagingState:
    remote_refs = repo.remote_refs(config.remote, branches=(config.base, config.staging))
    return StagingState(
        local=repo.local_branch(config.staging),
        remote=remote_refs.branches.get(config.staging),
        tracking=repo.remote_tracking(config.remote, config.staging),
        remote_refs=remote_refs,
    )


def refuse_diverged(repo: Repository, config: GitConfig, state: StagingState) -> None:
    """A local staging with commits the remote lacks and vice versa: a person must decide."""
    if not (state.local and state.remote) or state.local == state.remote:
        return
    if repo.resolve(state.remote) is None:
        return  # the remote moved on and we have not fetched it yet: checked again after fetch
    if repo.is_ancestor(state.local, state.remote) or repo.is_ancestor(state.remote, state.local):
        return
    ahead, behind = repo.ahead_behind(state.local, state.remote)
    raise Refused(
        f"local {config.staging} ({state.local[:10]}) and {config.remote}/{config.staging} "
        f"({state.remote[:10]}) have diverged: {ahead} local commit(s) not on the remote, "
        f"{behind} remote commit(s) not local. Decide which to keep: merge them by hand "
        f"(git switch {config.staging} && git pull), or delete the local branch "
        f"(git branch -D {config.staging}) to take the remote one. Nothing was changed."
    )


def resolve_ref(repo: Repository, ref: str, *, fetched: bool) -> str:
    sha = repo.resolve(ref)
    if sha is None:
        hint = "" if fetched else " (this dry run did not fetch; it may exist on the remote)"
        raise UsageError(
            f"--commit {ref!r} is not a commit, tag or branch in this repository{hint}. "
            "Give a sha, a tag or a branch name."
        )
    return sha


def say_lines(lines: Sequence[str]) -> None:
    for line in lines:
        say(line)


def fetch(repo: Repository, config: GitConfig, *, dry_run: bool, tags: bool) -> None:
    """Bring remote-tracking refs up to date (a writing step: only printed in a dry run).

    Tags are fetched only where release tags matter, since their number grows with history.
    """
    plan = Plan("fetch")
    plan.add("fetch", "--prune", *(() if tags else ("--no-tags",)), config.remote)
    carry_out(repo, plan, dry_run=dry_run)
