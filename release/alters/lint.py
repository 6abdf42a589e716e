"""Lint one alters file: every AL rule over the selected blocks, noqa applied, sorted.

`selected` is None for `alters.lint --all`; the hook passes the ids of the blocks changed
against HEAD or not yet in a release tag, so its rules and sqlfluff parses do not grow with
the file's history. File-level findings (lexing, headers, the BEGIN/COMMIT wrapper, shipped
blocks edited) are always reported: finding them costs one pass of the splitter, not a
sqlfluff parse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from release.alters.cache import Cache
from release.alters.findings import Finding, noqa_lines, ordered, without_noqa
from release.alters.parse import AltersFile, Statement
from release.alters.registry import AL001, AL041
from release.alters.rules import Context, block_findings, wrapper_finding
from release.alters.separators import second_statement
from release.alters.server_syntax import SyntaxServer, separator_finding, server_findings
from release.alters.shipping import is_pending
from release.alters.syntax import DIALECTS, syntax_findings
from release.errors import ReleaseError

NO_SERVER = ("sqlfluff's verdict: no server was asked (set [alters] check_with, or install "
             "MariaDB, to have the server's own parser check it)")


@dataclass(frozen=True)
class Shipped:
    """The blocks of this file in the last release tag: id -> checksum."""

    tag: str
    checksums: Mapping[str, str] = field(default_factory=dict)


def lint_alters(
    parsed: AltersFile,
    text: str,
    *,
    ctx: Context,
    selected: Collection[str] | None = None,
    shipped: Shipped | None = None,
    cache_dir: Path | None = None,
    processes: int | None = None,
    server: SyntaxServer | None = None,
) -> list[Finding]:
    path = parsed.path
    blocks = [b for b in parsed.blocks if selected is None or b.id in selected]
    findings = [Finding(path, p.line, p.col, p.code, _read_as(p.code, p.message, ctx.dialect))
                for p in parsed.problems]
    findings += wrapper_finding(path, parsed.wrapper, parsed.blocks)
    for block in blocks:
        findings += block_findings(block, ctx)
    statements = [s for block in blocks for s in block.statements]
    findings += _syntax(path, statements, server, cache_dir, ctx.dialect, processes)
    if shipped is not None:
        findings += edited_after_shipping(path, parsed.blocks, shipped)
    return ordered(without_noqa(findings, noqa_lines(text)))


def _syntax(path: str, statements: Sequence[Statement], server: SyntaxServer | None,
            cache_dir: Path | None, dialect: str, processes: int | None) -> list[Finding]:
    """AL001: the server's verdict; sqlfluff's when there is no server, or it cannot answer."""
    why = NO_SERVER
    if server is not None:
        try:
            return server_findings(path, statements, server, state=cache_dir)
        except ReleaseError as error:
            why = (f"sqlfluff's verdict: the server could not be asked ({error.message.strip()})")
    return _without_server(path, statements, Cache(cache_dir), dialect, processes, why)


def _without_server(path: str, statements: Sequence[Statement], cache: Cache, dialect: str,
                    processes: int | None, why: str) -> list[Finding]:
    """AL001 from sqlfluff, saying so, and a missing `;` found without any parser."""
    findings, parsed = [], []
    for statement in statements:
        second = second_statement(statement)
        if second is None:
            parsed.append(statement)
        else:
            findings.append(separator_finding(path, statement, second, f"({why})"))
    found = syntax_findings(path, parsed, cache=cache, dialect=dialect, processes=processes)
    return findings + [replace(f, message=f"{f.message} ({why})") for f in found]


def _read_as(code: str, message: str, dialect: str) -> str:
    """An AL001 names the dialect the file was read as, like sqlfluff's verdicts do."""
    return f"{message} (read as {DIALECTS[dialect]})" if code == AL001 else message


class Shippable(Protocol):
    """A block, or what the hook remembers of one: enough to compare it with the tag."""

    @property
    def id(self) -> str: ...
    @property
    def checksum(self) -> str: ...
    @property
    def line(self) -> int: ...


def edited_after_shipping(path: str, blocks: Sequence[Shippable],
                          shipped: Shipped) -> list[Finding]:
    """AL041. A headerless block's id is its checksum, so it is compared by position."""
    findings = []
    shipped_head = [k for k in shipped.checksums if k.startswith("head-")]
    for block in blocks:
        old = shipped.checksums.get(block.id)
        if block.id.startswith("head-") and shipped_head and block.id not in shipped.checksums:
            old = shipped.checksums[shipped_head[0]]
        if old is not None and old != block.checksum:
            findings.append(Finding(
                path, block.line, 1, AL041, f"block {block.id} shipped in {shipped.tag} and "
                "has been edited since: restore it and put the change in a new block"))
    return findings


def blocks_to_lint(parsed: AltersFile, *, shipped: Shipped | None,
                   at_head: Mapping[str, str] | None) -> set[str]:
    """The hook's selection: blocks not in the release tag, or changed against HEAD."""
    chosen = set()
    for block in parsed.blocks:
        changed = at_head is None or at_head.get(block.id) != block.checksum
        if changed or is_pending(block, shipped.checksums if shipped else None):
            chosen.add(block.id)
    return chosen
