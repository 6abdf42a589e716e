"""How `invoke release.notes` scales with the commits since the last release tag.

Builds two throwaway repositories with git fast-import (a tagged first release, then 10 or
10,000 commits on staging with conventional subjects, alters blocks and push instructions),
then times, side by side in one run, `invoke release.notes` (a real process, as a user runs
it) and the bare `git log` it needs over the same range. Goal: under 2 s in all for 10,000
commits, and under 0.5 s above that git log.

    .venv/bin/python bench/notes_scaling.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TAG = "release-2026.01.01.1"
KINDS = ("feat", "fix", "docs", "chore", "refactor", "perf", "test", "build", "ci", "misc")
TASKS_PY = b"from release.tasks import ns  # noqa: F401\n"
ALTERS_ONE = b"-- alter: one\n-- author: ann\nALTER TABLE t ADD COLUMN a INT NULL;\n"
ALTERS_TWO = ALTERS_ONE + b"\n-- alter: two\n-- author: bob\nALTER TABLE t ADD COLUMN b INT NULL;\n"
PUSH_ONE = b"Push instructions\n-----\n\n2026-01-02: ann, restart the worker\n"
PUSH_TWO = PUSH_ONE + b"2026-02-01: bob, rebuild the index\n"


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def fast_import_stream(commits: int) -> bytes:
    out = [b"blob\nmark :1\n", _data(TASKS_PY), b"blob\nmark :2\n", _data(ALTERS_ONE),
           b"blob\nmark :3\n", _data(ALTERS_TWO), b"blob\nmark :4\n", _data(PUSH_ONE),
           b"blob\nmark :5\n", _data(PUSH_TWO)]
    when = 1_767_225_600
    ident = b"Bench Dev <bench@example.invalid> %d +0000\n"
    out += [b"commit refs/heads/staging\nmark :10\n", b"author " + ident % when,
            b"committer " + ident % when, _data(b"chore: first release"),
            b"M 100644 :1 tasks.py\nM 100644 :2 alters.sql\n",
            b"M 100644 :4 production_push_instructions.txt\n\n",
            b"reset refs/tags/" + TAG.encode() + b"\nfrom :10\n\n"]
    for n in range(commits):
        when += 60
        subject = f"{KINDS[n % len(KINDS)]}: change number {n}".encode()
        out += [b"commit refs/heads/staging\n", b"author " + ident % when,
                b"committer " + ident % when, _data(subject)]
        if n == 0:
            out.append(b"M 100644 :3 alters.sql\nM 100644 :5 production_push_instructions.txt\n")
        out.append(b"\n")
    return b"".join(out)


def make_repo(where: Path, commits: int) -> Path:
    repo = where / f"app-{commits}"
    subprocess.run(["git", "init", "--quiet", "--initial-branch=master", str(repo)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, check=True,
                   input=fast_import_stream(commits))
    subprocess.run(["git", "checkout", "--quiet", "staging"], cwd=repo, check=True)
    return repo


def timed(args: list[str], cwd: Path, runs: int) -> tuple[float, str]:
    samples, output = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                                env={**os.environ, "LC_ALL": "C"})
        samples.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{result.stderr}")
        output = result.stdout
    return statistics.median(samples), output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    where = Path(tempfile.mkdtemp(prefix="stagecraft-bench-notes-"))
    try:
        rows = []
        for commits in (10, 10_000):
            repo = make_repo(where, commits)
            git_log, _ = timed(["git", "log", "--format=%H%x1f%an%x1f%P%x1f%s",
                                f"{TAG}..staging"], repo, args.runs)
            notes, text = timed([sys.executable, "-m", "invoke", "release.notes"], repo,
                                args.runs)
            listed = sum(1 for line in text.splitlines() if line.startswith("- "))
            assert listed >= commits, f"notes list {listed} lines for {commits} commits"
            rows.append((commits, notes, git_log))
        print(f"release.notes, median of {args.runs} runs each, measured side by side:")
        print(f"{'commits':>8} {'notes':>9} {'git log':>9} {'notes - git log':>16}")
        for commits, notes, git_log in rows:
            print(f"{commits:>8} {notes:>8.3f}s {git_log:>8.3f}s {notes - git_log:>15.3f}s")
        (_, small, _), (_, large, large_log) = rows
        print(f"10,000 vs 10 commits: {large / small:.2f}x the time "
              f"(+{large - small:.3f} s); above its git log: {large - large_log:.3f} s")
        ok = large < 2.0 and large - large_log < 0.5
        print("goal (< 2 s in all, < 0.5 s above git log):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
