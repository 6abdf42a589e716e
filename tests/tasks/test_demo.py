"""release.tasks.demo: `invoke demo`'s arguments (the whole demo runs in
tests/demo/test_story.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", "demo", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)


def test_help_says_where_the_sandbox_goes() -> None:
    result = subprocess.run([sys.executable, "-m", "invoke", "--help", "demo"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "--path" in result.stdout
    assert "build the sandbox in this folder instead of a new temporary one" in \
        " ".join(result.stdout.split())


def test_a_path_that_is_a_file_or_holds_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine\n")
    busy = tmp_path / "earlier"
    busy.mkdir()
    (busy / "origin.git").mkdir()
    for path, what in ((file, "is a file"), (busy, "is not empty")):
        result = demo("--path", str(path))
        assert result.returncode == 2
        assert result.stderr.strip() == (f"error: --path {path}: {what}. Give a new or empty "
                                         "folder for the demo's sandbox.")
    assert file.read_text() == "mine\n"
    assert [p.name for p in busy.iterdir()] == ["origin.git"]
