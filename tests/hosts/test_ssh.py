"""SSH hosts against the suite's own sshd: commands, host-key refusals, ProxyJump, tunnels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release.hosts import open_host
from release.hosts.ssh import SshHost, UnknownHostKey
from tests.support.sshd import Sshd


def test_runs_commands_in_a_folder_with_input(sshd: Sshd, tmp_path: Path) -> None:
    host = open_host("web1")
    try:
        done = host.run(["sh", "-c", "cat > given.txt; pwd"], cwd=str(tmp_path), stdin="hi\n")
        assert done.ok and done.stdout.strip() == str(tmp_path)
        assert (tmp_path / "given.txt").read_text() == "hi\n"
        assert host.run(["false"]).code == 1
    finally:
        host.close()


def test_user_at_host_port_targets_work_without_an_alias(sshd: Sshd) -> None:
    host = SshHost(f"{sshd.user}@127.0.0.1:{sshd.port}")
    try:
        assert host.run(["true"]).ok
    finally:
        host.close()


def test_unknown_host_key_is_refused_with_its_fingerprint_and_the_way_to_accept_it(
        sshd: Sshd) -> None:
    sshd.known_hosts.write_text("")
    fingerprint = subprocess.run(["ssh-keygen", "-lf", str(sshd.host_key.with_suffix(".pub"))],
                                 capture_output=True, text=True, check=True).stdout.split()[1]
    with pytest.raises(UnknownHostKey) as refused:
        SshHost("web1")
    assert fingerprint in refused.value.message
    assert f"ssh-keyscan -p {sshd.port}" in refused.value.message
    assert sshd.known_hosts.read_text() == ""  # never added silently


def test_changed_host_key_is_refused(sshd: Sshd, tmp_path: Path) -> None:
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)],
                   check=True)
    sshd.known_hosts.write_text(f"[127.0.0.1]:{sshd.port} "
                                f"{other.with_suffix('.pub').read_text()}")
    with pytest.raises(UnknownHostKey, match="CHANGED"):
        SshHost("web1")


def test_proxyjump_hops_are_checked_and_used(sshd: Sshd) -> None:
    host = SshHost("web2")
    try:
        assert host.run(["true"]).ok
    finally:
        host.close()


def test_a_tunnel_reaches_a_port_behind_the_host(sshd: Sshd) -> None:
    import socket

    host = SshHost("web1")
    try:
        with host.forward("127.0.0.1", sshd.port) as port, \
                socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            assert conn.recv(64).startswith(b"SSH-2.0")
    finally:
        host.close()


def test_remote_lock_refuses_a_second_holder_and_dies_with_its_session(
        sshd: Sshd, tmp_path: Path) -> None:
    from release.hosts import LockBusy

    lock = str(tmp_path / "deploy.lock")
    first, second = SshHost("web1"), SshHost("web1")
    try:
        with first.lock(lock, "ann@web1"), pytest.raises(LockBusy, match="ann@web1"), \
                second.lock(lock, "bob"):
            pass
        first.close()
        with second.lock(lock, "bob"):
            pass
    finally:
        first.close()
        second.close()
