"""pre-commit hook `release-lint-alters`: the AL rules over alters files.

Only blocks changed against HEAD or not yet in a release tag are linted, unless `--all`.
`--list-rules` prints every rule instead (the AL and the PI codes; `--format json` adds each
one's anti-pattern and better way).
AL001 is the verdict of a server's own parser: `[alters] check_with`'s environment, else a
private MariaDB started for the run when one is installed; `--no-server` (or neither) leaves
it to sqlfluff, and the finding says so.
Exit status: 0 clean (warnings allowed), 1 an error finding (or any finding with
`--strict`), 2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-lint-alters", description="Check alters.sql files for dangerous SQL.")
    parser.add_argument("filenames", nargs="*", type=Path, help="alters files to check")
    parser.add_argument("--all", action="store_true", help="lint every block, not only "
                        "those changed against HEAD or not yet released")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--list-rules", action="store_true", help="print every rule (AL and "
                        "PI codes) with its level and summary, and exit")
    parser.add_argument("--table-stats", type=Path, default=None, metavar="FILE",
                        help='JSON {"table": rows} for AL031 (default: '
                        ".git/stagecraft/table-stats.json when present)")
    parser.add_argument("--dialect", choices=("mysql", "mariadb"), default=None,
                        help="the SQL dialect to parse (default: [alters] dialect in "
                        "release.toml, else what alters.status last saw of a server, else mysql)")
    parser.add_argument("--no-server", action="store_true",
                        help="do not ask a server's parser (AL001 from sqlfluff only)")
    args = parser.parse_args(argv)
    if args.list_rules:
        if args.filenames:
            parser.error("--list-rules takes no file names")
        from release.alters.registry import RULES, render_rules

        print(render_rules(RULES.values(), args.format))
        return 0

    from release.alters.check import lint_alters_paths
    from release.alters.findings import report
    from release.console import complain, say
    from release.environment.syntax import syntax_servers

    with syntax_servers(use_server=not args.no_server) as server:
        return report(lambda: lint_alters_paths(
            args.filenames, cwd=Path.cwd(), all_blocks=args.all, table_stats=args.table_stats,
            dialect=args.dialect, server=server), fmt=args.format, strict=args.strict, say=say,
            complain=complain)


if __name__ == "__main__":
    raise SystemExit(main())
