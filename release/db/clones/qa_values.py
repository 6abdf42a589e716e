"""`[[qa.values]]`: the test numbers QA gets after its scrub (the runbook's "Update the QA
database's Twilio values so that we can test"), and the check that every such value is a
fictional or test number, so a tester's call or page can never reach a real person.

Fictional means: the NANP's 555-0100..555-0199 range (any area code, as the scrub makes
them), Twilio's magic test numbers (+1 500 555 0000..0009), or an address at a reserved
domain (example.com/.net/.org, .invalid, .test, .example). Anything else (a SID, a real
number a team owns for testing) needs `allow = true` on its entry: a decision a person made,
visible in release.toml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from release.config import QaValue
from release.console import Say
from release.db.connection import ServerError, connect, failure
from release.db.schema import quote
from release.db.target import Database
from release.errors import Refused

_NANP_FICTIONAL = re.compile(r"^1?[2-9]\d{2}55501\d{2}$")
_TWILIO_MAGIC = re.compile(r"^1500555000\d$")
_RESERVED_MAIL = re.compile(r"@(?:[^@\s]+\.)?(?:example\.(?:com|net|org)|[^@\s]+\.(?:invalid|test|"
                            r"example))$|@(?:invalid|test|example)$", re.IGNORECASE)


def is_fictional(value: str) -> bool:
    """A phone number in a fictional or test range, or a mail address at a reserved domain."""
    text = value.strip()
    if "@" in text:
        return bool(_RESERVED_MAIL.search(text))
    if not re.fullmatch(r"\+?[\d\s().\-]+", text):
        return False
    digits = re.sub(r"\D", "", text)
    return bool(_NANP_FICTIONAL.match(digits) or _TWILIO_MAGIC.match(digits))


def apply(db: Database, values: Sequence[QaValue], *, say: Say) -> list[str]:
    """Set each value where its rows are (one UPDATE an entry, in one transaction); then check
    them. Refuses on production. Returns a line an entry: what was set, on how many rows."""
    if db.production:
        raise Refused("refusing to apply [[qa.values]] to production: they are test numbers "
                      "for QA, set after its scrub. Nothing was changed.")
    lines: list[str] = []
    with connect(db.credentials, autocommit=False) as conn:
        try:
            with conn.cursor() as cur:
                for entry in values:
                    cur.execute(f"UPDATE {quote(entry.table)} SET {quote(entry.column)} = "
                                f"{entry.value} WHERE {entry.where}")
                    lines.append(f"{entry.describe()}: {cur.rowcount} row(s)")
            conn.commit()
        except ServerError as error:
            conn.rollback()
            raise failure(error, f"[[qa.values]] on {db.environment!r}",
                          f"the server refused {entry.describe()}",
                          "Nothing was set (rolled back); fix the entry in release.toml.") \
                from None
    for line in lines:
        say(f"  set {line}")
    require_fictional(db, values)
    return lines


def problems(db: Database, values: Sequence[QaValue]) -> list[str]:
    """Each value now in a [[qa.values]] entry's rows that is not fictional (and not allowed)."""
    found: list[str] = []
    with connect(db.credentials) as conn, conn.cursor() as cur:
        for index, entry in enumerate(values):
            if entry.allow:
                continue
            cur.execute(f"SELECT DISTINCT {quote(entry.column)} FROM {quote(entry.table)} "
                        f"WHERE {entry.where}")
            bad = sorted({str(row[0]) for row in cur.fetchall()
                          if row[0] is not None and not is_fictional(str(row[0]))})
            found += [f"qa.values[{index}] ({entry.table}.{entry.column} WHERE {entry.where}): "
                      f"{value!r} is not a fictional or test number" for value in bad]
    return found


def require_fictional(db: Database, values: Sequence[QaValue]) -> None:
    found = problems(db, values)
    if found:
        raise Refused(f"{db.environment} holds [[qa.values]] that could reach a real person:\n  "
                      + "\n  ".join(found) + "\nUse a 555-01xx or Twilio test number (e.g. "
                      "+15005550006), or add `allow = true` to the entry if this number is "
                      "yours to test with.")
