from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyrage import x25519

from release.db.backups.stream import (
    AGE_HEADER,
    TABLE_MARKER,
    CountingReader,
    decrypt,
    encrypt,
    identities,
    recipients,
)
from release.errors import ConfigError, Failed


class Trickle(io.RawIOBase):
    """A pipe that hands out a few bytes at a time, splitting markers across reads."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.data[self.at:self.at + min(self.step, len(buffer))]
        buffer[:len(chunk)] = chunk
        self.at += len(chunk)
        return len(chunk)


def test_tables_are_counted_even_when_a_marker_is_split_between_reads() -> None:
    data = b"".join(TABLE_MARKER + b"`t%d`\nINSERT ...;\n" % n for n in range(7))
    for step in (1, 5, 13, 4096):
        reader = CountingReader(Trickle(data, step), None)
        reader.progress = lambda done, tables: None
        while reader.read(64):
            pass
        assert (reader.bytes, reader.tables) == (len(data), 7), step


def test_encrypted_output_round_trips_and_only_its_identity_opens_it(tmp_path: Path) -> None:
    identity = x25519.Identity.generate()
    plaintext = b"INSERT INTO auth_user VALUES (1, 'someone@example.com');\n" * 5000
    path = tmp_path / "dump.age"
    with path.open("wb") as out:
        _, size, _ = encrypt(io.BytesIO(plaintext), out.fileno(), [identity.to_public()])
    assert path.read_bytes().startswith(AGE_HEADER) and size == len(plaintext)
    sink = io.BytesIO()
    decrypt(path, [identity], sink)
    assert sink.getvalue() == plaintext
    with pytest.raises(Failed, match="cannot be decrypted"):
        decrypt(path, [x25519.Identity.generate()], io.BytesIO())


def test_missing_or_malformed_keys_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="recipients is empty"):
        recipients(())
    with pytest.raises(ConfigError, match="is not an age or SSH public key"):
        recipients(("age1notakey",))
    with pytest.raises(ConfigError, match="cannot read the age identity file"):
        identities(str(tmp_path / "missing.txt"), "RELEASE_AGE_IDENTITY")
    (tmp_path / "empty.txt").write_text("# nothing here\n")
    with pytest.raises(ConfigError, match="holds no age or SSH private key"):
        identities(str(tmp_path / "empty.txt"), "RELEASE_AGE_IDENTITY")
