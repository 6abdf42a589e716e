"""No secret is ever echoed or left on disk: every secret set to a canary, every failure path
driven through the real `invoke`, and the canary looked for in every output and every file a
run could have written (the backups folder, the state folders, /tmp, the clone records)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pyrage import x25519

from tests.support.mariadb import MariaDB
from tests.support.production import Setup
from tests.support.toml import IDENTITY_ENV, PASSWORD_ENV


@dataclass
class Canaries:
    """The secrets of one test run, and everything the runs printed."""

    password: str
    identity: str                  # an age identity given inline
    said: list[str] = field(default_factory=list)
    written: set[Path] = field(default_factory=set)   # the test's own files: they hold secrets

    def all(self) -> list[str]:
        return [self.password, self.identity]


def _user(mariadb: MariaDB, name: str, password: str) -> None:
    with mariadb.connect() as conn, conn.cursor() as cur:
        for host in ("%", "localhost"):
            at = host.replace("%", "%%")  # a parameter follows: % is pymysql's
            cur.execute(f"CREATE USER '{name}'@'{at}' IDENTIFIED BY %s", (password,))
            cur.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{name}'@'{host}'")


@pytest.fixture
def canaries(setup: Setup, mariadb: MariaDB, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Canaries]:
    """Production logs in with a password variable, QA with an option file, both the canary;
    dumps are decrypted with an identity given inline."""
    password = f"canary-{secrets.token_hex(12)}"
    identity = x25519.Identity.generate()
    user = f"canary_{secrets.token_hex(4)}"
    _user(mariadb, user, password)
    option_file = tmp_path / "qa.cnf"
    option_file.write_text(f'[client]\nuser = {user}\npassword = "{password}"\n')
    option_file.chmod(0o600)
    toml = setup.toml.replace(f'user = "{mariadb.user}"', f'user = "{user}"', 1)
    toml = toml.replace(f'user = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"',
                        f'option_file = "{option_file}"', 1)
    toml = toml.replace('recipients = ["', f'recipients = ["{identity.to_public()}", "', 1)
    (setup.root / "release.toml").write_text(toml)
    monkeypatch.setenv(PASSWORD_ENV, password)
    monkeypatch.setenv(IDENTITY_ENV, str(identity))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    subprocess.run(["git", "init", "--quiet"], cwd=setup.root, check=True)
    (setup.root / ".gitignore").write_text("/backups/\n")
    found = Canaries(password, str(identity), written={option_file, setup.identity_file})
    yield found
    with mariadb.connect() as conn, conn.cursor() as cur:
        for host in ("%", "localhost"):
            cur.execute(f"DROP USER IF EXISTS '{user}'@'{host}'")


def _drop_leftovers(mariadb: MariaDB, database: str) -> None:
    from release.db.clones import swap

    places = swap.places(database)
    with mariadb.connect() as conn, conn.cursor() as cur:
        for name in (places.scratch, places.old):
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


def _invoke(setup: Setup, canaries: Canaries, *args: str, env: dict[str, str] | None = None,
            kill_after: float | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen([sys.executable, "-m", "invoke", *args], cwd=setup.root,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    canaries.said += [out, err]
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _files(roots: list[Path], since: float, skip: list[Path]) -> Iterator[Path]:
    """Files under `roots` changed since `since`, but those in `skip` (or under it)."""
    for root in roots:
        for folder, _, names in os.walk(root):
            here = Path(folder)
            if any(here == s or s in here.parents for s in skip):
                continue
            for name in names:
                path = here / name
                try:
                    info = path.lstat()
                except OSError:
                    continue
                if path not in skip and path.is_file() and not path.is_symlink() \
                        and info.st_mtime >= since and info.st_size < 64 << 20:
                    yield path


def _holding(paths: Iterator[Path], needles: list[str]) -> list[str]:
    found = []
    encoded = [n.encode() for n in needles]
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        found += [f"{path}: {n.decode()[:16]}..." for n in encoded if n in data]
    return found


def test_no_secret_in_any_output_or_file_whatever_fails(
        setup: Setup, canaries: Canaries, mariadb: MariaDB, tmp_path: Path) -> None:
    started = time.time() - 1
    dumped = _invoke(setup, canaries, "db.dump", "--env", "production")
    assert dumped.returncode == 0, dumped.stderr
    (dump,) = (setup.root / "backups").glob("*.sql.zst.age")
    restore = ("db.restore", "--env", "qa", "--dump", str(dump), "--yes")
    assert _invoke(setup, canaries, *restore).returncode == 0  # the inline identity works
    from_file = _invoke(setup, canaries, *restore, env={IDENTITY_ENV: str(setup.identity_file)})
    assert from_file.returncode == 0, from_file.stderr
    wrong_key = str(x25519.Identity.generate())
    not_a_key = tmp_path / "not-a-key.txt"
    not_a_key.write_text(canaries.password + "\n")
    canaries.written.add(not_a_key)
    for value, expected in ((wrong_key, "Nothing was loaded"),
                            (f"AGE-SECRET-KEY-1{canaries.password.upper()}", IDENTITY_ENV),
                            (str(not_a_key), "holds no age or SSH private key"),
                            (str(tmp_path), "cannot read the age identity file"),
                            (canaries.password, "cannot read the age identity file")):
        failed = _invoke(setup, canaries, *restore, env={IDENTITY_ENV: value})
        assert failed.returncode in (1, 2) and expected in failed.stderr, failed.stderr
    for env in ({PASSWORD_ENV: canaries.password + "-wrong"},):
        failed = _invoke(setup, canaries, "db.dump", "--env", "production", env=env)
        assert failed.returncode == 1 and "access denied" in failed.stderr, failed.stderr
    toml = (setup.root / "release.toml").read_text()
    (setup.root / "release.toml").write_text(toml.replace(f"port = {mariadb.port}", "port = 9"))
    for args in (("db.clone", "--from", "production", "--to", "qa", "--yes"),
                 ("db.dump", "--env", "qa")):
        down = _invoke(setup, canaries, *args)
        assert down.returncode == 1 and "cannot reach the database server" in down.stderr
    (setup.root / "release.toml").write_text(toml)
    cloned = _invoke(setup, canaries, "db.clone", "--from", "production", "--to", "qa", "--yes")
    assert cloned.returncode == 0, cloned.stderr
    for delay in (0.8, 1.6, 2.4):
        _invoke(setup, canaries, "db.dump", "--env", "production", kill_after=delay)
        _invoke(setup, canaries, "db.clone", "--from", "production", "--to", "qa", "--yes",
                kill_after=delay)
    _drop_leftovers(mariadb, setup.qa)
    (key_file,) = (setup.root / ".git" / "stagecraft").glob("scrub-key-qa")
    scrub_key = key_file.read_text().strip()
    file_key = setup.identity_file.read_text().strip()
    needles = [*canaries.all(), file_key, scrub_key, bytes.fromhex(scrub_key).decode("latin-1")]
    assert not [s for s in canaries.said if any(n in s for n in needles)], "a secret was said"
    server = Path(mariadb.socket).parent
    keys = [key_file, key_file.with_name(key_file.name + ".previous")]
    roots = [Path("/tmp"), Path("/dev/shm"), setup.root, tmp_path / "state"]
    leaks = _holding(_files(roots, started, [server, *canaries.written, *keys]), needles)
    assert leaks == []
    with mariadb.connect(setup.qa) as conn, conn.cursor() as cur:
        cur.execute("SELECT GROUP_CONCAT(detail) FROM release_clone")
        records = str((cur.fetchone() or ("",))[0])
    assert not [n for n in needles if n in records]
