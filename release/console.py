"""Talking to the person at the terminal: progress lines, plans, confirmations, and who they are.

Code below the invoke tasks never prints by itself: it takes a `say` (and, when it asks, an
`ask` or `confirm`) from its caller, so a task prints to the terminal, a deploy into its log and
a test into a list, all through the same functions. Kept free of heavy imports so that
`invoke --list` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from release.errors import Refused

Say = Callable[[str], None]   # shows one line (or a block of lines) to the person
Ask = Callable[[str], str]    # asks a question, returns the answer typed


def say(message: str = "") -> None:
    print(message, flush=True)


def complain(message: str) -> None:
    """Why a command stopped: on stderr, apart from its output."""
    print(message, file=sys.stderr, flush=True)


def who() -> str:
    """Who is running this, as the ledger, deploy records and run progress name them."""
    # Imported here: socket is the heaviest import of this module, which every task loads.
    import getpass
    import socket

    return f"{getpass.getuser()}@{socket.gethostname()}"


def plan_heading(title: str, *, dry_run: bool) -> str:
    return f"{title} (dry run: nothing will change)" if dry_run else title


def plan_step(step: str, *, dry_run: bool, indent: str = "  ") -> str:
    return f"{indent}{'would run' if dry_run else 'run'}: {step}"


def show_plan(title: str, steps: Iterable[str], *, dry_run: bool, say: Say) -> None:
    """A plan as every command prints it: the title (marked when it is a dry run), then a
    line a step."""
    say(plan_heading(title, dry_run=dry_run))
    for step in steps:
        say(plan_step(step, dry_run=dry_run))


def confirm(question: str, *, assume_yes: bool) -> None:
    """Ask before destructive work; refuse when nobody is there to answer."""
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise Refused(
            f"{question}\nNo terminal to ask for confirmation; nothing was changed. "
            "Re-run with --yes to proceed, or --dry-run to see the plan."
        )
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer not in {"y", "yes"}:
        raise Refused("Not confirmed; nothing was changed.")
