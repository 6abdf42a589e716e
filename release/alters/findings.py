"""A lint finding and the one place findings become output and an exit status."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field

from release.alters.registry import ERROR, WARNING, level_of
from release.console import Say
from release.errors import ReleaseError

_NOQA = re.compile(r"(?:--|#)\s*noqa\s*:\s*([A-Za-z]{2}\d{3}(?:\s*,\s*[A-Za-z]{2}\d{3})*)")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    message: str
    level: str = field(init=False)  # the registry's, for the code
    end_line: int = 0  # last line of the statement it is about (noqa may sit on any of them)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", level_of(self.code))


def noqa_lines(text: str) -> dict[int, set[str]]:
    """Line number -> codes silenced there by `-- noqa: CODE[, CODE]` (or `# noqa:`)."""
    silenced: dict[int, set[str]] = {}
    if "noqa" not in text:
        return silenced
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NOQA.search(line)
        if match:
            silenced[number] = {c.strip().upper() for c in match.group(1).split(",")}
    return silenced


def without_noqa(findings: Iterable[Finding], silenced: dict[int, set[str]]) -> list[Finding]:
    kept = []
    for finding in findings:
        lines = range(finding.line, max(finding.line, finding.end_line) + 1)
        if not any(finding.code in silenced.get(line, ()) for line in lines):
            kept.append(finding)
    return kept


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.col, f.code, f.message))


def render(findings: Sequence[Finding], fmt: str) -> str:
    if fmt == "json":
        rows = [{k: v for k, v in asdict(f).items() if k != "end_line"} for f in findings]
        return json.dumps(rows, indent=2)
    return "\n".join(
        f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}"
        + (" (warning)" if f.level == WARNING else "")
        for f in findings
    )


def exit_status(findings: Sequence[Finding], *, strict: bool) -> int:
    """1 when any finding is an error (or, with --strict, any finding at all)."""
    if any(f.level == ERROR or strict for f in findings):
        return 1
    return 0


def report(collect: Callable[[], Sequence[Finding]], *, fmt: str, strict: bool, say: Say,
           complain: Say) -> int:
    """What a hook shows and returns: the findings through `say` (or the error that stopped it
    through `complain`) and the exit status."""
    try:
        findings = collect()
    except ReleaseError as error:
        complain(f"error: {error.message}")
        return error.exit_code
    output = render(findings, fmt)
    if output:
        say(output)
    return exit_status(findings, strict=strict)
