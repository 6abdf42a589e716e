"""What the parts of `invoke demo` share: running a task (or a hook) as a user would, age keys
for the sandbox, and loading SQL into a private server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from release.console import say

MISSING_MARIADB = ("(Skipping the databases: they need MariaDB's server; install it with "
                   "`apt-get install mariadb-server` and run the demo again.)\n")
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Demo Dev", "GIT_AUTHOR_EMAIL": "dev@example.invalid",
                "GIT_COMMITTER_NAME": "Demo Dev", "GIT_COMMITTER_EMAIL": "dev@example.invalid"}


def step(cwd: Path, *args: str, env: dict[str, str] | None = None, expect: int = 0) -> None:
    """Run `invoke ARGS` in `cwd` as its own process, show its output, insist on its exit."""
    _shown(cwd, ["invoke", *args], [sys.executable, "-m", "invoke", *args], env, expect)


def hook(cwd: Path, *args: str, expect: int = 0) -> None:
    """Run the alters hook as pre-commit runs it on a commit (its console script's code)."""
    _shown(cwd, ["release-lint-alters", *args],
           [sys.executable, "-m", "release.hooks.lint_alters", *args], None, expect)


def _shown(cwd: Path, shown: list[str], argv: list[str], env: dict[str, str] | None,
           expect: int) -> None:
    say(f"$ {' '.join(shown)}")
    result = subprocess.run(argv, cwd=cwd,
                            env={**os.environ, **GIT_IDENTITY, **(env or {})}, text=True,
                            capture_output=True, check=False, stdin=subprocess.DEVNULL)
    for line in (result.stdout + result.stderr).splitlines():
        say(f"    {line}")
    if result.returncode != expect:
        raise SystemExit(f"demo step `{' '.join(shown)}` exited {result.returncode}, "
                         f"expected {expect}")
    say(f"    (exit {result.returncode})\n" if expect else "")


def new_age_identity(folder: Path) -> tuple[str, Path]:
    """A fresh age key pair: the public key (for [backups] recipients) and the 0600 identity."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "age-identity.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{identity}\n")
    return str(identity.to_public()), path


def load_sql(host: str, port: int, user: str, password: str, database: str, sql: str) -> None:
    """Feed a SQL script to the mariadb client, the password in an in-memory option file."""
    from release.db.credentials import Credentials, client_option_file

    creds = Credentials("demo", database, host, port, "", user, password)
    with client_option_file(creds) as options:
        subprocess.run(["mariadb", f"--defaults-extra-file={options}", database],
                       input=sql.encode(), check=True, capture_output=True,
                       pass_fds=options.fds)
