"""What every task does with bad usage (exit 2) and with a reader that goes away (quiet)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.production import Setup


def _invoke(setup: Setup, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=setup.root,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


@pytest.mark.parametrize(("args", "said"), [
    (("db.dump",), "'db.dump' did not receive required positional arguments: 'env'"),
    (("db.clone", "--to", "qa"), "did not receive required positional arguments: 'from_'"),
    (("alters.status", "--env", "qa", "--no-such-option"), "No idea what '--no-such-option'"),
    (("db.no-such-task",), "No idea what 'db.no-such-task' is!"),
])
def test_bad_usage_exits_2_with_the_reason(setup: Setup, args: tuple[str, ...],
                                           said: str) -> None:
    result = _invoke(setup, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert said in result.stderr and "invoke --help" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("alters.status", "--env", "qa"), ("db.backups",),
                                  ("db.clone", "--from", "production", "--to", "qa",
                                   "--dry-run")])
def test_a_reader_that_goes_away_ends_the_task_quietly(setup: Setup,
                                                       args: tuple[str, ...]) -> None:
    (setup.root / "alters.sql").write_text("-- alter: first\nCREATE TABLE t (id int);\n")
    for step in (("init", "--quiet"), ("add", "-A"), ("commit", "--quiet", "-m", "app")):
        subprocess.run(["git", *step], cwd=setup.root, check=True, capture_output=True)
    # As `| head -1` once it has its line: here the reader is gone before the first one.
    proc = subprocess.Popen([sys.executable, "-m", "invoke", *args], cwd=setup.root,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert err == "" and proc.returncode == 1
