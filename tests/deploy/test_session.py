"""The deploy lock: a second deploy refuses at once naming the holder; a killed one leaves
nothing behind."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from release.deploy.run import Options, deploy
from release.environment.resolved import resolve_environment
from release.errors import Refused
from tests.support.site import Site

HOLD = ("import sys, time\n"
        "from release.hosts.local import LocalHost\n"
        "with LocalHost().lock(sys.argv[1], 'ann@web1 (pid 4242)'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n")


def _holder(site: Site) -> subprocess.Popen[str]:
    lock = site.servers[0] / ".git" / "stagecraft" / "deploy.lock"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_deploy_refuses_at_once_naming_the_holder(site: Site) -> None:
    config = site.configure(database=False)
    holder = _holder(site)
    try:
        started = time.monotonic()
        with pytest.raises(Refused, match=r"ann@web1 \(pid 4242\)"):
            deploy(site.repo, config, resolve_environment(config, "qa"),
                   Options(yes=True), say=lambda _: None)
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_deploy_leaves_no_lock_behind(site: Site) -> None:
    config = site.configure(database=False)
    holder = _holder(site)
    holder.kill()  # SIGKILL: no cleanup code runs
    holder.wait()
    deploy(site.repo, config, resolve_environment(config, "qa"),
           Options(yes=True), say=lambda _: None)
    assert site.head() == site.staging()
