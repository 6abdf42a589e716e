"""Reading what a release consists of from the repository (the I/O edge of notes/checklists).

The release is staging's head (the local branch, else the remote-tracking one); its tag is a
release tag pointing at that commit, if any; the previous release is the nearest other
release tag reachable from it, or `--since`. Alters files and push instructions are read at
both commits with `git show`, never from the work tree, so what is listed is what ships.

"Pending" is decided against the previous release tag, not an environment's ledger: the
notes and checklist describe what this release brings, the same for every environment.
What one database has applied is `alters.status --env ENV`'s question, and `alters.apply`
(ledgered) skips whatever is already applied there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from release.alters.explain_store import read_explained
from release.alters.findings import Finding
from release.alters.lint import Shipped, lint_alters
from release.alters.parse import AltersFile, parse_alters
from release.alters.rules import Context
from release.alters.shipping import pending
from release.config import Config, GitConfig
from release.docs.context import AltersBlock, ReleaseContext, build_release
from release.docs.pending import outside_blocks, pending_blocks
from release.docs.shipped import alters_at, baselined, entries_since, text_at
from release.errors import Refused, UsageError
from release.git.checks import release_globs
from release.git.repo import Commit, Repository
from release.state import state_dir


@dataclass(frozen=True)
class Target:
    ref: str
    sha: str
    tag: str | None
    previous: str | None


def find_target(repo: Repository, config: GitConfig, *, since: str | None = None) -> Target:
    candidates = ((config.staging, repo.local_branch(config.staging)),
                  (f"{config.remote}/{config.staging}",
                   repo.remote_tracking(config.remote, config.staging)))
    ref, sha = next(((r, s) for r, s in candidates if s), ("", None))
    if sha is None:
        raise Refused(
            f"there is no {config.staging} branch (locally or as {config.remote}/"
            f"{config.staging}), so there is no release to describe. Create it with "
            "`invoke staging.create`, or fetch it (git fetch)."
        )
    globs = release_globs(config)
    tags = repo.tags_at(sha, globs)
    tag = tags[-1] if tags else None
    if since is not None:
        if repo.resolve(since) is None:
            raise UsageError(f"--since {since!r} is not a tag, branch or commit in this "
                             "repository. Give a release tag (git tag --list) and retry.")
        previous: str | None = since
    else:
        previous = repo.last_tag(sha, globs, exclude=tags)
    return Target(ref=ref, sha=sha, tag=tag, previous=previous)


def commits_since(repo: Repository, target: Target) -> list[Commit]:
    return repo.log(f"{target.previous}..{target.sha}" if target.previous else target.sha)


def read_release(repo: Repository, config: Config, target: Target, *, today: date,
                 lint: bool, tag: str | None = None, commits: Sequence[Commit] | None = None
                 ) -> ReleaseContext:
    """The release's facts; `tag` and `commits` when the caller (release.tag) has them.

    `lint` runs the alters lint rules over the pending blocks (the checklist shows their
    findings; the notes do not, so they skip the cost of sqlfluff).
    """
    if commits is None:
        commits = commits_since(repo, target)
    blocks: list[AltersBlock] = []
    file_findings: list[Finding] = []
    # What alters.explain learned from a server (kept under .git, never committed).
    explained = read_explained(state_dir(repo.common_dir())) if lint else {}
    recorded = False
    for path in config.alters.files:
        text = text_at(repo, target.sha, path)
        if text is None:
            continue
        current = parse_alters(text, path)
        shipped = alters_at(repo, target.previous, path)
        done = baselined(repo, path)
        findings = _lint(repo, config, current, text, shipped, target, done) if lint else []
        recorded = recorded or bool(done)
        blocks += pending_blocks(current, shipped, findings, explained, done)
        file_findings += outside_blocks(current, findings)
    basis = (f"Pending: blocks whose id and checksum are not in the files at {target.previous}"
             if target.previous else "Pending: every block (there is no previous release)")
    basis += (", nor recorded by alters.baseline." if recorded else ".")
    return build_release(
        project=repo.root.name, head=target.sha, head_ref=target.ref,
        tag=tag or target.tag, base=config.git.base, remote=config.git.remote,
        previous=target.previous, commits=commits, alters_files=config.alters.files,
        blocks=blocks, file_findings=file_findings, pending_basis=basis,
        push_instructions=config.alters.push_instructions,
        entries=entries_since(repo, config.alters.push_instructions, target.sha,
                              target.previous), today=today,
    )


def _lint(repo: Repository, config: Config, current: AltersFile, text: str,
          shipped: AltersFile | None, target: Target,
          done: frozenset[tuple[str, str]]) -> list[Finding]:
    """The alters lint findings on the pending blocks (and the file-level ones).

    Table sizes are not known here, so AL031 (large table without an online strategy) is
    left to `alters.lint` and the hook, which read the stats file.
    """
    before = {b.id: b.checksum for b in shipped.blocks} if shipped else None
    previous = Shipped(target.previous, before) if before is not None and target.previous \
        else None
    return lint_alters(current, text,
                       ctx=Context(current.path, config.alters.large_table_rows, {}),
                       selected={b.id for b in pending(current.blocks, before, done)},
                       shipped=previous, cache_dir=state_dir(repo.common_dir()))
