"""SSH hosts through Fabric: `user@host`, `user@host:port` or a `Host` alias of ~/.ssh/config
(its HostName, User, Port, IdentityFile, ProxyJump and UserKnownHostsFile honoured).

Host keys are checked against known_hosts (~/.ssh/known_hosts and any UserKnownHostsFile, for
every hop): an unknown or changed key is refused with its fingerprint and the command that
accepts it, never added silently. Fabric's own default (AutoAddPolicy) is replaced on every
connection it makes, the ProxyJump gateways included.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shlex
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fabric
import paramiko
from invoke.exceptions import CommandTimedOut

from release.hosts.base import LOCK_BUSY, Host, HostError, Result, busy, holder_path, quoted

CONNECT_TIMEOUT = 15


class UnknownHostKey(HostError):
    """The host's key is not in known_hosts (or differs from the one there)."""


class _Refuse(paramiko.RejectPolicy):  # type: ignore[misc]  # paramiko is untyped
    """RejectPolicy, with the fingerprint and the way to accept the key in the message."""

    def __init__(self, port: int, files: Sequence[str]) -> None:
        self.port = port
        self.files = files

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str,
                         key: paramiko.PKey) -> None:
        where = ", ".join(self.files)
        raise UnknownHostKey(
            f"the SSH host key of {hostname} ({key.get_name()} {fingerprint(key)}) is not in "
            f"known_hosts ({where}); refusing to connect. Check that fingerprint with the "
            "server's administrator (on the server: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub)"
            f", then accept it: ssh-keyscan -p {self.port} -t {key.get_name()} {hostname} >> "
            "~/.ssh/known_hosts. Nothing was changed.")


def fingerprint(key: paramiko.PKey) -> str:
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class SshHost(Host):
    def __init__(self, target: str) -> None:
        self.label = target
        self.conn = _connection(target)
        _open(self.conn, target)

    def run(self, argv: Sequence[str], *, cwd: str | None = None, stdin: str | None = None,
            timeout: float | None = None) -> Result:
        command = quoted(argv, cwd)
        try:
            done = self.conn.run(command, hide=True, warn=True, timeout=timeout,
                                 in_stream=io.StringIO(stdin) if stdin is not None else False)
        except CommandTimedOut:
            return Result(124, "", f"timed out after {timeout}s on {self.label}: {command}")
        except (paramiko.SSHException, OSError) as error:
            raise HostError(f"{self.label}: the SSH connection failed while running "
                            f"{command!r}: {error}. Check the host and retry.") from None
        return Result(int(done.exited), str(done.stdout), str(done.stderr))

    def smoke(self, url: str, *, timeout: float) -> tuple[bool, str]:
        # Fetched on the host (smoke_url = "http://localhost/" means that host's server).
        result = self.run(["curl", "--silent", "--output", "/dev/null", "--write-out",
                           "%{http_code}", "--max-time", f"{timeout:g}", url])
        code = result.stdout.strip()
        if not result.ok or not code.isdigit() or code == "000":
            return False, (f"{url} did not answer within {timeout:g}s on {self.label} "
                           f"(curl exit {result.code})")
        return 200 <= int(code) < 400, f"{url} answered HTTP {code} on {self.label}"

    @contextmanager
    def lock(self, path: str, holder: str) -> Iterator[None]:
        # `flock` holds the lock while `cat` waits on our channel: if this process dies, the
        # session ends, cat sees end of input, and flock lets go.
        folder = str(Path(path).parent)
        script = (f"mkdir -p {shlex.quote(folder)} && exec flock -n -E {LOCK_BUSY} "
                  f"{shlex.quote(path)} sh -c 'printf \"%s\\n\" \"$1\" > \"$2\"; echo locked; "
                  f"exec cat >/dev/null' sh {shlex.quote(holder)} "
                  f"{shlex.quote(holder_path(path))}")
        transport = self.conn.client.get_transport()
        if transport is None:
            raise HostError(f"{self.label}: the SSH connection is closed.")
        channel = transport.open_session()
        try:
            channel.exec_command(script)
            first = channel.makefile("r").readline().strip()
            if first != "locked":
                status = channel.recv_exit_status()
                if status == LOCK_BUSY:
                    who = self.run(["cat", holder_path(path)]).stdout.strip()
                    raise busy(f"{self.label}:{path}", who)
                raise HostError(f"{self.label}: cannot take the lock {path} (exit {status}); "
                                "is flock (util-linux) installed there?")
            yield
        finally:
            channel.close()

    @contextmanager
    def forward(self, remote_host: str, remote_port: int) -> Iterator[int]:
        """A local port that reaches remote_host:remote_port from this host (a tunnel)."""
        port = free_port()
        try:
            with self.conn.forward_local(port, remote_port=remote_port,
                                         remote_host=remote_host, local_host="127.0.0.1"):
                _wait_listening(port)  # Fabric binds the local end in a thread of its own
                yield port
        except (paramiko.SSHException, OSError) as error:
            raise HostError(f"{self.label}: the SSH tunnel to {remote_host}:{remote_port} "
                            f"failed: {error}") from None

    def close(self) -> None:
        self.conn.close()


def _wait_listening(port: int) -> None:
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.025)
    raise HostError(f"the SSH tunnel's local end 127.0.0.1:{port} did not open.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _connection(target: str) -> fabric.Connection:
    # Fabric parses user@host:port itself and looks the host up in ~/.ssh/config.
    conn = fabric.Connection(target, connect_timeout=CONNECT_TIMEOUT)
    hop: Any = conn
    while isinstance(hop, fabric.Connection):
        _check_keys(hop)
        hop = hop.gateway
    return conn


def _check_keys(conn: fabric.Connection) -> None:
    files = [str(Path("~/.ssh/known_hosts").expanduser())]
    files += [str(Path(f).expanduser()) for f in
              shlex.split(str(conn.ssh_config.get("userknownhostsfile", "")))]
    for name in dict.fromkeys(files):
        if Path(name).is_file():
            conn.client.load_system_host_keys(name)
    conn.client.set_missing_host_key_policy(_Refuse(int(conn.port), files))


def _open(conn: fabric.Connection, target: str) -> None:
    try:
        conn.open()
    except UnknownHostKey:
        raise
    except paramiko.BadHostKeyException as error:
        raise UnknownHostKey(
            f"the SSH host key of {error.hostname} has CHANGED: it offers "
            f"{error.key.get_name()} {fingerprint(error.key)}, known_hosts has "
            f"{fingerprint(error.expected_key)}. This may be an attack; refusing to connect. "
            "If the server was really re-keyed, check the new fingerprint with its "
            f"administrator, remove the old line (ssh-keygen -R {error.hostname}) and accept "
            "the new key with ssh-keyscan. Nothing was changed.") from None
    except paramiko.AuthenticationException as error:
        raise HostError(f"{target}: SSH login refused ({error}). Check the user, the key "
                        "(IdentityFile in ~/.ssh/config, or ssh-agent) and retry.") from None
    except (paramiko.SSHException, OSError, EOFError) as error:
        raise HostError(f"{target}: cannot connect over SSH: {error}. Check the host name, "
                        f"port and network (ssh -v {target} shows more).") from None
