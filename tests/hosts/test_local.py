"""release.hosts.local: the "local" host, a folder on this machine; real processes, a real HTTP
server on 127.0.0.1 and real locks."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from release.hosts.base import LockBusy
from release.hosts.local import LocalHost
from release.hosts.ssh import free_port


def test_a_program_gets_its_arguments_as_they_are_in_its_folder_with_its_input(
        tmp_path: Path) -> None:
    done = LocalHost().run(["sh", "-c", 'cat > given.txt; pwd; echo "$1"', "sh", "$HOME; ls"],
                           cwd=str(tmp_path), stdin="hi\n")
    assert done.ok and done.stdout.splitlines() == [str(tmp_path), "$HOME; ls"]
    assert (tmp_path / "given.txt").read_text() == "hi\n"
    assert LocalHost().run(["false"]).code == 1


def test_a_command_line_runs_through_the_shell_in_its_folder(tmp_path: Path) -> None:
    done = LocalHost().shell("echo one && pwd > where.txt", cwd=str(tmp_path))
    assert done.ok and done.stdout == "one\n"
    assert (tmp_path / "where.txt").read_text() == f"{tmp_path}\n"


def test_without_input_a_program_reads_nothing_and_git_never_prompts() -> None:
    done = LocalHost().run(["sh", "-c", 'cat; echo "prompt=$GIT_TERMINAL_PROMPT"'])
    assert done.stdout == "prompt=0\n"


def test_a_missing_program_a_missing_folder_and_a_timeout_are_results_not_exceptions(
        tmp_path: Path) -> None:
    host = LocalHost()
    missing = host.run(["no-such-program-here"])
    assert (missing.code, missing.ok) == (127, False)
    assert "No such file or directory: no-such-program-here" in missing.output()
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    assert host.run(["true"], cwd=str(not_a_folder)).code == 126
    slow = host.run(["sleep", "5"], timeout=0.2)
    assert slow.code == 124 and slow.stderr == "timed out after 0.2s: sleep 5"


class _Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        code = int(self.path.strip("/") or 200)
        self.send_response(code)
        if code == 302:
            self.send_header("Location", "/500")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads answers, not logs."""


@pytest.fixture
def web() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_smoke_passes_2xx_and_3xx_without_following_and_fails_an_error(web: str) -> None:
    host = LocalHost()
    assert host.smoke(f"{web}/200", timeout=5) == (True, f"{web}/200 answered HTTP 200")
    assert host.smoke(f"{web}/302", timeout=5) == (True, f"{web}/302 answered HTTP 302")
    assert host.smoke(f"{web}/500", timeout=5) == (False, f"{web}/500 answered HTTP 500")


def test_smoke_of_nothing_listening_says_it_did_not_answer() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    ok, said = LocalHost().smoke(url, timeout=2)
    assert not ok and said.startswith(f"{url} did not answer within 2s: ")


def test_a_second_holder_is_refused_by_name_and_the_lock_is_free_again_after(
        tmp_path: Path) -> None:
    path = str(tmp_path / "locks" / "deploy.lock")
    host = LocalHost()
    with host.lock(path, "ann at 10:00"):
        with pytest.raises(LockBusy) as busy, host.lock(path, "bob"):
            pass
        assert busy.value.message.startswith(
            f"another deploy holds the lock {path}: ann at 10:00. Wait for it")
    with host.lock(path, "bob"):
        assert Path(path + ".holder").read_text() == "bob\n"


HOLD = """
import sys, time
from release.hosts.local import LocalHost
with LocalHost().lock(sys.argv[1], "a killed deploy"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_the_lock_dies_with_the_process_that_held_it(tmp_path: Path) -> None:
    path = str(tmp_path / "deploy.lock")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockBusy, match="a killed deploy"), LocalHost().lock(path, "me"):
            pass
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            with LocalHost().lock(path, "me"):
                break
        except LockBusy:
            assert time.monotonic() < deadline, "the killed holder's lock was not released"
            time.sleep(0.05)
