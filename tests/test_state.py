"""release.state: where Stagecraft keeps a repository's state, and the one atomic write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from release.state import state_dir, write_atomically


def test_the_state_folder_is_inside_the_git_common_dir(tmp_path: Path) -> None:
    assert state_dir(tmp_path / ".git") == tmp_path / ".git" / "stagecraft"


def test_a_write_makes_the_folder_and_a_private_file_and_replaces_it_whole(
        tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "progress.json"
    write_atomically(path, '{"step": 1}\n')
    assert path.read_text() == '{"step": 1}\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_atomically(path, b"\x00binary", mode=0o644)
    assert path.read_bytes() == b"\x00binary"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(path.parent) == ["progress.json"]  # no partial file left behind


def test_a_write_that_fails_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    write_atomically(path, "old\n")
    with pytest.raises(TypeError):
        write_atomically(path, 42)  # type: ignore[arg-type]
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["records.json"]
