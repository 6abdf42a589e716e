"""How the alters linter scales with the file's history.

Builds, in a temporary folder, an application repository whose alters.sql holds 10,000
statements (about 300 KB) in 1,000 blocks, with a release tag covering all but the last
block, and prints:

1. the pre-commit hook's time when only the last block changed, as a ratio to its time on
   a 10-statement file (goal: at most 1.5x; the hook's cost must not grow with history), with
   the server's parser deciding AL001 (a private MariaDB, started only when a statement was
   never asked about: cold runs start one, warm runs know every verdict) and with
   `--no-server` (sqlfluff);
2. `invoke alters.lint --all --no-server` over all 10,000 statements with an empty cache (goal:
   under 30 s on 2 cores; every statement parsed by sqlfluff), and again with the cache warm;
   then `invoke alters.lint --all` with the server's parser, cold and warm;
3. for the record, what stock `sqlfluff lint --dialect mysql` does with the same file, as
   is (it skips files above 20,000 bytes) and with that limit lifted.

Run: .venv/bin/python bench/lint_scaling.py
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
BLOCKS, PER_BLOCK, RUNS = 1_000, 10, 5
STOCK_TIMEOUT = 300
ENV = {
    **os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def block(n: int) -> str:
    lines = [f"-- alter: b{n}"]
    for k in range(PER_BLOCK):
        i = n * PER_BLOCK + k
        lines.append(f"ALTER TABLE t{i} ADD c{i} int NULL;" if k % 2 else
                     f"UPDATE t{i} SET a=1 WHERE id={i};")
    return "\n".join(lines) + "\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def repository(root: Path, name: str, shipped: str, pending: str) -> Path:
    repo = root / name
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=master")
    (repo / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    (repo / "alters.sql").write_text(shipped)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "history")
    if shipped:
        git(repo, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    (repo / "alters.sql").write_text(shipped + pending)
    git(repo, "add", "alters.sql")
    return repo


def timed(repo: Path, *command: str,
          timeout: float | None = None) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall-clock and CPU seconds (user + system) of one run. The machine is shared, so
    the CPU time is the steadier measure; both are printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=repo, env=ENV, text=True, capture_output=True,
                            check=False, timeout=timeout)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def hook_times(*repos: Path, options: tuple[str, ...] = ()) -> list[
        tuple[float, float, float, float]]:
    """Per repository: cold wall, cold CPU (empty cache), median warm wall and CPU. Runs
    are interleaved so that load from other work on the machine hits all of them alike."""
    for repo in repos:
        shutil.rmtree(repo / ".git" / "stagecraft", ignore_errors=True)
    runs: list[list[tuple[float, float]]] = [[] for _ in repos]
    for _ in range(RUNS + 1):
        for index, repo in enumerate(repos):
            wall, cpu, result = timed(repo, str(BIN / "release-lint-alters"), *options,
                                      "alters.sql")
            if result.returncode != 0:
                sys.exit(f"hook failed unexpectedly:\n{result.stdout}{result.stderr}")
            runs[index].append((wall, cpu))
    return [(r[0][0], r[0][1], statistics.median(w for w, _ in r[1:]),
             statistics.median(c for _, c in r[1:])) for r in runs]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lint-scaling-") as folder:
        root = Path(folder)
        history = "".join(block(n) for n in range(BLOCKS - 1))
        big = repository(root, "big", history, block(BLOCKS - 1))
        small = repository(root, "small", "", block(0))
        size = (big / "alters.sql").stat().st_size
        statements = BLOCKS * PER_BLOCK
        print(f"alters.sql: {statements:,} statements, {size / 1000:.0f} KB, {BLOCKS:,} blocks; "
              "a release tag holds all but the last block")

        for label, options in (("server's parser", ()), ("--no-server", ("--no-server",))):
            (s_cold, s_cold_cpu, s_wall, s_cpu), (b_cold, b_cold_cpu, b_wall, b_cpu) = \
                hook_times(small, big, options=options)
            print(f"hook ({label}), 10-statement file: warm {s_wall:.2f} s wall, {s_cpu:.2f} s "
                  f"CPU (median of {RUNS}); cold {s_cold:.2f} s wall, {s_cold_cpu:.2f} s CPU")
            print(f"hook ({label}), 10,000 statements, last block changed: warm {b_wall:.2f} s "
                  f"wall, {b_cpu:.2f} s CPU; cold {b_cold:.2f} s wall, {b_cold_cpu:.2f} s CPU")
            print(f"  ratio warm: {b_wall / s_wall:.2f}x wall, {b_cpu / s_cpu:.2f}x CPU; cold: "
                  f"{b_cold / s_cold:.2f}x wall, {b_cold_cpu / s_cold_cpu:.2f}x CPU  "
                  "[goal: <= 1.5x]")

        shutil.rmtree(big / ".git" / "stagecraft", ignore_errors=True)
        invoke = (sys.executable, "-m", "invoke", "alters.lint", "--all", "--no-server")
        cold, cold_cpu, result = timed(big, *invoke)
        with sqlite3.connect(big / ".git" / "stagecraft" / "cache.sqlite3") as db:
            parsed = db.execute("SELECT count(*) FROM al001").fetchone()[0]
        warm, _, again = timed(big, *invoke)
        cores = os.cpu_count() or 1
        print(f"alters.lint --all --no-server, empty cache: {cold:.2f} s wall, {cold_cpu:.2f} s "
              f"CPU on "
              f"{cores} cores (CPU / cores = {cold_cpu / cores:.2f} s); {parsed:,} statements "
              f"parsed by sqlfluff, {len(result.stdout.splitlines()):,} findings, exit "
              f"{result.returncode}; ratio to the 30 s goal {cold / 30:.2f} wall, "
              f"{cold_cpu / cores / 30:.2f} CPU/cores")
        print(f"alters.lint --all --no-server, warm cache: {warm:.2f} s wall (exit "
              f"{again.returncode})")
        served = invoke[:-1]
        cold, cold_cpu, result = timed(big, *served)
        kept = json.loads((big / ".git" / "stagecraft" / "al001-server.json").read_text())
        warm, _, again = timed(big, *served)
        print(f"alters.lint --all with the server's parser (a private MariaDB started for the "
              f"run): {cold:.2f} s wall, {cold_cpu:.2f} s CPU, {len(kept['verdicts']):,} "
              f"verdicts kept, exit {result.returncode}; warm: {warm:.2f} s wall (exit "
              f"{again.returncode})")
        load = os.getloadavg()[0]
        print(f"load average during the run: {load:.1f} (other work shares the machine)")

        # stock sqlfluff, without Stagecraft's plugin rule, as a user would run it
        stock_cmd = (str(BIN / "sqlfluff"), "lint", "--dialect", "mysql", "--exclude-rules",
                     "Stagecraft_SAFE", "--processes", str(cores))
        stock, _, result = timed(big, *stock_cmd, "alters.sql")
        said = (result.stdout + result.stderr).strip().splitlines()
        print(f"stock sqlfluff lint --dialect mysql: {stock:.2f} s, exit {result.returncode}, "
              f"{len(said)} lines of output: {said[0][:110] if said else '(nothing)'}...")
        (big / "lifted.cfg").write_text("[sqlfluff]\nlarge_file_skip_byte_limit = 0\n")
        try:
            lifted, _, result = timed(big, *stock_cmd, "--config", "lifted.cfg", "alters.sql",
                                      timeout=STOCK_TIMEOUT)
            said = (result.stdout + result.stderr).strip().splitlines()
            errors = [line for line in said if "rror" in line or "exceeded" in line]
            print(f"  with the 20,000-byte limit lifted: {lifted:.2f} s, exit "
                  f"{result.returncode}, {len(said):,} lines of output"
                  + (f"; {errors[0].strip()[:110]}" if errors else ""))
        except subprocess.TimeoutExpired:
            print(f"  with the 20,000-byte limit lifted: not finished after {STOCK_TIMEOUT} s")


if __name__ == "__main__":
    main()
