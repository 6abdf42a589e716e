"""Read a file to lint, turning every way it can be unreadable into a finding with a line."""

from __future__ import annotations

from pathlib import Path

from release.alters.findings import Finding


def read_source(path: Path, shown: str, code: str) -> tuple[str | None, list[Finding]]:
    """The file's text, or None and the finding that explains why it cannot be linted."""

    def refuse(line: int, col: int, message: str) -> tuple[str | None, list[Finding]]:
        return None, [Finding(shown, line, col, code, message)]

    if path.is_dir():
        return refuse(1, 1, "is a directory, not a file: pass the file itself")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return refuse(1, 1, "no such file: check the path (and [alters] in release.toml)")
    except OSError as error:
        return refuse(1, 1, f"cannot be read: {error.strerror or error}")
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _position(data, nul)
        return refuse(line, col, "binary content (a NUL byte): this is not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _position(data, error.start)
        return refuse(line, col, f"not valid UTF-8 (byte 0x{data[error.start]:02x}): save the "
                      "file as UTF-8")
    return text.removeprefix("\ufeff"), []


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
