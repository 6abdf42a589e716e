"""The dump pipeline: client tool stdout -> zstd -> age -> file, and back. Plaintext only ever
lives in memory buffers and pipes: nothing unencrypted is written to a file."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

import pyrage
import zstandard

from release.errors import ConfigError, Failed

AGE_HEADER = b"age-encryption.org/v1"
TABLE_MARKER = b"\n-- Dumping data for table "
ZSTD_LEVEL = 1
HEADER_LIMIT = 1 << 16  # an age header is a few hundred bytes a recipient

Progress = Callable[[int, int], None]   # (plaintext bytes so far, tables so far)


class CountingReader(io.RawIOBase):
    """Reads the tool's stdout, counting bytes and the tables it has started dumping."""

    def __init__(self, source: IO[bytes], progress: Progress | None) -> None:
        self.source = source
        self.progress = progress
        self.bytes = 0
        self.tables = 0
        self._tail = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = self.source.readinto(buffer)  # type: ignore[attr-defined]
        if not size:
            return 0
        self.bytes += size
        if self.progress:
            # The tail is shorter than a marker, so every marker found here ends in this read.
            window = self._tail + memoryview(buffer)[:size]
            self.tables += window.count(TABLE_MARKER)
            self._tail = window[-len(TABLE_MARKER) + 1:]
            self.progress(self.bytes, self.tables)
        return int(size)


class _HashingWriter(io.RawIOBase):
    """Writes ciphertext to a file descriptor and hashes it on the way."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.sha256.update(view)
        written = 0
        while written < len(view):
            written += os.write(self.fd, view[written:])
        self.bytes += len(view)
        return len(view)


def recipients(keys: tuple[str, ...]) -> list[Any]:
    if not keys:
        raise ConfigError("[backups] recipients is empty: dumps are encrypted to age public "
                          "keys. Add at least one (`age-keygen -y KEYFILE` prints yours).")
    parsed = []
    for key in keys:
        try:
            if key.startswith("age1"):
                parsed.append(pyrage.x25519.Recipient.from_str(key))
            else:
                parsed.append(pyrage.ssh.Recipient.from_str(key))
        except Exception:
            raise ConfigError(f"backups.recipients: {key[:24]}... is not an age or SSH public "
                              "key") from None
    return parsed


def identities(value: str, variable: str) -> list[Any]:
    """The age (or SSH) identities in `value`: the key itself (`AGE-SECRET-KEY-1...`, one or
    more lines) or the path of a file holding it. A message names the variable, or the file,
    never a key."""
    if value.lstrip().startswith(("AGE-SECRET-KEY-", "-----BEGIN")):
        return _parsed(value, f"{variable} (the key given inline)")
    path = Path(value).expanduser()
    # A value that is not path-like may be a mistyped key: it is never repeated.
    where = f"{variable}={path}" if os.sep in value and len(value) < 1024 else variable
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"{where}: cannot read the age identity file "
                          f"({error.__class__.__name__}). Set {variable} to the path of the "
                          "identity file, or to the key itself.") from None
    return _parsed(text, where)


def _parsed(text: str, where: str) -> list[Any]:
    keys = [line.strip() for line in text.splitlines() if line.strip().startswith(
        "AGE-SECRET-KEY-")]
    try:
        if keys:
            return [pyrage.x25519.Identity.from_str(key) for key in keys]
        return [pyrage.ssh.Identity.from_buffer(text.encode())]
    except Exception:
        raise ConfigError(f"{where}: holds no age or SSH private key.") from None


def require_decryptable(path: Path, keys: list[Any], variable: str) -> None:
    """Refuse, before anything is loaded, a dump none of `keys` opens: its header alone says
    so (a header that opens then runs out of data is what a good key meets)."""
    with path.open("rb") as source:
        head = source.read(HEADER_LIMIT)
    end = head.find(b"\n---")
    if end < 0:
        raise Failed(f"{path.name}: not an age file (no age header found). Nothing was "
                     "changed.")
    end = head.find(b"\n", end + 1) + 1
    try:
        pyrage.decrypt_io(io.BytesIO(head[:end + 16]), io.BytesIO(), keys)
    except pyrage.DecryptError as error:
        raise Failed(f"{path.name}: cannot be decrypted with the identity in {variable} "
                     f"({error}). Is it the key of one of [backups] recipients? Nothing was "
                     "loaded: the database was not changed.") from None
    except OSError:
        return  # the file key unwrapped: the rest of the stream is checked as it is read


def encrypt(source: IO[bytes], fd: int, keys: list[Any],
            progress: Progress | None = None) -> tuple[str, int, int]:
    """Compress and encrypt `source` into `fd`: (sha256 of the ciphertext, plaintext bytes,
    tables seen)."""
    reader = CountingReader(source, progress)
    compressed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_reader(cast(IO[bytes], reader))
    writer = _HashingWriter(fd)
    try:
        pyrage.encrypt_io(compressed, writer, keys)
    except pyrage.EncryptError as error:
        raise Failed(f"encrypting the dump failed: {error}") from None
    return writer.sha256.hexdigest(), reader.bytes, reader.tables


def decrypt(path: Path, keys: list[Any], sink: IO[bytes],
            progress: Progress | None = None) -> None:
    """Decrypt and decompress the dump at `path` into `sink` (a pipe to the client tool)."""
    with path.open("rb", buffering=0) as source:
        writer = zstandard.ZstdDecompressor().stream_writer(sink, closefd=False)
        try:
            pyrage.decrypt_io(CountingReader(source, progress), writer, keys)
        except pyrage.DecryptError as error:
            raise Failed(f"{path.name}: cannot be decrypted with the configured identity "
                         f"({error}). Is it the key of one of [backups] recipients?") from None
        except zstandard.ZstdError as error:
            raise Failed(f"{path.name}: the decrypted data is not a zstd stream ({error}).") \
                from None
        writer.flush()  # type: ignore[no-untyped-call]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
