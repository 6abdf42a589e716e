"""Bad usage exits 2, whichever task it is for.

The `invoke` command parses a task's options itself and exits 1 on a missing required option,
an unknown option or an unknown task, before any task code runs; Stagecraft's exit codes say 2
for bad usage (the README's table). Loading this collection is the one moment Stagecraft's
code runs inside that `invoke` before the parse, so it wraps the parse steps of invoke's
Program there: their ParseError leaves as invoke's own Exit, code 2, with the same message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

USAGE = 2


def bad_usage_exits_2() -> None:
    from invoke.exceptions import Exit, ParseError
    from invoke.program import Program

    def exits_2(step: Callable[[Any], None]) -> Callable[[Any], None]:
        if getattr(step, "stagecraft_usage", False):
            return step  # loaded twice (tests, several collections): wrapped once

        @functools.wraps(step)
        def wrapper(self: Any) -> None:
            try:
                step(self)
            except ParseError as error:
                raise Exit(message=f"{error}\nRun `invoke --help TASK` for its options.",
                           code=USAGE) from None

        wrapper.stagecraft_usage = True  # type: ignore[attr-defined]
        return wrapper

    Program.parse_tasks = exits_2(Program.parse_tasks)  # type: ignore[method-assign,assignment]
    Program.parse_cleanup = exits_2(Program.parse_cleanup)  # type: ignore[method-assign,assignment]
