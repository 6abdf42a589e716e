"""The dry run prints what the real run does: each writing task runs dry, then for real with
GIT_TRACE, and every writing git command git reports having run must be the dry run's, in
order, with the same arguments.

GitPython keeps git's stderr, so the trace goes to a file (GIT_TRACE=<absolute path>)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from release.config import GitConfig
from release.errors import Refused
from release.git.plan import Plan, carry_out, step
from release.git.repo import Repository
from tests.support.git import Sandbox, commit, git, refs

# Commands that change a repository; `branch` and `tag` only in their writing forms.
WRITING = {"fetch", "switch", "checkout", "merge", "push", "branch", "tag", "reset", "commit",
           "update-ref", "rebase", "pull", "cherry-pick", "revert", "stash"}
LISTING = {"-l", "--list", "--points-at", "--contains", "--merged", "--no-merged",
           "--show-current"}


def words(text: str, start: int) -> list[str]:
    """A POSIX-shell-quoted command from `start` to the first unquoted newline: what git's
    trace (sq-quoting) and the dry run (shlex.join) both print, quoted newlines included."""
    found: list[str] = []
    word: str | None = None
    quote = ""
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            else:
                word += ch  # type: ignore[operator]
        elif ch in "'\"":
            quote, word = ch, word or ""
        elif ch == "\\":
            i += 1
            word = (word or "") + text[i]
        elif ch in " \t\n":
            if word is not None:
                found.append(word)
                word = None
            if ch == "\n":
                break
        else:
            word = (word or "") + ch
        i += 1
    if word is not None:
        found.append(word)
    return found


def ran(trace: str) -> list[list[str]]:
    """The writing git commands the task ran, from GIT_TRACE. A command git starts for itself
    (upload-pack, gc, stash create) is traced right after the `run_command:` line starting it."""
    commands = []
    child = False
    for match in re.finditer(r"trace: (run_command|built-in): ", trace):
        if match[1] == "run_command":
            child = True
            continue
        argv = words(trace, match.end())
        if not child and argv[1] in WRITING and not (
                argv[1] in {"branch", "tag"} and (len(argv) == 2 or LISTING & set(argv))):
            commands.append(argv)
        child = False
    return commands


def printed(stdout: str, marker: str = "would run") -> list[list[str]]:
    return [words(stdout, m.end()) for m in re.finditer(rf"^  {marker}: ", stdout, re.M)]


def printed_on_conflict(stdout: str) -> list[list[str]]:
    return printed(stdout, "  if it conflicts, would run")


def dry_then_traced(sandbox: Sandbox, *args: str) -> tuple[str, str]:
    """The dry run's output (checking it changed nothing), then the traced real run's trace."""
    before = refs(sandbox.app), refs(sandbox.origin)
    dry = sandbox.invoke(*args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert (refs(sandbox.app), refs(sandbox.origin)) == before
    assert not git(sandbox.app, "status", "--porcelain")
    real, trace = traced(sandbox, *args)
    assert real.returncode == 0, real.stdout + real.stderr
    return dry.stdout, trace


def traced(sandbox: Sandbox, *args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """`invoke ARGS` as Sandbox.invoke runs it, and git's trace of each command it ran."""
    trace = sandbox.origin.parent / "git-trace.log"
    trace.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=sandbox.app, capture_output=True,
        text=True, stdin=subprocess.DEVNULL, env={**os.environ, "GIT_TRACE": str(trace)},
        check=False)
    return result, trace.read_text() if trace.exists() else ""


def branches_and_tags(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads",
               "refs/tags")


def test_create_runs_what_its_dry_run_printed(sandbox: Sandbox) -> None:
    sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    dry, trace = dry_then_traced(sandbox, "staging.create")
    assert ran(trace) == printed(dry)
    assert [argv[1] for argv in printed(dry)] == ["fetch", "branch", "push"]


def test_create_force_runs_what_its_dry_run_printed(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    dry, trace = dry_then_traced(sandbox, "staging.create", "--force", "--yes")
    assert ran(trace) == printed(dry)
    assert ["git", "push", "origin", "--delete", "staging"] in printed(dry)
    assert ["git", "branch", "-D", "staging"] in printed(dry)


def test_create_at_a_tag_only_the_remote_has(sandbox: Sandbox) -> None:
    first = git(sandbox.dev, "rev-parse", "HEAD~1")
    git(sandbox.dev, "tag", "--annotate", "-m", "stable", "stable", first)
    git(sandbox.dev, "push", "--quiet", "origin", "stable")
    dry, trace = dry_then_traced(sandbox, "staging.create", "--commit", "stable")
    assert ran(trace) == printed(dry)
    assert ["git", "branch", "--no-track", "staging", first] in printed(dry)


def test_delete_runs_what_its_dry_run_printed(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    dry, trace = dry_then_traced(sandbox, "staging.delete")
    assert ran(trace) == printed(dry)
    assert [argv[1] for argv in printed(dry)] == ["fetch", "push", "branch"]


def test_tag_runs_what_its_dry_run_printed_message_and_all(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    dry, trace = dry_then_traced(sandbox, "release.tag")
    assert ran(trace) == printed(dry)
    tag = printed(dry)[1]
    assert tag[:4] == ["git", "tag", "--annotate", "--cleanup=whitespace"]
    assert "\n" in tag[5]  # the notes, several lines, compared whole


def test_merge_from_another_branch_switches_back(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    new = sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    dry, trace = dry_then_traced(sandbox, "staging.merge")
    assert ran(trace) == printed(dry)
    assert printed(dry)[1:] == [
        ["git", "switch", "staging"],
        ["git", "merge", "--no-edit", "-m", "Merge origin/master into staging", new],
        ["git", "push", "origin", "staging:staging"],
        ["git", "switch", "master"],
    ]
    assert git(sandbox.app, "symbolic-ref", "--short", "HEAD") == "master"


def test_merge_into_a_staging_behind_its_remote_fast_forwards_first(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    git(sandbox.dev, "fetch", "--quiet")
    git(sandbox.dev, "switch", "--quiet", "staging")
    pushed = commit(sandbox.dev, "hotfix.py", "x = 1\n", "fix: pushed by someone else")
    git(sandbox.dev, "push", "--quiet", "origin", "staging")
    git(sandbox.dev, "switch", "--quiet", "master")
    sandbox.land_on_master("feature.py", "y = 2\n", "feat: feature")
    git(sandbox.app, "switch", "--quiet", "staging")
    dry, trace = dry_then_traced(sandbox, "staging.merge")
    assert "note: origin/staging" in dry and "not fetched yet" in dry
    assert ran(trace) == printed(dry)
    assert [argv[1:3] for argv in printed(dry)] == [
        ["fetch", "--prune"], ["merge", "--ff-only"], ["merge", "--no-edit"],
        ["push", "origin"]]
    assert git(sandbox.origin, "rev-parse", "refs/heads/staging^1") == pushed


def test_merge_conflict_runs_the_undo_its_dry_run_printed(sandbox: Sandbox) -> None:
    git(sandbox.dev, "push", "--quiet", "origin", "master:staging")
    git(sandbox.dev, "fetch", "--quiet")
    git(sandbox.dev, "switch", "--quiet", "staging")
    commit(sandbox.dev, "app.py", "print('staging')\n", "fix: on staging")
    git(sandbox.dev, "push", "--quiet", "origin", "staging")
    git(sandbox.dev, "switch", "--quiet", "master")
    sandbox.land_on_master("app.py", "print('master')\n", "feat: on master")
    before = branches_and_tags(sandbox.app)
    dry = sandbox.invoke("staging.merge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    real, trace = traced(sandbox, "staging.merge")
    assert real.returncode == 1
    assert "conflicts in:\n  app.py" in real.stderr
    steps = printed(dry.stdout)
    merge_at = next(i for i, argv in enumerate(steps) if "--no-edit" in argv)
    assert ran(trace) == steps[:merge_at + 1] + printed_on_conflict(dry.stdout)
    assert printed_on_conflict(dry.stdout) == [
        ["git", "merge", "--abort"], ["git", "switch", "master"],
        ["git", "branch", "-D", "staging"]]
    assert branches_and_tags(sandbox.app) == before  # no staging made, master untouched
    assert git(sandbox.app, "symbolic-ref", "--short", "HEAD") == "master"


def test_merge_stops_after_the_fetch_when_it_shows_staging_diverged(sandbox: Sandbox) -> None:
    assert sandbox.invoke("staging.create").returncode == 0
    local_before = git(sandbox.app, "rev-parse", "refs/heads/staging")
    # Someone rewrites staging on the remote; this clone has not fetched it, so the plan
    # made from ls-remote expects a fast-forward.
    git(sandbox.dev, "switch", "--quiet", "--orphan", "rewritten")
    commit(sandbox.dev, "other.py", "z = 1\n", "fix: rewritten history")
    git(sandbox.dev, "push", "--quiet", "--force", "origin", "rewritten:staging")
    git(sandbox.dev, "switch", "--quiet", "master")
    sandbox.land_on_master("app.py", "print('v2')\n", "feat: v2")
    dry = sandbox.invoke("staging.merge", "--dry-run")
    assert ["git", "merge", "--ff-only", git(sandbox.origin, "rev-parse", "refs/heads/staging")] \
        in printed(dry.stdout)
    result = sandbox.invoke("staging.merge")
    assert result.returncode == 1
    assert "have diverged" in result.stderr
    assert git(sandbox.app, "rev-parse", "refs/heads/staging") == local_before
    assert git(sandbox.app, "symbolic-ref", "--short", "HEAD") == "master"


def test_a_plan_that_changes_with_the_fetch_is_refused_after_it(
        sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sandbox.app)
    repo = Repository(Path(sandbox.app))
    config = GitConfig()
    older, newer = git(sandbox.app, "rev-parse", "HEAD~1"), git(sandbox.app, "rev-parse", "HEAD")
    planned = Plan("create staging", fetch=step("fetch", "--prune", config.remote),
                   steps=(step("branch", "--no-track", "staging", older),))
    # What planning again sees when the remote moved between ls-remote and the fetch.
    moved = Plan("create staging", fetch=planned.fetch,
                 steps=(step("branch", "--no-track", "staging", newer),))
    with pytest.raises(Refused, match=f"Planned:\n  git branch --no-track staging {older}\n"
                                      f"With what was fetched it would be:\n  git branch "
                                      f"--no-track staging {newer}\n"):
        carry_out(repo, planned, replan=lambda: moved, assume_yes=True)
    assert "refs/heads/staging" not in refs(sandbox.app)
