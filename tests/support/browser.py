"""Headless Chromium driven over the DevTools protocol on a pipe (no extra Python package).

`--remote-debugging-pipe` makes Chromium read NUL-terminated JSON commands from fd 3 and
write responses and events to fd 4.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe", "--window-size=1000,1400")
TIMEOUT = 30.0


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One tab: navigate, evaluate JavaScript, click, screenshot; console errors collected."""

    def __init__(self, to_browser: int, from_browser: int) -> None:
        self._out, self._in = to_browser, from_browser
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None
        self.errors: list[str] = []
        self.events: list[str] = []

    def command(self, method: str, params: dict[str, Any] | None = None,
                session: bool = True) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def wait_for(self, event: str) -> None:
        while event not in self.events:
            self._read()

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._in, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        self._note(message)
        return message

    def _note(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if not method:
            return
        self.events.append(method)
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(json.dumps(params.get("args", []))[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.errors.append(params["entry"].get("text", ""))

    def open(self, path: Path) -> None:
        self.events.clear()
        self.command("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.command("Runtime.evaluate", {"expression": expression,
                                                   "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A real mouse click at viewport coordinates, as a person ticking a box."""
        for kind in ("mousePressed", "mouseReleased"):
            self.command("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y,
                                                      "button": "left", "clickCount": 1})

    def screenshot(self, path: Path) -> None:
        data = self.command("Page.captureScreenshot", {"format": "png",
                                                      "captureBeyondViewport": True})["data"]
        path.write_bytes(base64.b64decode(data))


@contextmanager
def chromium(executable: str) -> Iterator[Page]:
    profile = tempfile.mkdtemp(prefix="stagecraft-chromium-")
    commands_r, commands_w = os.pipe()
    replies_r, replies_w = os.pipe()

    def wire_pipes() -> None:
        # Move both ends out of the way first (a pipe end may itself be fd 3 or 4), then
        # dup2 makes inheritable copies at 3 and 4; every other descriptor Python opened is
        # close-on-exec, so close_fds=False leaks nothing else into Chromium.
        high_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)

    process = subprocess.Popen(
        [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        preexec_fn=wire_pipes, close_fds=False,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(commands_r)
    os.close(replies_w)
    page = Page(commands_w, replies_r)
    try:
        targets = page.command("Target.getTargets")["targetInfos"]
        target = next(t["targetId"] for t in targets if t["type"] == "page")
        page.session = page.command("Target.attachToTarget",
                                    {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            page.command(f"{domain}.enable")
        yield page
    finally:
        with suppress(RuntimeError, OSError, TimeoutError):
            page.command("Browser.close", session=False)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(commands_w)
        os.close(replies_r)
        shutil.rmtree(profile, ignore_errors=True)
