"""Helpers for the ledger tests: an application clone configured for a real database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pyrage import x25519

from tests.conftest import MariaDB, Sandbox

PASSWORD_ENV = "STAGECRAFT_TEST_QA_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_TEST_QA_AGE_IDENTITY"


def configure(sandbox: Sandbox, mariadb: MariaDB, database: str, monkeypatch: pytest.MonkeyPatch,
              alters: dict[str, str], *, table: str = "release_alters") -> Path:
    """Write release.toml (environment `qa` on the test server) and the alters files."""
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    identity = x25519.Identity.generate()
    identity_file = sandbox.app.parent / "age-identity.txt"
    identity_file.write_text(f"{identity}\n")
    monkeypatch.setenv(IDENTITY_ENV, str(identity_file))
    names = ", ".join(f'"{name}"' for name in alters)
    (sandbox.app / "release.toml").write_text(
        f"[alters]\nfiles = [{names}]\nledger_table = \"{table}\"\n\n"
        "[environments.qa.database]\n"
        f'name = "{database}"\nhost = "{mariadb.host}"\nport = {mariadb.port}\n'
        f'user = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        f'[backups]\ndir = "{sandbox.app.parent / "backups"}"\n'
        f'recipients = ["{identity.to_public()}"]\nidentity_env = "{IDENTITY_ENV}"\n'
    )
    for name, text in alters.items():
        (sandbox.app / name).write_text(text)
    return sandbox.app


def load_client_dump(mariadb: MariaDB, database: str, folder: Path) -> None:
    """The client's mhlogin_dump.sql, loaded with the mariadb client as a person would."""
    with (folder / "mhlogin_dump.sql").open("rb") as dump:
        subprocess.run(
            ["mariadb", f"--socket={mariadb.socket}", "--user=root", database],
            stdin=dump, check=True, capture_output=True,
        )


def query(mariadb: MariaDB, database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def client_alters(folder: Path) -> str:
    return (folder / "alters.sql").read_text()


def backup_text(sandbox: Sandbox, path: Path) -> bytes:
    """The plaintext of an encrypted backup, decrypted with the sandbox's age identity."""
    import io

    from release.db.backups.stream import decrypt, identities

    plain = io.BytesIO()
    decrypt(path, identities(str(sandbox.app.parent / "age-identity.txt"), IDENTITY_ENV), plain)
    return plain.getvalue()


def silenced(text: str, path: str = "alters.sql") -> str:
    """The alters text with `-- noqa: CODE` on every line holding an error apply refuses: what
    a team writes when it means the DROP (the client's files were never linted)."""
    from release.alters.gate import unsilenced_errors
    from release.alters.parse import parse_alters

    parsed = parse_alters(text, path)
    findings = unsilenced_errors([(parsed, text)], {b.id for b in parsed.blocks},
                                 large_table_rows=10**9, table_rows={})
    codes: dict[int, set[str]] = {}
    for finding in findings:
        codes.setdefault(finding.line, set()).add(finding.code)
    lines = text.splitlines()
    for number, found in codes.items():
        lines[number - 1] += f"  -- noqa: {', '.join(sorted(found))}"
    return "\n".join(lines) + "\n"
