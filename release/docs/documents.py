"""Release notes and checklists: gather the release, build the context, render a template."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from release.config import Config, EnvironmentConfig, is_production
from release.console import Say
from release.db.backups.names import release_label
from release.db.target import backups_dir
from release.docs.checklist import ChecklistContext, build_checklist
from release.docs.context import BackupNames, ReleaseContext, backup_names, environment_facts
from release.docs.gather import Target, find_target, read_release
from release.docs.render import render
from release.errors import UsageError
from release.git.repo import Commit, Repository
from release.git.tags import next_tag_name, tag_glob

FORMATS = ("md", "html")


@dataclass(frozen=True)
class NotesContext:
    release: ReleaseContext


def choose_format(fmt: str | None, output: str | None) -> str:
    """--format, else the output file's suffix, else Markdown."""
    if fmt is None:
        return "html" if output and output.lower().endswith((".html", ".htm")) else "md"
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not known; use one of: {', '.join(FORMATS)}.")
    return fmt


def notes(repo: Repository, config: Config, *, fmt: str, today: date,
          since: str | None = None) -> str:
    release = read_release(repo, config, find_target(repo, config.git, since=since),
                           today=today, lint=False)
    return render(f"notes.{fmt}.j2", NotesContext(release), app_root=config.root)


class TagMessage:
    """release.tag's message builder: the Markdown release notes for the tag being made."""

    def __init__(self, repo: Repository, config: Config, today: date) -> None:
        self.repo, self.config, self.today = repo, config, today

    def __call__(self, name: str, previous: str | None, commits: list[Commit]) -> str:
        found = find_target(self.repo, self.config.git)
        target = Target(ref=found.ref, sha=found.sha, tag=name, previous=previous)
        release = read_release(self.repo, self.config, target, today=self.today, lint=False,
                               tag=name, commits=commits)
        return render("notes.md.j2", NotesContext(release), app_root=self.config.root)


def checklist_context(repo: Repository, config: Config, *, env: EnvironmentConfig,
                      today: date, taken: BackupNames | None = None) -> ChecklistContext:
    """An environment whose ref is "tag" (and production always) checks out the release tag,
    or the name release.tag will give it; any other checks out its configured branch."""
    target = find_target(repo, config.git)
    release = read_release(repo, config, target, today=today, lint=True)
    label = release_label(target.tag, target.sha)
    checkout, is_tag = env.ref, env.ref == "tag" or is_production(env.name)
    if is_tag:
        checkout = label = target.tag or _next_tag(repo, config, today)
    facts = environment_facts(env, checkout=checkout, checkout_is_tag=is_tag)
    if not facts.production:
        facts = replace(facts, qa_values=tuple(v.describe() for v in config.qa_values))
    # the files the next dumps get (a second release to this environment gets `-2`), or, once
    # release.run took them, the files it wrote
    names = taken or backup_names(config.backups, env, label, backups_dir(config))
    return build_checklist(release, facts, names, config.checklist_steps)


def _next_tag(repo: Repository, config: Config, today: date) -> str:
    existing = set(repo.tag_names(tag_glob(config.git.tag_format)))
    return next_tag_name(config.git.tag_format, today=today, existing=existing)


def write_or_print(text: str, output: str | None, *, say: Say) -> Path | None:
    """Write the document to `output`, or show it through `say` when there is none."""
    if output is None:
        say(text.removesuffix("\n"))
        return None
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write --output {output}: {error.strerror}. Choose another "
                         "path.") from None
    return path

