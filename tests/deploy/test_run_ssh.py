"""deploy.run over real SSH (the suite's sshd): the same deploy through Fabric, the database
through the tunnel, a roll over two hosts, and no password on any command line."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from release.deploy.run import Options, deploy
from release.environment.resolved import resolve_environment
from release.errors import Failed
from tests.support.site import Site
from tests.support.sshd import Sshd
from tests.support.toml import Host


def _scan_command_lines(secret: str, stop: threading.Event, seen: list[str]) -> None:
    """Every process's command line, over and over, until `stop`; hits go into `seen`."""
    while not stop.is_set():
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if secret in text:
                seen.append(text)
            seen.append("")  # counts what was scanned
        stop.wait(0.005)


def test_deploy_over_ssh_with_the_database_through_the_tunnel_leaks_no_password(
        db_site: Site, sshd: Sshd, capsys: pytest.CaptureFixture[str]) -> None:
    assert db_site.mariadb is not None
    config = db_site.configure(extra='host = "web1"', ssh_database="web1")
    password = db_site.mariadb.password
    stop, seen = threading.Event(), []  # type: ignore[var-annotated]
    scanner = threading.Thread(target=_scan_command_lines, args=(password, stop, seen))
    scanner.start()
    said: list[str] = []
    try:
        deploy(db_site.repo, config, resolve_environment(config, "qa"),
               Options(yes=True), say=said.append)
    finally:
        stop.set()
        scanner.join()
    assert db_site.head() == db_site.staging()
    assert "greeting" in db_site.tables()
    assert len(db_site.reload_lines()) == 1
    assert [hit for hit in seen if hit] == [] and len(seen) > 100
    captured = capsys.readouterr()
    log = (db_site.servers[0] / ".git" / "stagecraft" / "deploys.jsonl").read_text()
    for text in ("\n".join(said), captured.out, captured.err, log):
        assert password not in text
    assert '"host": "web1"' in log


def test_two_ssh_hosts_second_fails_its_reload_first_keeps_the_release(
        tmp_path: Path, sshd: Sshd) -> None:
    from tests.support.site import make_site

    site = make_site(tmp_path, servers=2)
    old = site.head(0)
    reload = (f'case "$(pwd)" in {site.servers[1]}) '
              f'test "$(git rev-parse HEAD)" != {site.staging()} || exit 1;; esac; '
              f'echo "$(git rev-parse HEAD) $(pwd)" >> {site.reloads}')
    hosts = [Host("web1", site.servers[0]), Host("web2", site.servers[1])]
    config = site.configure(database=False, reload=reload, hosts=hosts)
    with pytest.raises(Failed) as failed:
        deploy(site.repo, config, resolve_environment(config, "qa"),
               Options(yes=True), say=lambda _: None)
    assert site.head(0) == site.staging() and site.head(1) == old
    message = failed.value.message
    assert f"web1:{site.servers[0]}: runs {site.staging()[:12]} (deployed)" in message
    assert f"web2:{site.servers[1]}: runs {old[:12]} (rolled back at reload" in message
