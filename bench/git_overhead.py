"""How the git tasks' cost grows with history, and what they add above git itself.

Prints, measured side by side in one run:
- `invoke staging.status` and `invoke staging.create --no-push` on a generated repository with
  20,000 commits and 2,000 release tags versus on a 10-commit one (goal: at most 1.3x);
- their time above the plain git commands they run (goal: under 0.3 s), found by recording the
  git command lines through a shim on PATH and replaying them directly;
- gitflow-avh's `git flow release start` on the big repository, for the record;
- `invoke --list` start-up (goal: under 0.5 s).

Usage: .venv/bin/python bench/git_overhead.py [--runs N]
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

PROJECT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
TASKS_PY = b"from release.tasks import ns  # noqa: F401\n"


def fast_import_stream(commits: int, tag_every: int) -> bytes:
    out = bytearray()
    blob = b"print('app')\n"
    out += b"blob\nmark :1\ndata %d\n%s\n" % (len(TASKS_PY), TASKS_PY)
    for i in range(1, commits + 1):
        when = 1_600_000_000 + i * 60
        content = blob + b"# change %d\n" % i
        msg = b"feat: change %d\n" % i
        out += b"commit refs/heads/master\nmark :%d\n" % (i + 1)
        out += b"committer Bench <bench@example.invalid> %d +0000\n" % when
        out += b"data %d\n%s" % (len(msg), msg)
        if i == 1:
            out += b"M 100644 :1 tasks.py\n"
        out += b"M 100644 inline app.py\ndata %d\n%s\n" % (len(content), content)
        if tag_every and i % tag_every == 0:
            n = i // tag_every
            out += b"reset refs/tags/release-2020.%02d.%02d.%d\nfrom :%d\n\n" % (
                n % 12 + 1, n % 28 + 1, n, i + 1)
    return bytes(out)


def make_repo(root: Path, commits: int, tag_every: int) -> Path:
    origin, app = root / "origin.git", root / "app"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=master", str(origin)],
                   check=True, env=ENV)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=origin, check=True, env=ENV,
                   input=fast_import_stream(commits, tag_every))
    subprocess.run(["git", "clone", "-q", str(origin), str(app)], check=True, env=ENV)
    return app


def make_shim(folder: Path, log: Path) -> dict[str, str]:
    """A `git` on PATH that records each command line (NUL-separated args) and runs real git."""
    real = shutil.which("git")
    shim = folder / "git"
    shim.write_text(f'#!/bin/sh\nprintf "%s\\0" "$PWD" "$@" >> "{log}"\nprintf "\\n" >> "{log}"\n'
                    f'exec {real} "$@"\n')
    shim.chmod(0o755)
    return {**ENV, "PATH": f"{folder}:{ENV['PATH']}"}


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{cmd} failed in {cwd}:\n{result.stderr.decode()}")
    return elapsed


def replay(log: Path) -> float:
    """Run the recorded git commands directly, in order, and time them."""
    total = 0.0
    for record in log.read_bytes().split(b"\n"):
        parts = [p.decode() for p in record.split(b"\0") if p]
        if not parts:
            continue
        cwd, args = parts[0], parts[1:]
        start = time.perf_counter()
        subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True, check=False)
        total += time.perf_counter() - start
    return total


def measure(app: Path, args: list[str], runs: int, shim_dir: Path,
            reset: list[str] | None) -> tuple[float, float]:
    """Median wall time of `invoke ARGS`, and median time of the git commands it ran."""
    invoke = [sys.executable, "-m", "invoke", *args]
    walls, gits = [], []
    for _ in range(runs):
        if reset:
            subprocess.run(reset, cwd=app, env=ENV, capture_output=True, check=False)
        log = shim_dir / "git.log"
        log.unlink(missing_ok=True)
        walls.append(timed(invoke, app, make_shim(shim_dir, log)))
        if reset:
            subprocess.run(reset, cwd=app, env=ENV, capture_output=True, check=False)
        gits.append(replay(log))
    return statistics.median(walls), statistics.median(gits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="stagecraft-bench-git-"))
    try:
        print("generating repositories (20,000 commits + 2,000 tags; 10 commits) ...", flush=True)
        big = make_repo(work / "big", 20_000, 10)
        small = make_repo(work / "small", 10, 0)
        shim_dir = work / "shim"
        shim_dir.mkdir()
        results = {}
        for label, app in (("big", big), ("small", small)):
            results[(label, "status")] = measure(app, ["staging.status"], options.runs,
                                                 shim_dir, None)
            results[(label, "create")] = measure(app, ["staging.create", "--no-push"],
                                                 options.runs, shim_dir,
                                                 ["git", "branch", "-D", "staging"])
        print(f"\n{'task':<28}{'big':>10}{'small':>10}{'ratio':>8}{'git (big)':>11}"
              f"{'above git':>11}")
        for task, name in (("status", "staging.status"), ("create", "staging.create --no-push")):
            big_wall, big_git = results[("big", task)]
            small_wall, _ = results[("small", task)]
            print(f"{name:<28}{big_wall:>9.3f}s{small_wall:>9.3f}s{big_wall / small_wall:>7.2f}x"
                  f"{big_git:>10.3f}s{big_wall - big_git:>10.3f}s")
        print("goals: ratio <= 1.3x; above git < 0.3 s")

        if shutil.which("git-flow") is None:
            print("\ngit flow: not installed (apt-get install git-flow), so not compared")
        else:
            _git_flow(big, options.runs, results[("big", "create")][0])

        listing = statistics.median(
            timed([sys.executable, "-m", "invoke", "--list"], big, ENV)
            for _ in range(options.runs))
        print(f"invoke --list start-up: {listing:.3f}s (goal < 0.5 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _git_flow(big: Path, runs: int, create: float) -> None:
    """gitflow-avh's `git flow release start` on the big repository, for the record."""
    # gitflow's defaults: releases branch off `develop`, which a plain repo lacks.
    subprocess.run(["git", "branch", "develop", "master"], cwd=big, env=ENV, check=True)
    init = subprocess.run(["git", "flow", "init", "-d"], cwd=big, env=ENV, text=True,
                          capture_output=True, check=False)
    if init.returncode != 0:
        raise SystemExit(f"git flow init failed:\n{init.stdout}{init.stderr}")
    flow_times = []
    for n in range(runs):
        flow_times.append(timed(["git", "flow", "release", "start", f"bench{n}"], big, ENV))
        subprocess.run(["git", "switch", "-q", "master"], cwd=big, env=ENV, check=True)
        subprocess.run(["git", "branch", "-D", f"release/bench{n}"], cwd=big, env=ENV,
                       capture_output=True, check=True)
    flow = statistics.median(flow_times)
    print(f"\ngit flow release start (big repo, for the record): {flow:.3f}s "
          f"(staging.create --no-push / git flow = "
          f"{create / flow:.2f}x)")


if __name__ == "__main__":
    raise SystemExit(main())
