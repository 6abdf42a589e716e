"""The I/O edge of linting: read files, look at git history, call the pure linters.

Shared by the pre-commit hooks and `invoke alters.lint`. Outside a git repository every
block counts as pending and AL041 has nothing to compare with. In the hook, the shipped
blocks that are unchanged since HEAD are not even split again (resume.py): its cost stays
with the blocks being worked on, not with the file's history.

Table sizes for AL031 come from a stats file: a JSON object `{"table_name": rows, ...}`.
By default it is `<git common dir>/stagecraft/table-stats.json` (local knowledge, never
committed: `alters.status` may refresh it from the database); `--table-stats PATH` overrides.
A missing default file means sizes are unknown and AL031 stays silent. The server's answers
for AL030/AL031 come from `explain.json` beside it (explain_store.py).

The SQL dialect is `--dialect`, else `[alters] dialect`, else "mariadb" when the last look
at an environment's server (alters.status) saw MariaDB, else "mysql".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from release.alters.cache import Cache
from release.alters.explain_store import read_explained
from release.alters.findings import Finding, noqa_lines, ordered, without_noqa
from release.alters.lint import Shipped, blocks_to_lint, edited_after_shipping, lint_alters
from release.alters.parse import AltersFile, parse_alters
from release.alters.pi_rules import push_instruction_findings
from release.alters.push_instructions import parse_push_instructions
from release.alters.registry import AL001, PI002
from release.alters.resume import Outline, from_json, outline, resume_point, to_json
from release.alters.rules import Context
from release.alters.server_syntax import SyntaxServer
from release.alters.shipping import new_entries, pending
from release.alters.source import read_source
from release.alters.table_stats import MERGED, read_table_stats, recorded_dialect
from release.config import LARGE_TABLE_ROWS, Config, load
from release.errors import UsageError
from release.git.repo import Repository
from release.state import state_dir

# which server parses statements for AL001, given the configuration (None: sqlfluff only)
ChooseServer = Callable[[Config | None], SyntaxServer | None]


@dataclass
class Workspace:
    """The repository (if any) and configuration the files are linted in."""

    repo: Repository | None
    config: Config | None
    cache_dir: Path | None  # under the git directory: local, never committed

    @classmethod
    def at(cls, cwd: Path) -> Workspace:
        try:
            repo = Repository(cwd)
        except UsageError:
            return cls(None, None, None)
        return cls(repo, load(repo.root), state_dir(repo.common_dir()))

    def relative(self, path: Path) -> str | None:
        if self.repo is None:
            return None
        try:
            return path.resolve().relative_to(self.repo.root.resolve()).as_posix()
        except ValueError:
            return None

    def last_tag(self) -> str | None:
        if self.repo is None or self.config is None or self.repo.head() is None:
            return None
        from release.git.checks import release_globs

        return self.repo.last_tag("HEAD", release_globs(self.config.git))

    def file_at(self, ref: str | None, rel: str | None) -> str | None:
        if self.repo is None or ref is None or rel is None:
            return None
        try:
            return self.repo.show_file(ref, rel)
        except UnicodeDecodeError:
            return None

    def outline(self, ref: str | None, rel: str | None) -> Outline | None:
        """What the file held at a ref (None if it is not there), cached by git's id for
        the content, so the hook reads and parses no past version twice."""
        if self.repo is None or ref is None or rel is None:
            return None
        blob = self.repo.blob_id(ref, rel)
        if blob is None:
            return None
        cache = Cache(self.cache_dir)
        known = cache.get("outline", [blob]).get(blob)
        if known is not None:
            return from_json(known, where=f"{cache.file}: outline of {rel} at {ref} ({blob})")
        found = outline(parse_alters(self.file_at(ref, rel) or "", rel))
        cache.put("outline", {blob: to_json(found)})
        return found


def lint_alters_paths(paths: Sequence[Path], *, cwd: Path, all_blocks: bool,
                      table_stats: Path | None = None, dialect: str | None = None,
                      processes: int | None = None,
                      server: ChooseServer | None = None) -> list[Finding]:
    """The hook's (and alters.lint's) findings; `server` picks who parses for AL001."""
    space = Workspace.at(cwd)
    parser = server(space.config) if server is not None else None
    limit = space.config.alters.large_table_rows if space.config else LARGE_TABLE_ROWS
    tag = space.last_tag()
    stats = _table_rows(table_stats, space.cache_dir)
    configured = space.config.alters.dialect if space.config else ""
    dialect = dialect or configured or recorded_dialect(space.cache_dir) or "mysql"
    explained = read_explained(space.cache_dir)
    findings: list[Finding] = []
    for path in paths:
        shown = space.relative(path) or str(path)
        text, unreadable = read_source(path, shown, AL001)
        findings += unreadable
        if text is None:
            continue
        rel = space.relative(path)
        shipped = _shipped(space, tag, rel)
        ctx = Context(shown, limit, stats, dialect, explained)
        if all_blocks:
            findings += lint_alters(parse_alters(text, shown), text, ctx=ctx, shipped=shipped,
                                    cache_dir=space.cache_dir, processes=processes,
                                    server=parser)
            continue
        head = space.outline("HEAD", rel)
        shortcut = None
        if head is not None and shipped is not None:
            head_text = space.file_at("HEAD", rel)
            if head_text is not None:
                shortcut = resume_point(head, head_text, text, shipped.checksums)
        if shortcut is None:
            parsed = parse_alters(text, shown)
        else:
            resume, settled, early = shortcut
            tail = parse_alters(text, shown, resume=resume)
            parsed = AltersFile(shown, tail.blocks, None, early + tail.problems)
            findings += edited_after_shipping(shown, settled, shipped) if shipped else []
        at_head = {m.id: m.checksum for m in head.marks} if head else None
        selected = blocks_to_lint(parsed, shipped=shipped, at_head=at_head)
        findings += lint_alters(parsed, text, ctx=ctx, selected=selected, shipped=shipped,
                                cache_dir=space.cache_dir, processes=processes, server=parser)
    return ordered(findings)


def lint_push_instruction_paths(paths: Sequence[Path], *, cwd: Path,
                                today: datetime.date | None = None) -> list[Finding]:
    space = Workspace.at(cwd)
    tag = space.last_tag()
    findings: list[Finding] = []
    for path in paths:
        shown = space.relative(path) or str(path)
        text, unreadable = read_source(path, shown, PI002)
        findings += unreadable
        if text is None:
            continue
        parsed = parse_push_instructions(text)
        released = space.file_at(tag, space.relative(path))
        fresh = None
        if released is not None:
            fresh = {e.line for e in new_entries(parsed.entries,
                                                 parse_push_instructions(released).entries)}
        found = push_instruction_findings(
            shown, text, parsed, today=today or datetime.date.today(),
            new_entries=fresh, pending_blocks=_pending_blocks(space, tag, path.parent))
        findings += without_noqa(found, noqa_lines(text))
    return ordered(findings)


def _shipped(space: Workspace, tag: str | None, rel: str | None) -> Shipped | None:
    if tag is None:
        return None
    released = space.outline(tag, rel)
    return Shipped(tag, {m.id: m.checksum for m in released.marks} if released else {})


def _pending_blocks(space: Workspace, tag: str | None, folder: Path) -> int | None:
    """Alters blocks in the configured files that no release tag holds yet."""
    names = space.config.alters.files if space.config else ("alters.sql",)
    root = space.repo.root if space.repo and space.relative(folder) is not None else folder
    total, found = 0, False
    for name in names:
        text, _ = read_source(root / name, name, AL001)
        if text is None:
            continue
        found = True
        shipped = _shipped(space, tag, space.relative(root / name))
        total += len(pending(parse_alters(text, name).blocks,
                             shipped.checksums if shipped else None))
    return total if found else None


def _table_rows(explicit: Path | None, cache: Path | None) -> dict[str, int]:
    if explicit is not None:
        return read_table_stats(explicit, chosen=True)
    return read_table_stats(cache / MERGED, chosen=False) if cache else {}
