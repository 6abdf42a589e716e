"""The house's size rules: no module in release/ or hooks/ over 300 lines, no function over
60. A newcomer reads a module in one sitting and a function on one screen."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parents[1]
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60


def modules() -> Iterator[Path]:
    for folder in ("release", "hooks"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def too_long(path: Path, root: Path = ROOT) -> list[str]:
    """What in one module breaks the size rules, as `path: what` lines."""
    text = path.read_text(encoding="utf-8")
    shown = path.relative_to(root).as_posix()
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{shown}: {lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=shown)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{shown}:{node.lineno}: {node.name}() is {length} lines "
                             f"(at most {MAX_FUNCTION_LINES})")
    return found


def test_no_module_over_300_lines_and_no_function_over_60() -> None:
    found = [problem for path in modules() for problem in too_long(path)]
    assert found == [], "split these along a real seam:\n" + "\n".join(found)


def test_the_walk_reads_both_packages_and_names_what_is_too_long(tmp_path: Path) -> None:
    walked = {path.relative_to(ROOT).parts[0] for path in modules()}
    assert walked == {"release", "hooks"}
    body = "\n".join(f"        x{n} = {n}" for n in range(60))
    long_one = tmp_path / "hooks" / "sprawling.py"
    long_one.parent.mkdir()
    long_one.write_text(f"def fits():\n    return 1\n\n\nclass C:\n    def sprawls(self):\n"
                        f"{body}\n" + "\n" * 240)
    assert too_long(long_one, tmp_path) == [
        "hooks/sprawling.py: 306 lines (at most 300)",
        "hooks/sprawling.py:6: sprawls() is 61 lines (at most 60)"]
