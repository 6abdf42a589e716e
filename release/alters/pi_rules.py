"""The push-instructions rules (pure): PI001-PI007 over a parsed file.

PI001 no free-text header before the entries        PI005 an entry with no text
PI002 a line that is neither header, entry nor      PI006 a password or key pasted in
      indented continuation                         PI007 "run alters.sql" in a new entry
PI003 a date in the future                                but no alters block is pending
PI004 a date earlier than the entry before it
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection

from release.alters.findings import Finding
from release.alters.push_instructions import Entry, PushInstructions
from release.alters.registry import PI001, PI002, PI003, PI004, PI005, PI006, PI007

_SECRETS = (
    (re.compile(r"\b(?:mysql|mysqldump|mariadb|mariadb-dump|mysqladmin)\b.*?\s-p(?!\s|$)(\S+)"),
     "a literal -p<password> on a command line"),
    (re.compile(r"--password=(?!\s|$)\S+"), "a literal --password=..."),
    (re.compile(r"\b(?:password|passwd|pwd|secret|token)\s*[=:]\s*(?![<{$\s])\S+",
                re.IGNORECASE), "a password=/token= value"),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (re.compile(r"aws_secret_access_key\s*[=:]\s*\S+", re.IGNORECASE), "an AWS secret key"),
    (re.compile(r"\b(?:AC|SK)[0-9a-f]{32}\b"), "a Twilio account SID or API key"),
)
_RUN_ALTERS = re.compile(r"\balters\w*\.sql\b", re.IGNORECASE)


def push_instruction_findings(
    path: str,
    text: str,
    parsed: PushInstructions,
    *,
    today: datetime.date,
    new_entries: Collection[int] | None,
    pending_blocks: int | None,
) -> list[Finding]:
    """`new_entries`: lines of entries not in the last release (None: all are new);
    `pending_blocks`: alters blocks not yet released (None: unknown, PI007 is skipped)."""
    findings: list[Finding] = []
    if parsed.entries and not parsed.header.strip():
        findings.append(Finding(path, 1, 1, PI001, "the file must start with its free-text "
                                "header (what this file is for) before the dated entries"))
    for bad in parsed.malformed:
        findings.append(Finding(path, bad.line, 1, PI002, bad.reason))
    previous: Entry | None = None
    for entry in parsed.entries:
        findings.extend(_entry(path, entry, previous, today, new_entries, pending_blocks))
        previous = entry
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, what in _SECRETS:
            match = pattern.search(line)
            if match:
                findings.append(Finding(path, number, match.start() + 1, PI006, f"{what} is "
                                        "pasted here: remove it, rotate it, and refer to where "
                                        "the secret is kept instead"))
                break
    return findings


def _entry(path: str, entry: Entry, previous: Entry | None, today: datetime.date,
           new_entries: Collection[int] | None, pending_blocks: int | None) -> list[Finding]:
    found = []

    def add(code: str, message: str) -> None:
        found.append(Finding(path, entry.line, 1, code, message))

    if entry.date > today:
        add(PI003, f"{entry.date} is in the future: date the entry today or earlier")
    if previous is not None and entry.date < previous.date:
        add(PI004, f"{entry.date} is earlier than the entry before it ({previous.date}, "
            f"line {previous.line}): entries are appended in date order")
    if not entry.text.strip():
        add(PI005, f"the entry by {entry.author} says nothing: write the steps to do")
    is_new = new_entries is None or entry.line in new_entries
    if is_new and pending_blocks == 0 and _RUN_ALTERS.search(entry.text):
        add(PI007, "this entry asks to run the alters, but no alters block is pending: "
            "commit the block together with this entry")
    return found
