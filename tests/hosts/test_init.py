"""release.hosts (the package's open_host): a configuration value becomes a host."""

from __future__ import annotations

import pytest

from release.hosts import HostError, open_host
from release.hosts.local import LocalHost
from release.hosts.ssh import SshHost, free_port
from tests.support.sshd import Sshd


def test_local_is_this_machine() -> None:
    host = open_host("local")
    assert isinstance(host, LocalHost) and str(host) == "local"
    host.close()


def test_any_other_value_is_an_ssh_target_connected_at_once(sshd: Sshd) -> None:
    host = open_host("web1")
    try:
        assert isinstance(host, SshHost) and str(host) == "web1"
        assert host.run(["true"]).ok
    finally:
        host.close()


def test_an_unreachable_ssh_target_is_a_host_error_saying_what_to_check(sshd: Sshd) -> None:
    target = f"{sshd.user}@127.0.0.1:{free_port()}"
    with pytest.raises(HostError) as error:
        open_host(target)
    assert error.value.message.startswith(f"{target}: cannot connect over SSH: ")
    assert f"(ssh -v {target} shows more)" in error.value.message
