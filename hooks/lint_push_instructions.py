"""pre-commit hook `release-lint-push-instructions`: the PI rules over push instructions.

Exit status: 0 clean, 1 a finding, 2 bad usage or configuration. `--list-rules` prints
the PI rules instead.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-lint-push-instructions",
        description="Check production_push_instructions.txt: header, dated entries, secrets.")
    parser.add_argument("filenames", nargs="*", type=Path)
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--list-rules", action="store_true",
                        help="print the PI rules with their level and summary, and exit")
    args = parser.parse_args(argv)
    if args.list_rules:
        if args.filenames:
            parser.error("--list-rules takes no file names")
        from release.alters.registry import PUSH_INSTRUCTION_RULES, render_rules

        print(render_rules(PUSH_INSTRUCTION_RULES, args.format))
        return 0

    from release.alters.check import lint_push_instruction_paths
    from release.alters.findings import report
    from release.console import complain, say

    return report(lambda: lint_push_instruction_paths(args.filenames, cwd=Path.cwd()),
                  fmt=args.format, strict=args.strict, say=say, complain=complain)


if __name__ == "__main__":
    raise SystemExit(main())
