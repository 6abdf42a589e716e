"""The "local" host: a folder on this machine (the demo's and most tests' servers)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from release.hosts.base import Host, Result, busy, holder_path


class LocalHost(Host):
    label = "local"

    def run(self, argv: Sequence[str], *, cwd: str | None = None, stdin: str | None = None,
            timeout: float | None = None) -> Result:
        # git must never stop to ask for a password on a deploy.
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
        try:
            done = subprocess.run(list(argv), cwd=cwd, input=stdin, capture_output=True,
                                  text=True, env=env, timeout=timeout, check=False,
                                  stdin=None if stdin is not None else subprocess.DEVNULL)
        except FileNotFoundError as error:
            return Result(127, "", f"{error.strerror}: {error.filename}")
        except NotADirectoryError as error:
            return Result(126, "", f"{error.strerror}: {cwd}")
        except subprocess.TimeoutExpired:
            return Result(124, "", f"timed out after {timeout}s: {' '.join(argv)}")
        return Result(done.returncode, done.stdout, done.stderr)

    def smoke(self, url: str, *, timeout: float) -> tuple[bool, str]:
        request = urllib.request.Request(url, method="GET")
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(request, timeout=timeout) as response:
                status = int(response.status)
        except urllib.error.HTTPError as error:
            status = int(error.code)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return False, f"{url} did not answer within {timeout:g}s: {reason}"
        return 200 <= status < 400, f"{url} answered HTTP {status}"

    @contextmanager
    def lock(self, path: str, holder: str) -> Iterator[None]:
        lock_file = Path(path)
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise busy(path, _read(holder_path(path))) from None
            Path(holder_path(path)).write_text(holder + "\n")
            yield
        finally:
            os.close(fd)  # closing (or dying) releases the flock


    def close(self) -> None:
        """Nothing to let go of: each command is its own process."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is an answer (the application is up); following it would test another page."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""
