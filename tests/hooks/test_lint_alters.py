from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from release.hooks.lint_alters import main

from release.alters.registry import RULES
from release.demo import sample
from tests.support.git import commit, git

SAFE = "-- alter: safe\nALTER TABLE t ADD COLUMN c int NULL, ALGORITHM=INSTANT;\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_sample_alters_fails_with_sorted_findings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alters.sql"
    path.write_text(sample.alters_sql())
    status, lines, err = run(capsys, str(path))
    assert status == 1 and err == ""
    assert lines[0] == (
        f"{path}:1:1: AL002 BEGIN (line 1) ... COMMIT (line 33) wraps 9 "
        "DDL statement(s): MySQL commits implicitly around DDL, so this protects nothing; "
        "remove the wrapper")
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)
    assert any(":15:32: AL020 ADD COLUMN insurance_id NOT NULL" in line for line in lines)


def test_client_alters_fails_with_sorted_findings(
        client_files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = run(capsys, str(client_files / "alters.sql"))
    assert status == 1 and err == ""
    assert lines[0] == (
        f"{client_files / 'alters.sql'}:1:1: AL002 BEGIN (line 1) ... COMMIT (line 45) wraps 27 "
        "DDL statement(s): MySQL commits implicitly around DDL, so this protects nothing; "
        "remove the wrapper")
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)
    assert any(":7:1: AL010 DROP TABLE Partners_partnerip" in line for line in lines)


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alters.sql"
    path.write_text(sample.alters_sql())
    status, lines, _ = run(capsys, "--format", "json", str(path))
    rows = json.loads("\n".join(lines))
    assert status == 1
    assert {"path", "line", "col", "code", "message", "level"} == set(rows[0])
    assert [row["line"] for row in rows if row["level"] == "error"] == [1, 15]


def test_json_format_on_the_client_file(client_files: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "--format", "json", str(client_files / "alters.sql"))
    rows = json.loads("\n".join(lines))
    assert status == 1
    assert sum(1 for row in rows if row["code"] == "AL010") == 4


def test_sample_new_blocks_pass_even_strict(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alters.sql"
    path.write_text(sample.SAFE_BLOCK)
    assert run(capsys, "--strict", str(path))[:2] == (0, [])


def test_german_alters_passes_even_strict(client_files: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, str(client_files / "alters_de.sql"))[:2] == (0, [])
    assert run(capsys, "--strict", str(client_files / "alters_de.sql"))[:2] == (0, [])


def test_warnings_fail_only_with_strict(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alters.sql"
    path.write_text("ALTER TABLE t MODIFY c bigint NULL;\n")
    status, lines, _ = run(capsys, str(path))
    assert status == 0 and [line.split()[1] for line in lines] == ["AL030", "AL022"]
    assert lines[0].endswith("(warning)")
    assert run(capsys, "--strict", str(path))[0] == 1


@pytest.mark.parametrize(("content", "expected"), [
    (b"", None),
    (b"-- nothing yet\n# still nothing\n/* later */\n", None),
    (b"SELECT 1;\nSELECT 'oops;\nSELECT 2;\n", ":2:8: AL001 unterminated string"),
    (b"SELECT 1;\n/* never closed\n", ":2:1: AL001 unterminated comment"),
    (b"SELECT 1;\nSELECT `x;\n", ":2:8: AL001 unterminated quoted identifier"),
    (b"SELECT 1;\nSELECT '\xe9';\n", ":2:9: AL001 not valid UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ":3:1: AL001 binary content"),
])
def test_bad_input_is_a_finding_with_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str | None
) -> None:
    path = tmp_path / "alters.sql"
    path.write_bytes(content)
    status, lines, err = run(capsys, str(path))
    if expected is None:
        assert (status, lines, err) == (0, [], "")
    else:
        assert status == 1 and err == ""
        assert lines[0].startswith(f"{path}{expected}")


def test_missing_file_and_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, str(tmp_path / "nope.sql"), str(tmp_path))
    assert status == 1
    assert lines == [
        f"{tmp_path}:1:1: AL001 is a directory, not a file: pass the file itself",
        f"{tmp_path / 'nope.sql'}:1:1: AL001 no such file: check the path (and [alters] in "
        "release.toml)",
    ]


def test_five_megabyte_file_is_linted_to_its_last_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    block = ("-- alter: b{}\nALTER TABLE `t` ADD COLUMN `c` varchar(30) DEFAULT NULL, "
             "ALGORITHM=INPLACE, LOCK=NONE;\n")
    count = 5_000_000 // len(block) + 1
    text = "".join(block.format(i) for i in range(count))
    text += "-- alter: last\nDROP TABLE x;\nALTER TABLE t ADD COLUMN d int NOT NULL;\nSELEC 1;\n"
    path = tmp_path / "alters.sql"
    path.write_text(text)
    assert path.stat().st_size > 5_000_000
    status, lines, _ = run(capsys, str(path))
    last = 2 * count
    assert status == 1
    assert [line.split(": ")[0].split(":", 1)[1] + " " + line.split()[1] for line in lines] == [
        f"{last + 2}:1 AL010", f"{last + 3}:1 AL030", f"{last + 3}:15 AL020", f"{last + 4}:1 AL001"]


def app_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "app"
    git(tmp_path, "init", "--quiet", "--initial-branch=master", str(repo))
    return repo


def test_hook_lints_only_blocks_not_yet_released(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    shipped = "-- alter: old\nDROP TABLE legacy;  -- noqa: AL030\n"
    commit(repo, "alters.sql", shipped, "old alter")
    git(repo, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    (repo / "alters.sql").write_text(shipped + "-- alter: new\nDROP TABLE other;\n")
    monkeypatch.chdir(repo)
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 1 and [line.split()[1] for line in lines] == ["AL010"]
    assert lines[0].startswith("alters.sql:4:1: AL010 DROP TABLE other")
    status, lines, _ = run(capsys, "--all", "alters.sql")
    assert [line.split(":")[1] for line in lines] == ["2", "4"]


def test_hook_reports_an_edited_shipped_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    commit(repo, "alters.sql", SAFE, "safe alter")
    git(repo, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    (repo / "alters.sql").write_text(SAFE.replace("int NULL", "bigint NULL"))
    monkeypatch.chdir(repo)
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 1
    assert lines == ["alters.sql:1:1: AL041 block safe shipped in release-2024.01.01.1 and has "
                     "been edited since: restore it and put the change in a new block"]
    # trimming the shipped block out of the file is allowed
    (repo / "alters.sql").write_text("")
    assert run(capsys, "alters.sql")[:2] == (0, [])


def test_table_stats_file_feeds_al031(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    commit(repo, "alters.sql", "ALTER TABLE big ADD c int NULL, ALGORITHM=COPY, LOCK=SHARED;\n",
           "alter")
    monkeypatch.chdir(repo)
    assert run(capsys, "alters.sql")[0] == 0
    stats = repo / ".git" / "stagecraft" / "table-stats.json"
    stats.parent.mkdir(exist_ok=True)
    stats.write_text('{"big": 2000000}')
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 1 and "AL031" in lines[0] and "2,000,000 rows" in lines[0]
    other = tmp_path / "stats.json"
    other.write_text("[1, 2]")
    status, lines, err = run(capsys, "--table-stats", str(other), "alters.sql")
    assert status == 2 and "table stats must be a JSON object" in err


def test_cache_makes_a_second_run_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    (repo / "alters.sql").write_text(sample.alters_sql())
    monkeypatch.chdir(repo)
    first = run(capsys, "--no-server", "alters.sql")
    assert (repo / ".git" / "stagecraft" / "cache.sqlite3").is_file()
    assert run(capsys, "--no-server", "alters.sql") == first


def test_hook_reports_a_committed_edit_of_a_shipped_block_while_resuming_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    blocks = [f"-- alter: b{i}\nALTER TABLE t{i} ADD c int NULL, ALGORITHM=INSTANT;\n"
              for i in range(4)]
    commit(repo, "alters.sql", "".join(blocks), "history")
    git(repo, "tag", "-a", "-m", "release", "release-2024.01.01.1")
    blocks[0] = blocks[0].replace("int NULL", "bigint NULL")
    commit(repo, "alters.sql", "".join(blocks), "edit a shipped block")
    (repo / "alters.sql").write_text("".join(blocks) + "-- alter: b4\nDROP TABLE t;\n")
    monkeypatch.chdir(repo)
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 1
    assert [(line.split(":")[1], line.split()[1]) for line in lines] == [
        ("1", "AL041"), ("10", "AL010")]
    status, lines, _ = run(capsys, "--all", "alters.sql")
    assert [(line.split(":")[1], line.split()[1]) for line in lines] == [
        ("1", "AL041"), ("10", "AL010")]


# fragments that used to be cut apart, and neighbours whose batch could hide them
ORDER_FILES = {
    "handler.sql": "DECLARE EXIT HANDLER FOR SQLSTATE '1'\nBEGIN\nSELECT 1;\nEND;\n",
    "warning.sql": "DECLARE EXIT HANDLER FOR SQLWARNING\nBEGIN\nSELECT 1;\nEND;\n",
    "fragment.sql": "SELECT 0;\nEND IF;\n",
    "batch.sql": "IF @x = 0 THEN SELECT 1;\nEND IF;\nSELECT 2;\n",
    "plain.sql": "ALTER TABLE t ADD c int NULL;\nSELEC 1;\nSELECT 1;\n",
    "mariadb.sql": "INSERT INTO t (a) VALUES (1) RETURNING id;\n",
}


def lint_each(capsys: pytest.CaptureFixture[str], names: list[str],
              *options: str) -> dict[str, tuple[int, list[str]]]:
    return {name: run(capsys, "--all", "--no-server", *options, name)[:2] for name in names}


@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_findings_do_not_depend_on_what_was_linted_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    dialect: str,
) -> None:
    repo = app_repo(tmp_path)
    for name, text in ORDER_FILES.items():
        (repo / name).write_text(text)
    monkeypatch.chdir(repo)
    names = sorted(ORDER_FILES)
    cache = repo / ".git" / "stagecraft"
    cold = lint_each(capsys, names, "--dialect", dialect)
    warm = lint_each(capsys, names, "--dialect", dialect)
    shutil.rmtree(cache)
    reverse_cold = lint_each(capsys, names[::-1], "--dialect", dialect)
    reverse_warm = lint_each(capsys, names[::-1], "--dialect", dialect)
    assert cold == warm == reverse_cold == reverse_warm
    assert cold["handler.sql"][0] == cold["warning.sql"][0] == 0
    assert cold["fragment.sql"][0] == 1 and cold["plain.sql"][0] == 1
    assert cold["mariadb.sql"][0] == (1 if dialect == "mysql" else 0)


def test_dialect_option_names_the_dialect_in_al001(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "alters.sql"
    path.write_text("SELECT NEXT VALUE FOR order_numbers;\n")
    status, lines, _ = run(capsys, "--no-server", "--dialect", "mysql", str(path))
    assert status == 1 and 'AL001 does not parse as MySQL (dialect "mysql")' in lines[0]
    assert "it is valid MariaDB" in lines[0]
    assert run(capsys, "--no-server", "--dialect", "mariadb", str(path))[:2] == (0, [])


def test_dialect_comes_from_release_toml_then_from_the_last_server_seen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from release.alters.table_stats import remember

    repo = app_repo(tmp_path)
    (repo / "alters.sql").write_text("DROP INDEX IF EXISTS i ON t;\n")
    monkeypatch.chdir(repo)
    assert run(capsys, "--no-server", "alters.sql")[0] == 1  # nothing known: mysql
    remember(repo / ".git" / "stagecraft", "qa", {}, server="10.11.6-MariaDB-0+deb12u1")
    assert run(capsys, "--no-server", "alters.sql")[:2] == (0, [])
    (repo / "release.toml").write_text('[alters]\ndialect = "mysql"\n')
    status, lines, _ = run(capsys, "--no-server", "alters.sql")
    assert status == 1 and 'dialect "mysql"' in lines[0]
    (repo / "release.toml").write_text('[alters]\ndialect = "postgres"\n')
    status, _, err = run(capsys, "--no-server", "alters.sql")
    assert status == 2 and "alters.dialect" in err and "postgres" in err


def test_the_servers_recorded_answer_decides_al030(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from release.alters.explain_store import Explained, record_explained
    from release.alters.ledger_plan import statement_checksum
    from release.alters.parse import parse_alters

    repo = app_repo(tmp_path)
    text = "ALTER TABLE t ENGINE=InnoDB;\nALTER TABLE u ADD c int NULL;\n"
    (repo / "alters.sql").write_text(text)
    monkeypatch.chdir(repo)
    rebuild, add = parse_alters(text, "alters.sql").blocks[0].statements
    assert [line.split()[1] for line in run(capsys, "alters.sql")[1]] == ["AL030"]
    folder = repo / ".git" / "stagecraft"
    record_explained(folder, {statement_checksum(rebuild): Explained("INPLACE", "NONE", "qa")})
    assert run(capsys, "alters.sql")[:2] == (0, [])
    record_explained(folder, {statement_checksum(add): Explained("COPY", "SHARED", "qa")})
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 0 and len(lines) == 1
    assert lines[0].startswith("alters.sql:2:1: AL030 ALTER of u: the server on qa said it "
                               "would run it with ALGORITHM=COPY, LOCK=SHARED")
    (folder / "table-stats.json").write_text('{"t": 5000000, "u": 5000000}')
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 1 and [line.split()[1] for line in lines] == ["AL030", "AL031"]


def test_damaged_state_under_git_is_named_by_its_path_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    (repo / "alters.sql").write_text(SAFE)
    monkeypatch.chdir(repo)
    folder = repo / ".git" / "stagecraft"
    folder.mkdir()
    for name, text, problem in (
            ("explain.json", '{"statements": {"k": {"algorithm": "FAST", "lock": "NONE"}}}',
             "statements.k.algorithm: expected one of"),
            ("table-stats.json", '{"t": "big"}', "t: expected an integer")):
        (folder / name).write_text(text)
        status, lines, err = run(capsys, "alters.sql")
        assert (status, lines) == (1, [])
        assert f"{folder / name}: damaged: {problem}" in err and "Traceback" not in err
        (folder / name).unlink()
    assert run(capsys, "alters.sql")[0] == 0


def test_list_rules_prints_every_al_and_pi_code_with_its_level(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = run(capsys, "--list-rules")
    assert (status, err) == (0, "")
    assert lines[0].split() == ["code", "level", "summary"]
    rows = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert rows["AL001"] == "error" and rows["AL030"] == "warning" and rows["PI006"] == "error"
    assert rows == {code: rule.level for code, rule in RULES.items()}


def test_list_rules_as_json_shows_the_anti_pattern_and_the_better_way(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "--list-rules", "--format", "json")
    rules = {row["code"]: row for row in json.loads("\n".join(lines))}
    assert status == 0
    assert rules["AL013"]["anti_pattern"] == "UPDATE orders SET status = 'new';"
    assert "WHERE" in rules["AL013"]["better"]


def test_list_rules_with_file_names_is_bad_usage(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--list-rules", str(tmp_path / "alters.sql")])
    assert stopped.value.code == 2
    assert "--list-rules takes no file names" in capsys.readouterr().err


def test_without_check_with_a_private_server_started_for_the_run_decides_al001(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = app_repo(tmp_path)
    (repo / "alters.sql").write_text("SAVEPOINT s;\nDELETE FROM t WHERE id > 3 LIMIT 0,25;\n")
    monkeypatch.chdir(repo)
    status, lines, _ = run(capsys, "alters.sql")
    assert status == 1 and len(lines) == 1
    assert lines[0].startswith("alters.sql:2:1: AL001 the server does not parse it (")
    assert "a private server started on this machine): error 1064" in lines[0]
    kept = json.loads((repo / ".git" / "stagecraft" / "al001-server.json").read_text())
    assert len(kept["verdicts"]) == 2
    assert run(capsys, "alters.sql")[:2] == (status, lines)
    status, lines, _ = run(capsys, "--no-server", "alters.sql")
    assert all("sqlfluff's verdict: no server was asked" in line for line in lines)


def test_a_header_typo_fails_the_hook_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alters.sql"
    path.write_text(SAFE + "-- alter 20261204-x\n"
                    "ALTER TABLE t ADD COLUMN d int NULL, ALGORITHM=INSTANT;\n")
    status, lines, _ = run(capsys, str(path))
    assert status == 1
    assert lines == [f"{path}:3:1: AL040 '-- alter 20261204-x' looks like a block header but "
                     "is not one (no colon): a block header is `-- alter: <id>` (two dashes, a "
                     "space, `alter:`, the id); fix the line, or reword the comment. Until then "
                     "the statements after it form a block of their own that nothing applies"]
