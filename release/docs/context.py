"""What the notes and checklist templates are given (pure: values in, frozen dataclasses out).

Everything a template shows is computed here, already sorted and grouped, so templates only
loop and print. Reading git and the alters files happens in `release.docs.gather`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from release.alters.findings import Finding
from release.config import BackupsConfig, EnvironmentConfig, is_production
from release.db.backups.names import alters_backup_path
from release.docs.changelog import ChangeGroup, group_commits
from release.git.repo import Commit


@dataclass(frozen=True)
class AltersStatement:
    line: int
    text: str
    server: str = ""  # how the server said it would run it (alters.explain), if it was asked


@dataclass(frozen=True)
class AltersBlock:
    id: str
    file: str
    line: int
    author: str
    date: str
    description: str
    ticket: str
    online: str
    statements: tuple[AltersStatement, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PushEntry:
    date: str
    author: str
    text: str
    line: int

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.splitlines()) or ("",)

    @property
    def summary(self) -> str:
        return " ".join(self.text.split())


@dataclass(frozen=True)
class ReleaseContext:
    project: str
    release: str
    tag: str | None
    head: str
    head_short: str
    head_ref: str
    base: str
    remote: str
    previous: str | None
    commit_count: int
    groups: tuple[ChangeGroup, ...]
    alters_files: tuple[str, ...]
    blocks: tuple[AltersBlock, ...]
    file_findings: tuple[Finding, ...]
    pending_basis: str
    push_instructions: str
    entries: tuple[PushEntry, ...]
    generated_on: str


@dataclass(frozen=True)
class EnvironmentFacts:
    name: str
    production: bool
    host: str
    hosts: tuple[str, ...]
    path: str
    location: str
    ref: str
    checkout: str
    checkout_is_tag: bool
    reload: str
    smoke_url: str
    database: str | None
    database_server: str | None
    qa_values: tuple[str, ...] = ()   # [[qa.values]] entries, described (test environments)


@dataclass(frozen=True)
class BackupNames:
    dir: str
    before: str
    after: str


def build_release(
    *, project: str, head: str, head_ref: str, tag: str | None, base: str, remote: str,
    previous: str | None, commits: Sequence[Commit], alters_files: Sequence[str],
    blocks: Sequence[AltersBlock], file_findings: Sequence[Finding], pending_basis: str,
    push_instructions: str, entries: Sequence[PushEntry], today: date,
) -> ReleaseContext:
    return ReleaseContext(
        project=project,
        release=tag or f"{head_ref} at {head[:10]}",
        tag=tag,
        head=head,
        head_short=head[:10],
        head_ref=head_ref,
        base=base,
        remote=remote,
        previous=previous,
        commit_count=len(commits),
        groups=group_commits(commits),
        alters_files=tuple(alters_files),
        blocks=tuple(blocks),
        file_findings=tuple(sorted(file_findings, key=lambda f: (f.line, f.col, f.code))),
        pending_basis=pending_basis,
        push_instructions=push_instructions,
        entries=tuple(sorted(entries, key=lambda e: (e.date, e.line))),
        generated_on=today.isoformat(),
    )


def environment_facts(env: EnvironmentConfig, *, checkout: str,
                      checkout_is_tag: bool = False) -> EnvironmentFacts:
    db = env.database
    server = None
    if db is not None:
        server = db.socket or f"{db.host}:{db.port}"
        if db.ssh:
            server = f"{server} via ssh {db.ssh}"
    return EnvironmentFacts(
        name=env.name, production=is_production(env.name), host=env.host,
        hosts=tuple(str(h) for h in env.hosts),
        path=env.path, location=f"{env.path} on {_hosts(env)}", ref=env.ref,
        checkout=checkout, checkout_is_tag=checkout_is_tag, reload=env.reload,
        smoke_url=env.smoke_url, database=db.name if db else None, database_server=server,
    )


def _hosts(env: EnvironmentConfig) -> str:
    if env.hosts:
        return ", ".join(str(h) for h in env.hosts)
    return "this machine" if env.host == "local" else env.host


def backup_names(backups: BackupsConfig, env: EnvironmentConfig, label: str,
                 folder: Path | None = None) -> BackupNames | None:
    """The encrypted dumps a deploy of `label` to `env` takes before and after the alters:
    with `folder` (the backups folder on disk), the names the next dumps get there."""
    if env.database is None:
        return None
    name = env.database.name
    before, after = (alters_backup_path(backups.dir, env.name, name, label, moment,
                                        free_in=folder) for moment in ("before", "after"))
    return BackupNames(dir=backups.dir, before=before, after=after)
