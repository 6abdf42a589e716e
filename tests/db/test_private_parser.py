"""The private server that parses for AL001 when no environment is named: named by the
installed mariadbd's version, started only when first asked, shared by the process."""

from __future__ import annotations

from release.db import private_parser
from release.db.private_parser import installed_version, private_syntax


def test_a_private_server_is_started_only_when_first_asked_and_then_shared() -> None:
    first, second = private_syntax(), private_syntax()
    assert first is not None and second is not None
    # its identity (the verdicts' cache key) comes from the binary: no server needed for it
    assert first.identity().startswith(installed_version())
    assert "MariaDB" in installed_version()
    verdicts = first.check(["SAVEPOINT s", "DELETE FROM t LIMIT 0,25"])
    assert [v.parses for v in verdicts] == [True, False]
    running = list(private_parser._running)
    assert len(running) == 1
    assert [v.parses for v in second.check(["SELEC 1"])] == [False]
    assert private_parser._running == running
    first.close()
    second.close()
