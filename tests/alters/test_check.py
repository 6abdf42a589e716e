"""The I/O edge of linting, on real files and real git repositories."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from release.alters.cache import Cache
from release.alters.check import Workspace, lint_alters_paths, lint_push_instruction_paths
from release.errors import ConfigError
from tests.support.git import commit, git
from tests.support.toml import Alters, release_toml

SHIPPED = "-- alter: old\nALTER TABLE t ADD c int NULL;\n"
HEADER = "Push instructions\n\n"


def app_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "app"
    git(tmp_path, "init", "--quiet", "--initial-branch=master", str(repo))
    return repo


def release(repo: Path, tag: str = "release-2026.01.05.1") -> None:
    git(repo, "tag", "-a", "-m", "release", tag)


def test_outside_a_repository_nothing_shipped_and_every_block_linted(tmp_path: Path) -> None:
    space = Workspace.at(tmp_path)
    assert (space.repo, space.config, space.cache_dir) == (None, None, None)
    assert space.relative(tmp_path / "alters.sql") is None and space.last_tag() is None
    path = tmp_path / "alters.sql"
    path.write_text("-- alter: a\nDROP TABLE x;\n-- alter: b\nTRUNCATE y;\n")
    found = lint_alters_paths([path], cwd=tmp_path, all_blocks=False)
    assert [(f.path, f.line, f.code) for f in found] == [
        (str(path), 2, "AL010"), (str(path), 4, "AL012")]


def test_the_workspace_reads_files_at_the_last_release_tag(tmp_path: Path) -> None:
    repo = app_repo(tmp_path)
    commit(repo, "db/alters.sql", SHIPPED, "alters")
    release(repo)
    commit(repo, "db/alters.sql", SHIPPED + "-- alter: new\nSELECT 1;\n", "more")
    space = Workspace.at(repo / "db")
    assert space.cache_dir == repo / ".git" / "stagecraft"
    assert space.relative(repo / "db" / "alters.sql") == "db/alters.sql"
    assert space.relative(tmp_path / "elsewhere.sql") is None
    assert space.last_tag() == "release-2026.01.05.1"
    assert space.file_at("release-2026.01.05.1", "db/alters.sql") == SHIPPED.rstrip("\n")
    assert space.file_at("release-2026.01.05.1", "db/missing.sql") is None


def test_an_outline_is_parsed_once_per_content_and_cached_by_its_blob(tmp_path: Path) -> None:
    repo = app_repo(tmp_path)
    commit(repo, "alters.sql", SHIPPED, "alters")
    space = Workspace.at(repo)
    outline = space.outline("HEAD", "alters.sql")
    assert outline is not None and [m.id for m in outline.marks] == ["old"]
    blob = git(repo, "rev-parse", "HEAD:alters.sql")
    assert set(Cache(space.cache_dir).get("outline", [blob])) == {blob}
    assert space.outline("HEAD", "nope.sql") is None


def test_a_shipped_block_edited_is_al041_in_the_hook_and_with_all(tmp_path: Path) -> None:
    repo = app_repo(tmp_path)
    commit(repo, "alters.sql", SHIPPED, "alters")
    release(repo)
    (repo / "alters.sql").write_text(SHIPPED.replace("int", "bigint"))
    for all_blocks in (False, True):
        found = lint_alters_paths([repo / "alters.sql"], cwd=repo, all_blocks=all_blocks)
        assert [(f.path, f.code) for f in found] == [("alters.sql", "AL041")]


def test_table_stats_that_cannot_be_used_are_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "alters.sql"
    path.write_text("ALTER TABLE big ADD c int NULL, ALGORITHM=COPY, LOCK=SHARED;\n")
    stats = tmp_path / "stats.json"
    stats.write_text('{"big": 2000000}')
    found = lint_alters_paths([path], cwd=tmp_path, all_blocks=True, table_stats=stats)
    assert [f.code for f in found] == ["AL031"]
    for text, message in (("{oops", "cannot read the table stats"),
                          ('{"big": "many"}', "table stats must be a JSON object")):
        stats.write_text(text)
        with pytest.raises(ConfigError, match=message):
            lint_alters_paths([path], cwd=tmp_path, all_blocks=True, table_stats=stats)
    with pytest.raises(ConfigError, match="cannot read the table stats"):
        lint_alters_paths([path], cwd=tmp_path, all_blocks=True,
                          table_stats=tmp_path / "missing.json")


def test_push_instructions_are_checked_against_today(tmp_path: Path) -> None:
    notes = tmp_path / "production_push_instructions.txt"
    notes.write_text(HEADER + "2026-03-02: ann, clear the page cache\n")
    assert lint_push_instruction_paths([notes], cwd=tmp_path,
                                       today=datetime.date(2026, 3, 2)) == []
    found = lint_push_instruction_paths([notes], cwd=tmp_path, today=datetime.date(2026, 3, 1))
    assert [(f.line, f.code) for f in found] == [(3, "PI003")]


def test_pending_blocks_are_counted_over_the_configured_alters_files(tmp_path: Path) -> None:
    repo = app_repo(tmp_path)
    (repo / "release.toml").write_text(
        release_toml(alters=Alters(files=["alters.sql", "alters_de.sql"])))
    commit(repo, "alters.sql", SHIPPED, "alters")
    release(repo)
    notes = repo / "production_push_instructions.txt"
    notes.write_text(HEADER + "2026-03-02: ann, run alters.sql\n")
    today = datetime.date(2026, 3, 5)
    found = lint_push_instruction_paths([notes], cwd=repo, today=today)
    assert [f.code for f in found] == ["PI007"]
    (repo / "alters_de.sql").write_text("-- alter: de\nALTER TABLE t ADD d int NULL;\n")
    assert lint_push_instruction_paths([notes], cwd=repo, today=today) == []


def test_an_unreadable_file_is_a_finding_of_each_linter(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    (alters,) = lint_alters_paths([missing], cwd=tmp_path, all_blocks=True)
    (notes,) = lint_push_instruction_paths([missing], cwd=tmp_path)
    assert (alters.code, notes.code) == ("AL001", "PI002")
    assert alters.message.startswith("no such file")
