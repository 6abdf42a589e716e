"""release.hosts.base: what every host's answers and refusals look like (pure values)."""

from __future__ import annotations

from release.errors import REFUSED, Failed, Refused
from release.hosts.base import HostError, LockBusy, Result, busy, holder_path, quoted


def test_a_result_is_ok_only_on_exit_0_and_its_output_prefers_stderr() -> None:
    assert Result(0, "out\n", "").ok and not Result(3, "", "").ok
    assert Result(1, "out\n", "  err \n").output() == "err"
    assert Result(1, " out \n", "").output() == "out"
    assert Result(1, "", "x" * 1000 + "y" * 1000).output() == "x" * 500 + "y" * 1000


def test_host_errors_are_failures_and_a_busy_lock_a_refusal_naming_its_holder() -> None:
    assert issubclass(HostError, Failed) and issubclass(LockBusy, Refused)
    refusal = busy("/srv/app/.git/stagecraft/deploy.lock", "ann@laptop since 10:02")
    assert refusal.exit_code == REFUSED
    assert refusal.message == (
        "another deploy holds the lock /srv/app/.git/stagecraft/deploy.lock: ann@laptop since "
        "10:02. Wait for it to finish (a killed deploy releases it by itself) and retry. "
        "Nothing was changed.")
    assert "unknown holder" in busy("/x.lock", "").message
    assert holder_path("/x.lock") == "/x.lock.holder"


def test_a_command_is_quoted_for_a_remote_shell_with_its_folder() -> None:
    assert quoted(["git", "log", "-1", "--format=%s %an"], None) == \
        "git log -1 '--format=%s %an'"
    assert quoted(["ls"], "/srv/my app") == "cd '/srv/my app' && ls"
