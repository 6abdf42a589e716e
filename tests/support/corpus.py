"""The production data the tests stand on: the generated sample application always, and the
client's real files (a corpus) when they are here.

The client's folder is named by STAGECRAFT_CLIENT_FILES (default ../shared/fixtures/mdcom
beside the repository, when it exists). Without it the tests that need it, and only those, are
skipped with one line saying so (see the `client_files` fixture and the terminal summary in
tests/conftest.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from release.demo import sample

CLIENT_FILES_ENV = "STAGECRAFT_CLIENT_FILES"
CLIENT_SKIP = (f"the client's files are not here: set {CLIENT_FILES_ENV} to their folder "
               "to run the client-corpus tests")
CLIENT_RULES = Path(__file__).resolve().parents[1] / "corpus" / "mdcom_scrub.toml"


def _client_files() -> Path | None:
    named = os.environ.get(CLIENT_FILES_ENV)
    folder = (Path(named) if named
              else Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "mdcom")
    return folder if (folder / "alters.sql").is_file() else None


CLIENT_FILES = _client_files()


@dataclass(frozen=True)
class Corpus:
    """A production database to test on, and where its contact data sits."""

    name: str
    rules: str                         # its [scrub] configuration
    dump: Path | None                  # None: the generated sample
    phone: tuple[str, str, str]        # (table, integer key, column) of a mobile phone
    zip: tuple[str, str, str]          # the same for a postal code
    sender: tuple[str, str]            # a column where every row holds one sending number
    call_id: tuple[str, str]           # call ids, unique per call
    contact_rules: int                 # how many phone/email-like rules hold values


SAMPLE = Corpus("sample", sample.scrub_toml(), None,
                ("accounts_profile", "user_id", "mobile_phone"),
                ("accounts_profile", "user_id", "zip"),
                ("messaging_deliverylog", "tx_number"), ("callcenter_calllog", "call_sid"), 24)


def client_corpus() -> Corpus:
    """The client's dump as a corpus; the test is skipped when the client's files are not here."""
    if CLIENT_FILES is None:
        pytest.skip(CLIENT_SKIP)
    return Corpus("client", CLIENT_RULES.read_text(), CLIENT_FILES / "mhlogin_dump.sql",
                  ("MHLUsers_mhluser", "user_ptr_id", "mobile_phone"),
                  ("MHLUsers_mhluser", "user_ptr_id", "zip"),
                  ("DoctorCom_messagelog", "tx_number"), ("IVR_calllog", "callSID"), 20)


def client_alters(folder: Path) -> str:
    return (folder / "alters.sql").read_text()
