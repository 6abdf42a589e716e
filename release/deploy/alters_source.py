"""Which alters files alters.apply, alters.explain and alters.status read: those at the ref the
environment runs or is about to run (its `ref`: a branch on the remote, or "tag", the newest
release tag), as release.run and deploy.run do, never silently the operator's working tree.

The working tree is read with `--from-worktree` (a hotfix not on the ref yet), and when the
ref cannot be read (no such branch on the remote yet, no release tag yet, no remote): each
time the lines say which files were read, and when the working tree's differ from the ref's.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.config import Config, EnvironmentConfig
from release.deploy.target import release_files, resolve_target
from release.git.repo import Repository


@dataclass(frozen=True)
class AltersSource:
    texts: dict[str, str] | None   # path -> text at the ref; None: the working tree's
    sha: str = ""                  # the commit read; "" for the working tree
    lines: tuple[str, ...] = ()    # what the person is told about it


def alters_source(repo: Repository, config: Config, env: EnvironmentConfig, *,
                  from_worktree: bool) -> AltersSource:
    files = ", ".join(config.alters.files)
    if from_worktree:
        return AltersSource(None, lines=(f"alters files: the working tree's {files} "
                                         "(--from-worktree)",))
    target, problems = resolve_target(repo, config, env, None)
    if target is None:
        return AltersSource(None, lines=(
            f"alters files: the working tree's {files}, because {env.name}'s ref "
            f"({env.ref!r}) cannot be read: {' '.join(problems)}",))
    texts = release_files(repo, config, target.sha)
    lines = [f"alters files: {files} as at {target.ref} ({target.sha[:12]}), what "
             f"{env.name} runs or is about to run"]
    differ = [name for name in config.alters.files
              if _work_tree_text(config, name) != texts.get(name)]
    if differ:
        lines.append(f"note: the working tree's {', '.join(differ)} differs from "
                     f"{target.ref}'s: this run reads {target.ref}'s. For a hotfix that is "
                     "not there yet, pass --from-worktree.")
    return AltersSource(texts, target.sha, tuple(lines))


def _work_tree_text(config: Config, name: str) -> str | None:
    try:
        return (config.root / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
