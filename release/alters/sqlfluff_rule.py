"""The sqlfluff rule `Stagecraft_SAFE`: the AL rules of a whole file, as sqlfluff findings."""

from __future__ import annotations

from sqlfluff.core.parser import BaseSegment
from sqlfluff.core.rules import BaseRule, EvalResultType, LintResult, RuleContext
from sqlfluff.core.rules.crawlers import RootOnlyCrawler

from release.alters.findings import Finding, noqa_lines, ordered, without_noqa
from release.alters.parse import parse_alters
from release.alters.registry import AL001
from release.alters.rules import Context, block_findings, wrapper_finding
from release.config import LARGE_TABLE_ROWS


class Rule_Stagecraft_SAFE(BaseRule):
    """Schema changes that are dangerous on a running production database.

    Each finding starts with Stagecraft's code (AL002-AL050): DDL inside BEGIN/COMMIT,
    DROP TABLE or COLUMN, TRUNCATE, UPDATE/DELETE without WHERE, NOT NULL columns without
    DEFAULT, renames, unique keys, ALTERs without ALGORITHM/LOCK, malformed block headers.
    Silence one with `-- noqa: AL010` on the statement's line. Every code, with its level,
    anti-pattern and better way: `release-lint-alters --list-rules --format json`.

    **Anti-pattern**

    .. code-block:: sql

        ALTER TABLE users ADD COLUMN mrn varchar(30) NOT NULL;

    **Best practice**

    .. code-block:: sql

        ALTER TABLE users ADD COLUMN mrn varchar(30) NOT NULL DEFAULT '',
            ALGORITHM=INPLACE, LOCK=NONE;
    """

    groups = ("all", "stagecraft")
    crawl_behaviour = RootOnlyCrawler()
    is_fix_compatible = False

    def _eval(self, context: RuleContext) -> EvalResultType:
        text = context.segment.raw
        parsed = parse_alters(text, "")
        ctx = Context("", LARGE_TABLE_ROWS, {})  # a plain sqlfluff run knows no table sizes
        findings: list[Finding] = [Finding("", p.line, p.col, p.code, p.message)
                                   for p in parsed.problems if p.code != AL001]
        findings += wrapper_finding("", parsed.wrapper, parsed.blocks)
        for block in parsed.blocks:
            findings += block_findings(block, ctx)
        anchors = _anchors(context.segment)
        return [
            LintResult(anchor=_anchor_at(anchors, f.line, f.col) or context.segment,
                       description=f"{f.code} {f.message}")
            for f in ordered(without_noqa(findings, noqa_lines(text)))
        ]


def _anchors(root: BaseSegment) -> list[tuple[tuple[int, int], BaseSegment]]:
    return [(seg.pos_marker.working_loc, seg) for seg in root.raw_segments
            if seg.pos_marker is not None and not seg.is_whitespace]


def _anchor_at(anchors: list[tuple[tuple[int, int], BaseSegment]], line: int,
               col: int) -> BaseSegment | None:
    """The first code segment at or after the finding's position."""
    for position, segment in anchors:
        if position >= (line, col):
            return segment
    return None
