"""invoke alters.*: the alters files."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.exceptions import Exit
from invoke.tasks import task

from release.tasks._common import handled, repository_and_config


@task(help={
    "all": "lint every block (default: only blocks changed against HEAD or not yet released)",
    "strict": "warnings fail too",
    "format": "text (path:line:col: CODE message) or json",
    "table_stats": 'JSON {"table": rows} for AL031 (default: .git/stagecraft/table-stats.json)',
})
@handled
def lint(c: Any, all: bool = False, strict: bool = False, format: str = "text",
         table_stats: str | None = None) -> None:
    """Check the alters files and the push instructions, as the pre-commit hooks do."""
    from pathlib import Path

    from release.alters.check import lint_alters_paths, lint_push_instruction_paths
    from release.alters.findings import exit_status, ordered, render
    from release.errors import UsageError

    if format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {format!r}.")
    repo, config = repository_and_config()
    files = [repo.root / name for name in config.alters.files]
    findings = lint_alters_paths(files, cwd=repo.root, all_blocks=all,
                                 table_stats=Path(table_stats) if table_stats else None)
    instructions = repo.root / config.alters.push_instructions
    if instructions.is_file():
        findings += lint_push_instruction_paths([instructions], cwd=repo.root)
    findings = ordered(findings)
    output = render(findings, format)
    if output:
        print(output)
    status = exit_status(findings, strict=strict)
    if status:
        raise Exit(code=status)


ns = Collection("alters", lint)
