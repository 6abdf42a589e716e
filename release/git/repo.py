"""The only module that speaks to git (through GitPython); everything else gets plain values.

Read-only commands run even in a dry run. Writing commands are `GitStep` values, so a
plan (release.git.plan) can be printed by `--dry-run` and carried out by `execute` without
the two drifting.
"""

from __future__ import annotations

import fnmatch
import os
import shlex
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git as gitpython

from release.errors import Failed, Refused, UsageError


@dataclass(frozen=True)
class GitStep:
    """One writing git command of a plan, and the commands that undo it if it stops on a
    conflict (only a merge has them)."""

    args: tuple[str, ...]
    on_conflict: tuple[GitStep, ...] = ()

    def __str__(self) -> str:
        return shlex.join(("git", *self.args))


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    subject: str
    parents: int


@dataclass(frozen=True)
class RemoteRefs:
    branches: dict[str, str]
    tags: dict[str, str]


class Repository:
    """A working copy of the application, addressed by its top-level folder."""

    def __init__(self, path: Path) -> None:
        try:
            top = gitpython.Git(str(path)).rev_parse("--show-toplevel")
        except gitpython.GitCommandError:
            raise UsageError(
                f"{path} is not inside a git repository. Run this from your application's "
                "checkout."
            ) from None
        except gitpython.GitCommandNotFound:
            raise UsageError(
                "git is not installed or not on PATH. Install git and retry."
            ) from None
        self.root = Path(top)
        self._git = gitpython.Git(top)

    def run(self, *args: str) -> str:
        """Run a git command and return its stdout (stripped); errors become Failed."""
        try:
            output: str = self._git.execute(["git", *args], env=_quiet_env())
        except gitpython.GitCommandError as error:
            raise Failed(
                f"`{shlex.join(('git', *args))}` failed in {self.root}:\n"
                f"{_stderr(error)}"
            ) from None
        return output

    def try_run(self, *args: str) -> str | None:
        try:
            output: str = self._git.execute(["git", *args], env=_quiet_env())
        except gitpython.GitCommandError:
            return None
        return output

    def execute(self, step: GitStep) -> str:
        return self.run(*step.args)

    # -- state of the work tree -------------------------------------------------------
    def porcelain_status(self) -> list[str]:
        output = self.run("status", "--porcelain", "--untracked-files=normal")
        return [line for line in output.splitlines() if line.strip()]

    def current_branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        name = self.try_run("symbolic-ref", "--quiet", "--short", "HEAD")
        return name or None

    def head(self) -> str | None:
        return self.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}") or None

    def resolve(self, ref: str) -> str | None:
        """The commit a ref (sha, tag, branch) names locally, or None."""
        if ref.startswith("-"):
            return None
        return self.try_run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") or None

    def local_branch(self, name: str) -> str | None:
        return self.resolve(f"refs/heads/{name}")

    def remote_tracking(self, remote: str, name: str) -> str | None:
        return self.resolve(f"refs/remotes/{remote}/{name}")

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.try_run("merge-base", "--is-ancestor", older, newer) is not None

    def ahead_behind(self, ours: str, theirs: str) -> tuple[int, int]:
        """How many commits `ours` has that `theirs` lacks, and the reverse."""
        out = self.run("rev-list", "--left-right", "--count", f"{ours}...{theirs}")
        ahead, behind = out.split()
        return int(ahead), int(behind)

    def commits_not_in(
        self, tip: str, *, excluded: Sequence[str], tag_globs: Sequence[str]
    ) -> list[Commit]:
        """Commits reachable from tip but from none of `excluded` and no tag matching the globs."""
        args = ["log", "--format=%H%x1f%an%x1f%P%x1f%s", tip, "--not", *excluded]
        args += [f"--glob=refs/tags/{glob}" for glob in tag_globs]
        return _parse_log(self.run(*args))

    def log(self, revision_range: str, *, tag_globs: Sequence[str] = ()) -> list[Commit]:
        args = ["log", "--format=%H%x1f%an%x1f%P%x1f%s", revision_range]
        if tag_globs:
            args += ["--not", *(f"--glob=refs/tags/{glob}" for glob in tag_globs)]
        return _parse_log(self.run(*args))

    # -- tags ---------------------------------------------------------------------------
    def tag_names(self, glob: str) -> list[str]:
        out = self.run("for-each-ref", "--format=%(refname:strip=2)", f"refs/tags/{glob}")
        return out.splitlines()

    def tag_type(self, name: str) -> str | None:
        return self.try_run("cat-file", "-t", f"refs/tags/{name}") or None

    def last_tag(self, ref: str, globs: Sequence[str], *,
                 exclude: Sequence[str] = ()) -> str | None:
        """The nearest tag reachable from ref whose name matches one of the globs."""
        args = ["describe", "--tags", "--abbrev=0", *(f"--match={g}" for g in globs),
                *(f"--exclude={name}" for name in exclude), ref]
        return self.try_run(*args) or None

    def tags_at(self, ref: str, globs: Sequence[str]) -> list[str]:
        """Tags matching the globs that point at ref's commit, sorted by name."""
        return sorted(self.run("tag", "--points-at", ref, "--list", *globs).splitlines())

    def show_file(self, ref: str, path: str) -> str | None:
        """A file's text at a ref, or None if it does not exist there."""
        return self.try_run("show", f"{ref}:{path}")

    def blob_id(self, ref: str, path: str) -> str | None:
        """The id of a file's content at a ref (a content hash), or None if it is not there."""
        if ref.startswith("-"):
            return None
        return self.try_run("rev-parse", "--verify", "--quiet", f"{ref}:{path}") or None

    def common_dir(self) -> Path:
        """The git directory shared by all worktrees (where local caches belong)."""
        out = self.run("rev-parse", "--path-format=absolute", "--git-common-dir")
        return Path(out)

    @contextmanager
    def temporary_worktree(self, ref: str) -> Iterator[Path]:
        """The commit `ref` checked out (detached) in a folder of its own, removed afterwards;
        the repository's own work tree and HEAD are not touched."""
        folder = Path(tempfile.mkdtemp(prefix="stagecraft-worktree-"))
        tree = folder / "tree"
        try:
            self.run("worktree", "add", "--quiet", "--detach", str(tree), f"{ref}^{{commit}}")
            yield tree
        finally:
            self.try_run("worktree", "remove", "--force", str(tree))
            shutil.rmtree(folder, ignore_errors=True)
            self.try_run("worktree", "prune")

    # -- the remote ---------------------------------------------------------------------
    def remote_url(self, remote: str) -> str:
        url = self.try_run("remote", "get-url", remote)
        if not url:
            raise UsageError(
                f"no git remote named {remote!r} in {self.root}. Add it "
                f"(git remote add {remote} URL) or set [git] remote in release.toml."
            )
        return url

    def remote_refs(
        self, remote: str, *, branches: Sequence[str], tags: Sequence[str] = ()
    ) -> RemoteRefs:
        """The named branches and tags (names or globs) on the remote and their commits,
        asked directly (read-only, so it also works in a dry run). Naming them lets the
        server send only those refs, so the cost does not grow with the number of tags."""
        url = self.remote_url(remote)
        found = RemoteRefs(branches={}, tags={})
        for kind, names, into in (("--heads", branches, found.branches),
                                  ("--tags", tags, found.tags)):
            if not names:
                continue
            try:
                # An annotated tag's commit is listed as `name^{}`, only if asked for.
                patterns = [*names, *(f"{n}^{{}}" for n in names)] if kind == "--tags" else names
                out: str = self._git.execute(
                    ["git", "ls-remote", kind, remote, *patterns], env=_quiet_env()
                )
            except gitpython.GitCommandError as error:
                raise Refused(
                    f"cannot reach remote {remote!r} ({url}):\n{_stderr(error)}\n"
                    "Nothing was changed. Check the network and your credentials, then retry."
                ) from None
            prefix = "refs/heads/" if kind == "--heads" else "refs/tags/"
            for line in out.splitlines():
                sha, _, ref = line.partition("\t")
                # `name^{}` follows `name` in the sorted output, so the commit wins over
                # the tag object.
                name = ref.removeprefix(prefix).removesuffix("^{}")
                # ls-remote matches name suffixes (feature/master for master): keep only
                # names that match a pattern whole.
                if any(fnmatch.fnmatchcase(name, pattern) for pattern in names):
                    into[name] = sha
        return found

    # -- merging --------------------------------------------------------------------------
    def conflicted_paths(self) -> list[str]:
        """Paths left unmerged by a merge that stopped on a conflict."""
        return self.run("diff", "--name-only", "--diff-filter=U").splitlines()


def _parse_log(output: str) -> list[Commit]:
    commits = []
    for line in output.splitlines():
        sha, author, parents, subject = line.split("\x1f", 3)
        commits.append(
            Commit(sha=sha, author=author, subject=subject, parents=len(parents.split()))
        )
    return commits


def _stderr(error: gitpython.GitCommandError) -> str:
    text = str(error.stderr or error).strip()
    text = text.removeprefix("stderr:").strip().strip("'").strip()
    return "\n".join(f"  {line}" for line in text.splitlines()) or "  (no message from git)"


def _quiet_env() -> dict[str, str]:
    # Never let git stop to ask for a password or open an editor: a hung prompt is worse
    # than a clear failure.
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_EDITOR="true", GIT_MERGE_AUTOEDIT="no", LC_ALL="C")
    return env
