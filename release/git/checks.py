"""Facts and refusals shared by the git tasks: clean tree, branch, staging here and on the
remote, the commit to work on, unreleased work.

All read-only, so they also run in a dry run; the tasks plan from them (release.git.plan).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release.config import GitConfig
from release.errors import Refused, UsageError
from release.git.plan import step
from release.git.repo import Commit, GitStep, RemoteRefs, Repository
from release.git.tags import tag_glob


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    push: bool = True
    assume_yes: bool = False


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


def fetch_step(config: GitConfig, *, tags: bool) -> GitStep:
    """Bring remote-tracking refs up to date. Tags only where release tags matter, since
    their number grows with history."""
    return step("fetch", "--prune", *(() if tags else ("--no-tags",)), config.remote)


@dataclass(frozen=True)
class StagingState:
    local: str | None
    remote: str | None      # staging on the remote (its remote-tracking ref once fetched)
    tracking: str | None
    remote_refs: RemoteRefs


def staging_state(repo: Repository, config: GitConfig, *, fetched: bool = False) -> StagingState:
    """Staging here and on the remote. Before a fetch the remote is asked (ls-remote); after
    one, the remote-tracking refs are what the fetch found there."""
    names = (config.base, config.staging)
    if fetched:
        remote_refs = RemoteRefs(branches={
            name: sha for name in names if (sha := repo.remote_tracking(config.remote, name))
        }, tags={})
    else:
        remote_refs = repo.remote_refs(config.remote, branches=names)
    return StagingState(
        local=repo.local_branch(config.staging),
        remote=remote_refs.branches.get(config.staging),
        tracking=repo.remote_tracking(config.remote, config.staging),
        remote_refs=remote_refs,
    )


def known_ancestor(repo: Repository, older: str, newer: str) -> bool | None:
    """Whether `older` is in `newer`'s history; None when `newer` is not fetched yet. (A
    commit not here is in no local history, so only `newer` must be here.)"""
    if repo.resolve(newer) is None:
        return None
    return repo.resolve(older) is not None and repo.is_ancestor(older, newer)


def remote_base(state: StagingState, config: GitConfig) -> str:
    base = state.remote_refs.branches.get(config.base)
    if base is None:
        raise Refused(
            f"{config.remote} has no branch {config.base!r}. Give --commit REF, or set "
            "[git] base in release.toml. Nothing was changed."
        )
    return base


def resolve_target(repo: Repository, config: GitConfig, state: StagingState,
                   commit: str | None, *, fetched: bool) -> tuple[str, str]:
    """The commit `--commit` names (default: the remote base), and how to call it.

    `<remote>/<branch>` means the branch as it is on the remote now, not as last fetched;
    before a fetch, a tag or branch only the remote has is asked for there.
    """
    if commit is None:
        return remote_base(state, config), f"{config.remote}/{config.base}"
    branch = commit.removeprefix(f"{config.remote}/")
    if branch != commit and not commit.startswith("-"):
        sha = (repo.remote_tracking(config.remote, branch) if fetched else
               repo.remote_refs(config.remote, branches=(branch,)).branches.get(branch))
        if sha:
            return sha, commit
    found = repo.resolve(commit)
    if found is None and not fetched and not commit.startswith("-"):
        on_remote = repo.remote_refs(config.remote, branches=(commit,), tags=(commit,))
        found = on_remote.tags.get(commit) or on_remote.branches.get(commit)
    if found is None:
        raise UsageError(
            f"--commit {commit!r} is not a commit, tag or branch here, nor a tag or branch on "
            f"{config.remote}. Give a sha, a tag or a branch name (a commit only the remote "
            f"has must be fetched first: git fetch {config.remote})."
        )
    return found, commit
