"""release.console: lines, plans and confirmations at the terminal (a real pseudo-terminal
where a person's answer is needed)."""

from __future__ import annotations

import getpass
import os
import pty
import socket
import subprocess
import sys

import pytest

from release.console import complain, confirm, plan_heading, plan_step, say, show_plan, who
from release.errors import Refused

ASK = """
from release.console import confirm
from release.errors import Refused
try:
    confirm("Delete staging?", assume_yes=False)
    print("confirmed")
except Refused as refused:
    print("refused:", refused.message)
"""


def test_say_prints_a_line_and_complain_writes_to_stderr(
        capsys: pytest.CaptureFixture[str]) -> None:
    say("one")
    say()
    complain("error: why it stopped")
    captured = capsys.readouterr()
    assert captured.out == "one\n\n"
    assert captured.err == "error: why it stopped\n"


def test_who_is_the_user_at_this_machine() -> None:
    assert who() == f"{getpass.getuser()}@{socket.gethostname()}"


def test_a_plan_says_would_run_in_a_dry_run_and_run_otherwise() -> None:
    said: list[str] = []
    show_plan("create staging", ["git fetch origin", "git push origin staging"], dry_run=True,
              say=said.append)
    show_plan("create staging", ["git fetch origin"], dry_run=False, say=said.append)
    assert said == [
        "create staging (dry run: nothing will change)",
        "  would run: git fetch origin", "  would run: git push origin staging",
        "create staging", "  run: git fetch origin"]
    assert plan_heading("t", dry_run=False) == "t"
    assert plan_step("git fetch", dry_run=True, indent="    ") == "    would run: git fetch"


def test_yes_confirms_without_asking() -> None:
    confirm("Delete staging?", assume_yes=True)  # no terminal here, and no refusal


def test_without_a_terminal_it_refuses_saying_how_to_proceed() -> None:
    with pytest.raises(Refused) as refused:
        confirm("Delete staging?", assume_yes=False)
    assert refused.value.message == (
        "Delete staging?\nNo terminal to ask for confirmation; nothing was changed. "
        "Re-run with --yes to proceed, or --dry-run to see the plan.")


def _answer(text: str) -> str:
    """Run a confirmation at a pseudo-terminal and answer it with `text`."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-c", ASK], stdin=terminal,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        os.write(controller, text.encode())
        out, err = process.communicate(timeout=30)
    finally:
        os.close(controller)
        os.close(terminal)
    assert process.returncode == 0, err
    return out


@pytest.mark.parametrize("answer", ["y\n", "YES\n", " yes \n"])
def test_at_a_terminal_y_or_yes_confirms(answer: str) -> None:
    assert _answer(answer).endswith("confirmed\n")


@pytest.mark.parametrize("answer", ["\n", "n\n", "sure\n"])
def test_at_a_terminal_anything_else_refuses_and_changes_nothing(answer: str) -> None:
    out = _answer(answer)
    assert "Delete staging? [y/N] " in out
    assert out.endswith("refused: Not confirmed; nothing was changed.\n")
