from __future__ import annotations

from pathlib import Path

from release.alters.source import read_source


def test_a_utf8_file_is_read_without_its_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "alters.sql"
    path.write_bytes("\ufeffSELECT 'é';\n".encode())
    assert read_source(path, "alters.sql", "AL001") == ("SELECT 'é';\n", [])


def test_each_unreadable_file_is_one_finding_of_the_callers_code(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"ok\nab\x00c")
    (tmp_path / "latin1.txt").write_bytes(b"2026-01-01: ann, caf\xe9\n")
    cases = {
        "missing.txt": (1, 1, "no such file: check the path (and [alters] in release.toml)"),
        "binary.txt": (2, 3, "binary content (a NUL byte): this is not a text file"),
        "latin1.txt": (1, 21, "not valid UTF-8 (byte 0xe9): save the file as UTF-8"),
        ".": (1, 1, "is a directory, not a file: pass the file itself"),
    }
    for name, (line, col, message) in cases.items():
        text, (finding,) = read_source(tmp_path / name, name, "PI002")
        assert text is None
        assert (finding.path, finding.line, finding.col, finding.code, finding.message) == (
            name, line, col, "PI002", message)
        assert finding.level == "error"

