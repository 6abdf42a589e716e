"""What a deploy does to one checkout on one host: look at it, fetch, check out, reload,
smoke-check, and keep its audit log. Every git command runs on the host, in the checkout."""

from __future__ import annotations

from dataclasses import dataclass

from release.config import HostEntry
from release.deploy.records import Record, parse_lines
from release.hosts import Host, Result

LOG = "stagecraft/deploys.jsonl"
LOCK = "stagecraft/deploy.lock"
SMOKE_TIMEOUT = 10.0


@dataclass
class Checkout:
    entry: HostEntry
    host: Host
    git_dir: str = ""   # absolute, found by `inspect`

    @property
    def label(self) -> str:
        return f"{self.entry.host}:{self.entry.path}"

    def git(self, *args: str, timeout: float | None = None) -> Result:
        return self.host.run(["git", *args], cwd=self.entry.path, timeout=timeout)

    def inspect(self) -> list[str]:
        """Problems that stop a deploy here: no checkout, not a repository; else none."""
        found = self.host.run(["test", "-d", self.entry.path])
        if not found.ok:
            return [f"{self.label}: no such folder. Clone the application there first "
                    f"(git clone URL {self.entry.path})."]
        git_dir = self.git("rev-parse", "--absolute-git-dir")
        if not git_dir.ok:
            return [f"{self.label}: not a git repository ({git_dir.output()})."]
        self.git_dir = git_dir.stdout.strip()
        return []

    def head(self) -> str:
        result = self.git("rev-parse", "--verify", "--quiet", "HEAD")
        return result.stdout.strip() if result.ok else ""

    def local_changes(self) -> list[str]:
        """Tracked files changed by hand (modified, staged, deleted); untracked ones do not
        count: they are the server's own (logs, uploads, local settings)."""
        result = self.git("status", "--porcelain", "--untracked-files=no")
        return [line for line in result.stdout.splitlines() if line.strip()]

    def has_commit(self, sha: str) -> bool:
        return self.git("cat-file", "-e", f"{sha}^{{commit}}").ok

    def fetch(self, remote: str) -> Result:
        return self.git("fetch", "--quiet", "--tags", remote, timeout=600)

    def checkout(self, sha: str) -> Result:
        return self.git("checkout", "--quiet", "--detach", sha)

    def reload(self, command: str) -> Result:
        return self.host.shell(command, cwd=self.entry.path, timeout=600)

    def smoke(self, url: str) -> tuple[bool, str]:
        return self.host.smoke(url, timeout=SMOKE_TIMEOUT)

    # -- the audit log inside .git ------------------------------------------------------
    def append(self, record: Record) -> Result:
        return self.host.run(["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat >> "$1"', "sh",
                              f"{self.git_dir}/{LOG}"], stdin=record.line() + "\n")

    def records(self) -> list[Record]:
        if not self.git_dir:
            return []
        result = self.host.run(["cat", f"{self.git_dir}/{LOG}"])
        where = f"{self.entry.host}:{self.git_dir}/{LOG}"
        return parse_lines(result.stdout, where=where) if result.ok else []

    def lock_path(self) -> str:
        return f"{self.git_dir}/{LOCK}"
