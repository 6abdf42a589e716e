"""The suite's own sshd on 127.0.0.1 (a free port, a throwaway host key and user key), and a
client HOME whose ~/.ssh holds that user key, a known_hosts the suite writes, and a config
with `Host web1` (direct) and `Host web2` (the same server, reached through web1 by ProxyJump).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from release.hosts.ssh import free_port


@dataclass(frozen=True)
class Sshd:
    port: int
    host_key: Path          # the server's private host key (its .pub beside it)
    home: Path              # the client HOME
    user: str

    @property
    def known_hosts(self) -> Path:
        return self.home / ".ssh" / "known_hosts"

    def known_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.host_key.with_suffix('.pub').read_text()}"

    def as_client(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """HOME pointing at the client folder, known_hosts holding the server's key, no agent."""
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
        self.known_hosts.write_text(self.known_line())


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
                   check=True, capture_output=True)


@contextmanager
def running_sshd(base: Path) -> Iterator[Sshd]:
    """sshd started with its keys and configuration in `base`; stopped on leaving."""
    host_key, user_key = base / "host_key", base / "home" / ".ssh" / "id_ed25519"
    user_key.parent.mkdir(parents=True, mode=0o700)
    _keygen(host_key)
    _keygen(user_key)
    authorized = base / "authorized_keys"
    authorized.write_text(user_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    port = free_port()
    (base / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {authorized}\nPidFile {base / 'sshd.pid'}\nUsePAM no\n"
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nAllowTcpForwarding yes\nLogLevel ERROR\n")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    proc = subprocess.Popen([sshd, "-D", "-e", "-f", str(base / "sshd_config")],
                            stderr=subprocess.PIPE, text=True)
    user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True,
                                                    text=True, check=True).stdout.strip()
    server = Sshd(port=port, host_key=host_key, home=base / "home", user=user)
    (server.home / ".ssh" / "config").write_text(
        f"Host web1\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n"
        f"  IdentityFile {user_key}\n  IdentitiesOnly yes\n"
        f"Host web2\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n"
        f"  IdentityFile {user_key}\n  ProxyJump web1\n")
    try:
        _wait_for(port, proc)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_for(port: int, proc: subprocess.Popen[str]) -> None:
    import socket

    for _ in range(100):
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited: {proc.stderr.read() if proc.stderr else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("sshd did not start listening")
