from __future__ import annotations

from pathlib import Path

import pytest
from release.hooks.lint_push_instructions import main

from release.demo import sample
from tests.support.git import commit, git

HEADER = "Push instructions\n-=-=-\n\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = main(list(argv))
    return status, capsys.readouterr().out.splitlines()


def test_sample_file_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # beside its alters.sql, so "run alters.sql" has pending blocks
    (tmp_path / "alters.sql").write_text(sample.alters_sql())
    path = tmp_path / "production_push_instructions.txt"
    path.write_text(sample.push_instructions())
    assert run(capsys, str(path)) == (0, [])


def test_client_file_passes(client_files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the fixture folder holds alters.sql, so "run alters.sql" has pending blocks
    assert run(capsys, str(client_files / "production_push_instructions.txt")) == (0, [])


def test_pasted_password_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "production_push_instructions.txt"
    path.write_text(HEADER + "2013-08-11: KurtV, back up first:\n"
                    "    $ mysqldump -uroot -pS3cret mhlogin > dump.sql\n")
    status, lines = run(capsys, str(path))
    assert status == 1
    assert lines == [f"{path}:5:7: PI006 a literal -p<password> on a command line is pasted "
                     "here: remove it, rotate it, and refer to where the secret is kept instead"]


def test_run_alters_without_a_pending_block_after_a_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "app"
    git(tmp_path, "init", "--quiet", "--initial-branch=master", str(repo))
    (repo / "alters.sql").write_text(sample.alters_sql())
    commit(repo, "production_push_instructions.txt", HEADER, "start")
    git(repo, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    monkeypatch.chdir(repo)
    git(repo, "add", "alters.sql")
    git(repo, "commit", "--quiet", "-m", "alters")
    git(repo, "tag", "-a", "-m", "release", "release-2024.01.02.1")
    notes = repo / "production_push_instructions.txt"
    notes.write_text(HEADER + "2024-01-03: ann, please run alters.sql\n")
    status, lines = run(capsys, str(notes.name))
    assert status == 1 and [line.split()[1] for line in lines] == ["PI007"]
    with (repo / "alters.sql").open("a") as handle:
        handle.write("-- alter: new-one\nALTER TABLE t ADD c int NULL, ALGORITHM=INSTANT;\n")
    assert run(capsys, str(notes.name)) == (0, [])


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"Header\n\n2024-01-01: ann, caf\xe9\n")
    status, lines = run(capsys, str(path))
    assert status == 1 and lines[0].startswith(f"{path}:3:21: PI002 not valid UTF-8")


def test_a_reflowed_shipped_entry_is_not_new_so_it_needs_no_pending_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "app"
    git(tmp_path, "init", "--quiet", "--initial-branch=master", str(repo))
    commit(repo, "alters.sql", "-- alter: one\nALTER TABLE t ADD c int NULL, ALGORITHM=INSTANT;\n",
           "alters")
    commit(repo, "production_push_instructions.txt",
           HEADER + "2024-01-01: ann, run alters.sql and then restart the workers\n", "steps")
    git(repo, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    monkeypatch.chdir(repo)
    notes = repo / "production_push_instructions.txt"
    notes.write_text(HEADER + "2024-01-01: ann, run alters.sql and then\n"
                     "    restart the workers\n")
    assert run(capsys, notes.name) == (0, [])
    notes.write_text(HEADER + "2024-01-01: ann, run alters.sql and then restart the workers\n"
                     "2024-01-02: bob, run alters.sql again\n")
    status, lines = run(capsys, notes.name)
    assert status == 1 and [line.split()[1] for line in lines] == ["PI007"]


def test_list_rules_prints_the_pi_codes(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(capsys, "--list-rules")
    assert status == 0
    assert [line.split()[:2] for line in lines] == [["code", "level"]] + [
        [f"PI00{n}", "error"] for n in range(1, 8)]
    assert lines[1].endswith("the push instructions lost their free-text header")
