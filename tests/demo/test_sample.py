"""The generated sample application: deterministic, shaped like a real clinic product, with
contact data where a scanner looks and where it does not."""

from __future__ import annotations

import re
import tomllib

from release.config import parse
from release.demo import sample
from release.demo.sample import Size
from tests.support.mariadb import MariaDB
from tests.support.templates import Templates


def test_same_size_and_seed_give_the_same_database_another_seed_another() -> None:
    assert sample.database_sql() == sample.database_sql()
    assert sample.database_sql(seed=7) != sample.database_sql()


def test_scrub_rules_parse_as_a_users_release_toml_and_cover_the_hidden_columns() -> None:
    config = parse(tomllib.loads(sample.scrub_toml()), root=None, source="scrub.toml")
    covered = {f"{r.table}.{r.column}" for r in config.scrub.rules}
    for hidden in ("invites_invitation.recipient", "messaging_deliverylog.confirmation",
                   "callcenter_calllog.caller", "messaging_message.body",
                   "billing_invoice.remit_note", "patients_patient.zip",
                   "auth_user.first_name", "accounts_provider.twilio_number_sid"):
        assert hidden in covered
    assert set(config.scrub.safe) == {"accounts_provider.npi",
                                      "accounts_provider.forward_voicemail"}


def test_loaded_database_holds_real_looking_contact_data_in_plain_and_hidden_places(
        mariadb: MariaDB, templates: Templates) -> None:
    name = templates.template("sample")
    with mariadb.connect(name) as conn, conn.cursor() as cur:
        for table, rows in Size().counts().items():
            cur.execute(f"SELECT COUNT(*) FROM `{table}`")
            assert cur.fetchone() == (rows,), table
        cur.execute("SELECT email FROM auth_user WHERE id = 1")
        assert re.fullmatch(r"[a-z]+\.[a-z]+1@[a-z]+\.(com|net|org)", cur.fetchone()[0])
        cur.execute("SELECT twilio_number, twilio_number_sid FROM accounts_provider LIMIT 1")
        number, sid = cur.fetchone()
        assert re.fullmatch(r"\+1\d{10}", number) and re.fullmatch(r"PN[0-9a-f]{32}", sid)
        assert number[5:8] != "555"
        cur.execute("SELECT SUM(remit_note LIKE '%@%'), COUNT(*) FROM billing_invoice")
        emails, total = cur.fetchone()
        assert int(emails) * 10 == total
        cur.execute("SELECT COUNT(*) FROM messaging_message WHERE body LIKE '%@%' "
                    "OR body REGEXP '[(][0-9]{3}[)] [0-9]{3}-[0-9]{4}'")
        assert 0 < cur.fetchone()[0] < Size().rows // 2
        cur.execute("SELECT COUNT(DISTINCT tx_number) FROM messaging_deliverylog")
        assert cur.fetchone() == (1,)
