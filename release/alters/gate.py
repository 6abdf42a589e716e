"""What `alters.apply` looks at again before it touches a database (pure).

The pre-commit hook can be skipped (`git commit --no-verify`), so apply lints the blocks it is
about to run with the same safety rules and refuses on an error nobody silenced with
`-- noqa: CODE`. Only the rules over statements run here, not AL001: alters.apply has the
target server itself parse every pending statement before it runs the first
(release/db/ledger/preparse.py), which no `-- noqa` can silence.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from release.alters.findings import Finding, noqa_lines, ordered, without_noqa
from release.alters.parse import AltersFile
from release.alters.registry import AL040, ERROR
from release.alters.rules import Context, block_findings


def unsilenced_errors(files: Sequence[tuple[AltersFile, str]], block_ids: Collection[str], *,
                      large_table_rows: int, table_rows: Mapping[str, int]) -> list[Finding]:
    """Error-level findings in the named blocks that no `-- noqa` silences."""
    found: list[Finding] = []
    for parsed, text in files:
        ctx = Context(parsed.path, large_table_rows, table_rows)
        findings = [f for block in parsed.blocks if block.id in block_ids
                    for f in block_findings(block, ctx)]
        findings += header_findings(parsed, block_ids)
        found += [f for f in without_noqa(findings, noqa_lines(text)) if f.level == ERROR]
    return ordered(found)


def header_findings(parsed: AltersFile, block_ids: Collection[str]) -> list[Finding]:
    """AL040 inside the named blocks: a header gone wrong (its block's statements belong to
    some other block, or to none the author meant) or a block id used twice."""
    spans = [(b.line, b.end_line) for b in parsed.blocks if b.id in block_ids]
    return [Finding(parsed.path, p.line, p.col, p.code, p.message) for p in parsed.problems
            if p.code == AL040 and any(first <= p.line <= last for first, last in spans)]


def refusal(environment: str, findings: Sequence[Finding]) -> str:
    listing = "\n".join(f"  {f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in findings)
    codes = sorted({f.code for f in findings})
    return (f"environment {environment!r}: the blocks to apply have {len(findings)} lint "
            f"error(s) nobody silenced:\n{listing}\nFix them, or, when the statement is meant "
            f"(the data loss is wanted), put `-- noqa: {codes[0]}` (or the code named) at the "
            "end of its line and commit that, so the decision is on record. Nothing was "
            "changed: no backup, no ledger rows.")
