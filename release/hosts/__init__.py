"""Running commands on an environment's hosts: this machine ("local") or SSH targets
(the only Fabric importer), and SSH tunnels to a database behind a host."""

from __future__ import annotations

from release.hosts.base import Host, HostError, LockBusy, Result

__all__ = ["Host", "HostError", "LockBusy", "Result", "open_host"]


def open_host(target: str) -> Host:
    """The host named by a configuration value: "local", or an SSH target (connected now)."""
    from release.hosts.local import LocalHost

    if target == "local":
        return LocalHost()
    from release.hosts.ssh import SshHost

    return SshHost(target)
