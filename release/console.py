"""Talking to the person at the terminal: progress lines, plans, confirmations.

Kept free of heavy imports so that `invoke --list` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from release.errors import Refused

Say = Callable[[str], None]   # prints one line for the person running the command
Ask = Callable[[str], str]    # asks the person a question, returns the answer typed


def say(message: str = "") -> None:
    print(message, flush=True)


def show_plan(title: str, steps: Iterable[str], *, dry_run: bool) -> None:
    heading = f"{title} (dry run: nothing will change)" if dry_run else title
    say(heading)
    for step in steps:
        say(f"  {'would run' if dry_run else 'run'}: {step}")


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
