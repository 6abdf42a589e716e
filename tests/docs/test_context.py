"""release.docs.context: what the templates are given, computed from plain values (no git, no
database): the release, an environment's facts, the backups' names."""

from __future__ import annotations

from datetime import date

from release.alters.findings import Finding
from release.config import BackupsConfig, DatabaseConfig, EnvironmentConfig, HostEntry
from release.docs.context import (
    PushEntry,
    ReleaseContext,
    backup_names,
    build_release,
    environment_facts,
)
from release.git.repo import Commit

HEAD = "0123456789abcdef" * 2 + "01234567"


def _release(**given: object) -> ReleaseContext:
    values: dict[str, object] = dict(
        project="app", head=HEAD, head_ref="staging", tag=None, base="master", remote="origin",
        previous=None, commits=[], alters_files=["alters.sql"], blocks=[], file_findings=[],
        pending_basis="basis", push_instructions="push.txt", entries=[],
        today=date(2026, 11, 26))
    values.update(given)
    return build_release(**values)  # type: ignore[arg-type]


def test_an_untagged_release_is_named_by_its_ref_and_short_head() -> None:
    untagged = _release()
    assert untagged.release == f"staging at {HEAD[:10]}"
    assert untagged.head_short == HEAD[:10]
    assert untagged.generated_on == "2026-11-26"
    tagged = _release(tag="release-2026.11.26.1")
    assert tagged.release == tagged.tag == "release-2026.11.26.1"


def test_commits_are_counted_and_grouped_findings_and_entries_sorted() -> None:
    commits = [Commit("c" * 40, "ann", "fix: b", 1), Commit("d" * 40, "bob", "feat: a", 1)]
    findings = [Finding("alters.sql", 9, 1, "AL002", "x"),
                Finding("alters.sql", 2, 5, "AL011", "y"),
                Finding("alters.sql", 2, 1, "AL020", "z")]
    entries = [PushEntry("2026-02-03", "carol", "later", 9),
               PushEntry("2026-02-01", "bob", "first", 12),
               PushEntry("2026-02-03", "ann", "same day, earlier line", 4)]
    found = _release(commits=commits, file_findings=findings, entries=entries)
    assert found.commit_count == 2
    assert [g.kind for g in found.groups] == ["feat", "fix"]
    assert [(f.line, f.col) for f in found.file_findings] == [(2, 1), (2, 5), (9, 1)]
    assert [e.author for e in found.entries] == ["bob", "ann", "carol"]


def test_a_push_entry_reads_as_lines_and_as_one_summary() -> None:
    entry = PushEntry("2026-02-03", "carol", "second new step\n    with a continuation", 7)
    assert entry.lines == ("second new step", "    with a continuation")
    assert entry.summary == "second new step with a continuation"
    assert PushEntry("2026-02-03", "carol", "", 7).lines == ("",)


def test_only_the_environment_named_production_is_production() -> None:
    assert environment_facts(EnvironmentConfig(name="production"), checkout="t").production
    for name in ("qa", "prod", "Production"):
        assert not environment_facts(EnvironmentConfig(name=name), checkout="t").production


def test_an_environment_is_located_on_its_hosts_or_this_machine() -> None:
    local = environment_facts(EnvironmentConfig(name="qa", path="/srv/qa"), checkout="staging")
    assert local.location == "/srv/qa on this machine" and local.hosts == ()
    remote = environment_facts(EnvironmentConfig(name="qa", host="deploy@web", path="/srv"),
                               checkout="staging")
    assert remote.location == "/srv on deploy@web"
    several = environment_facts(EnvironmentConfig(
        name="qa", path="/srv", hosts=(HostEntry("web1"), HostEntry("web2", "/opt/app"))),
        checkout="release-1", checkout_is_tag=True)
    assert several.location == "/srv on web1, web2:/opt/app"
    assert several.hosts == ("web1", "web2:/opt/app") and several.checkout_is_tag


def test_the_database_server_is_its_socket_or_address_and_the_tunnel_it_goes_through() -> None:
    def server(db: DatabaseConfig | None) -> tuple[str | None, str | None]:
        facts = environment_facts(EnvironmentConfig(name="qa", database=db), checkout="s")
        return facts.database, facts.database_server

    assert server(None) == (None, None)
    assert server(DatabaseConfig(name="qatest")) == ("qatest", "127.0.0.1:3306")
    assert server(DatabaseConfig(name="qatest", socket="/run/mysqld/mysqld.sock")) == \
        ("qatest", "/run/mysqld/mysqld.sock")
    assert server(DatabaseConfig(name="qatest", host="10.0.0.10", port=3307, ssh="web1")) == \
        ("qatest", "10.0.0.10:3307 via ssh web1")


def test_backups_are_named_by_environment_database_release_and_moment() -> None:
    env = EnvironmentConfig(name="qa", database=DatabaseConfig(name="qatest"))
    names = backup_names(BackupsConfig(dir="/var/backups/"), env, "release 1/2")
    assert names is not None and names.dir == "/var/backups/"
    assert names.before == "/var/backups/qa-qatest-release-1-2-before-alters.sql.zst.age"
    assert names.after == "/var/backups/qa-qatest-release-1-2-after-alters.sql.zst.age"
    assert backup_names(BackupsConfig(), EnvironmentConfig(name="qa"), "r") is None
