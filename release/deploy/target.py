"""Which commit a deploy takes: `--ref`, else the environment's `ref` (a branch such as
staging, or "tag": the latest release tag), looked up on the remote from the repository the
deploy runs in, and what that commit ships (its alters files, its new push instructions)."""

from __future__ import annotations

from dataclasses import dataclass

from release.config import Config, EnvironmentConfig
from release.docs.context import PushEntry
from release.docs.shipped import entries_since, text_at
from release.errors import ReleaseError
from release.git.checks import release_globs
from release.git.repo import Repository

TAG = "tag"


@dataclass(frozen=True)
class Target:
    ref: str   # as named: staging, release-2026.01.05.1, or a sha
    sha: str   # the commit


def resolve_target(repo: Repository, config: Config, env: EnvironmentConfig,
                   ref: str | None) -> tuple[Target | None, list[str]]:
    """The commit to deploy, after fetching from the remote; or the problems that stop it."""
    remote = config.git.remote
    wanted = ref or env.ref
    try:
        repo.run("fetch", "--quiet", "--tags", remote)
        if wanted == TAG:
            wanted = _latest_release_tag(repo, config) or ""
            if not wanted:
                return None, [f"environment {env.name!r} deploys the latest release tag, and "
                              f"{remote} has none. Tag the release (invoke release.tag)."]
        found = repo.remote_refs(remote, branches=[wanted], tags=[wanted])
    except ReleaseError as error:
        return None, [error.message]
    if wanted in found.branches:
        sha = repo.resolve(f"refs/remotes/{remote}/{wanted}^{{commit}}")
    elif wanted in found.tags:
        sha = repo.resolve(f"refs/tags/{wanted}^{{commit}}")
    else:
        sha = repo.resolve(f"{wanted}^{{commit}}")
        if sha and not repo.try_run("branch", "--remotes", "--contains", sha):
            sha = None
    if not sha:
        return None, [f"{wanted!r} is not a branch, tag or commit on the remote {remote!r}. "
                      "Push it first, or pass another --ref."]
    return Target(ref=wanted, sha=sha), []


def _latest_release_tag(repo: Repository, config: Config) -> str | None:
    """The newest release tag (by its tagging time), among every release tag of the remote."""
    names = repo.run("for-each-ref", "--sort=-creatordate", "--format=%(refname:short)",
                     *(f"refs/tags/{glob}" for glob in release_globs(config.git)))
    return names.splitlines()[0] if names.strip() else None


def release_files(repo: Repository, config: Config, sha: str) -> dict[str, str]:
    """The alters files as the release has them (path -> text); absent files are left out."""
    texts = {name: text_at(repo, sha, name) for name in config.alters.files}
    return {name: text for name, text in texts.items() if text is not None}


def new_entries(repo: Repository, config: Config, sha: str, running: str
                ) -> tuple[PushEntry, ...]:
    """Push-instruction entries the release has and what the host runs now lacks (the release
    before it, when that commit is unknown here)."""
    previous: str | None = running if running and repo.resolve(running) else None
    if previous is None:
        previous = repo.last_tag(f"{sha}^", release_globs(config.git))
    return entries_since(repo, config.alters.push_instructions, sha, previous)
