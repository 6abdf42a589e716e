"""The sample's rows at any size, as `INSERT ... SELECT ... FROM seq_1_to_N` text (pure).

`Size.rows` is the row count of the big tables (messages, deliveries, pages, calls); the
others follow from it, so the default loads in about a second and `Size(1_000_000)` makes the
million-row tables the benchmarks need in well under a minute. Contact data sits where a
scanner expects it (phone, email, address columns) and where it does not: an invitation's
`recipient`, a delivery's `confirmation`, the caller of a call, free text that sometimes
mentions a number or an address, and `remit_note`, where one row in ten is an email.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.demo.sample.values import Values, quoted

BODIES = ("Refill request for lisinopril 10mg.", "Please review the attached imaging report.",
          "Rescheduling Thursday follow-up to next week.", "Patient reports mild fever since "
          "Monday.", "Prior authorization approved by the insurer.", "Flu clinic on Saturday.")
PAGES = ("Lab critical value, please call the floor.", "ED consult requested.",
         "Patient in room 4 asking for you.", "Pharmacy question about a dose.")
REMITS = ("Net 30", "Paid by check", "Autopay on file", "Waived: pilot month", "Net 45")
SPECIALTIES = ("Family Medicine", "Pediatrics", "Cardiology", "Dermatology", "Internal Medicine",
               "Obstetrics", "Orthopedics", "Psychiatry")
MIGRATIONS = ("contenttypes.0001_initial", "auth.0001_initial", "accounts.0001_initial",
              "clinics.0001_initial", "patients.0001_initial", "messaging.0001_initial",
              "messaging.0002_deliverylog", "paging.0001_initial", "callcenter.0001_initial",
              "invites.0001_initial", "billing.0001_initial", "schedules.0001_initial")


@dataclass(frozen=True)
class Size:
    rows: int = 1000     # rows in each big table

    @property
    def users(self) -> int:
        return max(60, self.rows // 10)

    @property
    def providers(self) -> int:      # users 1..providers are providers, the rest staff
        return self.users // 2

    @property
    def practices(self) -> int:
        return max(8, self.rows // 200)

    @property
    def services(self) -> int:
        return max(3, self.practices // 4)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        r, u, p = self.rows, self.users, self.practices
        return {
            "django_site": 1, "django_migrations": len(MIGRATIONS), "auth_user": u,
            "django_session": u // 2, "accounts_profile": u, "clinics_answeringservice":
            self.services, "clinics_practice": p, "clinics_practice_members": u,
            "accounts_provider": self.providers, "clinics_staff": u - self.providers,
            "patients_patient": max(20, r // 2), "messaging_message": r,
            "messaging_messagerecipient": r, "messaging_deliverylog": r,
            "messaging_optout": max(10, r // 50), "paging_pagerlog": r,
            "callcenter_calllog": r, "invites_invitation": max(20, r // 5),
            "billing_account": p, "billing_invoice": max(20, r // 4),
            "schedules_oncallshift": max(20, r // 4),
        }


def _one_of(v: Values, salt: str, n: int) -> str:
    """A foreign key: an id in 1..n."""
    return f"(1 + {v.hash(salt)} % {n})"


def _columns(size: Size, v: Values) -> dict[str, dict[str, str]]:
    """Each table's columns and the expression that fills them, in dependency order."""
    return {**_people(size, v), **_clinics(size, v), **_messaging(size, v),
            **_business(size, v)}


def _people(size: Size, v: Values) -> dict[str, dict[str, str]]:
    """Django's own tables and the people: users, sessions, profiles."""
    u, prov = size.users, size.providers
    return {
        "django_site": {"id": "seq", "domain": "'app.pagewell.example'", "name": "'Pagewell'"},
        "django_migrations": {
            "id": "seq", "app": f"SUBSTRING_INDEX(ELT(seq, {_list(MIGRATIONS)}), '.', 1)",
            "name": f"SUBSTRING_INDEX(ELT(seq, {_list(MIGRATIONS)}), '.', -1)",
            "applied": "TIMESTAMPADD(MINUTE, seq, '2023-11-02 09:00:00')"},
        "auth_user": {
            "id": "seq", "password": f"CONCAT('pbkdf2_sha256$600000$', {v.sid('', 'salt')})",
            "last_login": v.timestamp("login"), "is_superuser": "seq = 1",
            "username": f"CONCAT(LOWER({v.first_name('u')}), '.', LOWER({v.last_name('u')}), seq)",
            "first_name": v.first_name("u"), "last_name": v.last_name("u"),
            "email": v.email("u", unique=True), "is_staff": "seq <= 3",
            "date_joined": "TIMESTAMPADD(HOUR, seq, '2023-12-01 00:00:00')"},
        "django_session": {
            "session_key": v.sid("", "session"),
            "session_data": f"TO_BASE64(CONCAT('{{\"_auth_user_id\":\"', {_one_of(v, 'su', u)}"
                            ", '\"}'))",
            "expire_date": v.timestamp("expire")},
        "accounts_profile": {
            "user_id": "seq", "title": f"IF(seq <= {prov}, 'Dr.', '')",
            "phone": v.phone("home"), "mobile_phone": v.phone("cell", style="paren"),
            "address1": v.street("home"), "address2": v.suite("home"), "city": v.city("home"),
            "state": v.state("home"), "zip": v.postal_code("home"), "updated_at": "NULL"},
    }


def _clinics(size: Size, v: Values) -> dict[str, dict[str, str]]:
    """Answering services, practices, their members, providers, staff and patients."""
    p, prov = size.practices, size.providers
    return {
        "clinics_answeringservice": {
            "id": "seq", "name": f"CONCAT({v.city('svc')}, ' Answering Service')",
            "phone": v.phone("svc"), "after_hours_line": v.phone("svcnight", style="e164"),
            "contact_email": v.email("svc"), "street": v.street("svc"),
            "postal_code": v.postal_code("svc")},
        "clinics_practice": {
            "id": "seq", "name": f"CONCAT({v.last_name('pr')}, ' ', "
                                 f"{v.pick('prk', ('Family Practice', 'Pediatrics', 'Clinic'))})",
            "address1": v.street("pr"), "address2": v.suite("pr"), "city": v.city("pr"),
            "state": v.state("pr"), "zip": v.postal_code("pr"), "phone": v.phone("pr"),
            "fax": v.phone("prfax"), "answering_service_id": _one_of(v, "prsvc", size.services),
            "time_zone": "'America/Chicago'"},
        "clinics_practice_members": {
            "practice_id": f"(1 + seq % {p})", "user_id": "seq",
            "role": f"IF(seq <= {prov}, 'provider', 'staff')",
            "joined": "DATE_ADD('2023-12-01', INTERVAL seq % 400 DAY)"},
        "accounts_provider": {
            "id": "seq", "user_id": "seq", "npi": f"CONCAT('1', LPAD({v.hash('npi')} % 1000000000"
                                                 ", 9, '0'))",
            "specialty": v.pick("spec", SPECIALTIES), "office_phone": v.phone("off", style="paren"),
            "pager": v.phone("pager"), "fax": v.phone("pfax"), "office_address": v.street("off"),
            "twilio_number": v.phone("tw", style="e164"), "twilio_number_sid": v.sid("PN", "tw"),
            "forward_voicemail": v.pick("fwd", ("MO", "VM", "AN"))},
        "clinics_staff": {
            "id": "seq", "user_id": f"{prov} + seq", "practice_id": f"(1 + seq % {p})",
            "position": v.pick("pos", ("Front desk", "Nurse", "Office manager", "Billing")),
            "extension": f"LPAD({v.hash('ext')} % 1000, 3, '0')", "desk_phone": v.phone("desk")},
        "patients_patient": {
            "id": "seq", "practice_id": _one_of(v, "ptpr", p),
            "mrn": "CONCAT('MRN', LPAD(seq, 7, '0'))", "first_name": v.first_name("pt"),
            "last_name": v.last_name("pt"),
            # Day 2-361 of the year: never January 1st, which the scrub's literal rule sets.
            "birth_date": f"MAKEDATE(1940 + {v.hash('by')} % 70, 2 + {v.hash('bd')} % 360)",
            "phone": v.phone("pt"), "email": v.email("pt"), "address1": v.street("pt"),
            "zip": v.postal_code("pt")},
    }


def _messaging(size: Size, v: Values) -> dict[str, dict[str, str]]:
    """Messages, who got them, how they were delivered, who opted out, pages, calls."""
    u, p, prov = size.users, size.practices, size.providers
    mention = (f"CASE {v.hash('bodykind')} % 10 WHEN 0 THEN CONCAT('Patient asks for a call "
               f"back at ', {v.phone('bodyph', style='paren')}, ' after 5pm.') WHEN 1 THEN "
               f"CONCAT('Lab results can go to ', {v.email('bodyem')}, ', she said.') "
               f"ELSE {v.pick('body', BODIES)} END")
    return {
        "messaging_message": {
            "id": "seq", "sender_id": _one_of(v, "msnd", u), "practice_id": _one_of(v, "mpr", p),
            "patient_id": f"IF(seq % 3 = 0, NULL, 1 + seq % {max(20, size.rows // 2)})",
            "subject": v.pick("subj", ("Refill", "Results", "Callback", "Schedule", "Question")),
            "body": mention, "urgent": f"{v.hash('urg')} % 8 = 0", "sent_at": v.timestamp("m")},
        "messaging_messagerecipient": {
            "message_id": "seq", "user_id": _one_of(v, "rcp", u),
            "read_at": f"IF(seq % 4 = 0, NULL, {v.timestamp('read')})"},
        "messaging_deliverylog": {
            "id": "seq", "message_id": f"(1 + (seq - 1) % {size.rows})",
            "channel": v.pick("ch", ("sms", "voice", "page")),
            # Every message leaves from the product's one Twilio number.
            "tx_number": v.phone("tx", row="0", style="e164"),
            "confirmation": v.phone("conf", style="e164"),
            "status": v.pick("dst", ("delivered", "queued", "failed", "delivered")),
            "created": v.timestamp("dl")},
        "messaging_optout": {
            "number": v.phone("opt", style="e164", unique=True),
            "keyword": v.pick("kw", ("STOP", "UNSUBSCRIBE", "CANCEL")),
            "created": v.timestamp("opt")},
        "paging_pagerlog": {
            "id": "seq", "provider_id": _one_of(v, "pgp", prov), "pager_number": v.phone("pager"),
            "callback": v.phone("cb"),
            "page_text": f"IF({v.hash('pgk')} % 5 = 0, CONCAT('Call ', {v.phone('pgcb')}, ' re: ',"
                         f" {v.pick('pg', PAGES)}), {v.pick('pg', PAGES)})",
            "sent_at": v.timestamp("pg")},
        "callcenter_calllog": {
            "id": "seq", "call_sid": v.sid("CA", "call"), "caller": v.phone("caller", style="e164"),
            "called": v.phone("tw", row=_one_of(v, "clp", prov), style="e164"),
            "provider_id": _one_of(v, "clp", prov), "duration": v.number("dur", 5, 1800),
            "started_at": v.timestamp("call")},
    }


def _business(size: Size, v: Values) -> dict[str, dict[str, str]]:
    """Invitations, billing and on-call schedules."""
    u, p, prov = size.users, size.practices, size.providers
    return {
        "invites_invitation": {
            "id": "seq", "sender_id": _one_of(v, "isnd", u), "practice_id": _one_of(v, "ipr", p),
            "recipient": v.email("inv"), "code": f"MD5(CONCAT('{v.seed}:inv:', seq))",
            "accepted": "seq % 3 = 0", "created": v.timestamp("inv")},
        "billing_account": {
            "id": "seq", "practice_id": "seq", "plan": v.pick("plan", ("basic", "team", "plus")),
            "card_last4": f"LPAD({v.hash('card')} % 10000, 4, '0')",
            "billing_email": v.email("bill")},
        "billing_invoice": {
            "id": "seq", "account_id": _one_of(v, "iacc", p),
            "amount_cents": v.number("amt", 4900, 89900),
            "issued_on": "DATE_ADD('2024-01-01', INTERVAL seq % 700 DAY)",
            # One row in ten: an email; the rest free text a scanner's sample overlooks.
            "remit_note": f"IF(seq % 10 = 0, {v.email('remit')}, {v.pick('rem', REMITS)})"},
        "schedules_oncallshift": {
            "id": "seq", "practice_id": _one_of(v, "spr", p),
            "provider_id": _one_of(v, "spv", prov),
            "starts_at": "TIMESTAMPADD(HOUR, seq * 12, '2024-01-01 07:00:00')",
            "ends_at": "TIMESTAMPADD(HOUR, seq * 12 + 12, '2024-01-01 07:00:00')",
            "notes": f"IF(seq % 4 = 0, CONCAT('Backup cell ', {v.phone('bk')}), '')"},

    }


def _list(items: tuple[str, ...]) -> str:
    return ", ".join(quoted(item) for item in items)


def insert_sql(size: Size, seed: int, tables: list[str] | None = None) -> str:
    """One INSERT ... SELECT per table (default: all), in dependency order."""
    counts, columns = size.counts(), _columns(size, Values(seed))
    out = []
    for table, exprs in columns.items():
        if tables is not None and table not in tables:
            continue
        names = ", ".join(f"`{name}`" for name in exprs)
        out.append(f"INSERT INTO `{table}` ({names})\nSELECT {', '.join(exprs.values())}\n"
                   f"FROM seq_1_to_{counts[table]};\n")
    return "\n".join(out)
