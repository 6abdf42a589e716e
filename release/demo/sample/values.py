"""SQL expressions that make the sample's values from a row number: pure text, no server.

Every value is a function of (seed, salt, row number) through CRC32 or MD5 computed by the
server, so the data is the same on every load of the same seed, costs no Python per row, and a
million rows come from one `INSERT ... SELECT ... FROM seq_1_to_N` (MariaDB's Sequence engine).
The values look real on purpose (a scanner must take them for real people): made-up but
plausible names and domains, North American numbers whose exchange is never 555.
"""

from __future__ import annotations

FIRST = ("Maria", "James", "Aisha", "Daniel", "Priya", "Robert", "Elena", "Marcus", "Grace",
         "Tomas", "Leila", "Connor", "Yuki", "Samuel", "Nadia", "Victor", "Hannah", "Omar",
         "Chloe", "Rafael", "Ingrid", "Desmond", "Lucia", "Anton")
LAST = ("Alvarez", "Brennan", "Castellano", "Dubois", "Eriksen", "Fairbanks", "Gutierrez",
        "Hollister", "Ivanova", "Jablonski", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura",
        "Okafor", "Pemberton", "Quintero", "Rasmussen", "Sorensen", "Thibodeaux", "Underwood",
        "Vasquez", "Whitfield", "Zielinski")
DOMAINS = ("northbaymail.com", "corvusnet.com", "heliograph.net", "pinecrestmed.org",
           "tidewaterhealth.com", "quarrylane.net", "bluefernclinic.com", "mailorchard.com")
AREAS = ("415", "650", "312", "617", "206", "512", "303", "919", "404", "713", "602", "971")
STREETS = ("Alder", "Birchwood", "Cedar Hollow", "Dunmore", "Elmhurst", "Foxglove", "Granger",
           "Hawthorne", "Ironwood", "Juniper", "Kestrel", "Larkspur", "Magnolia", "Northgate")
STREET_KINDS = ("St", "Ave", "Blvd", "Way", "Ct", "Dr")
CITIES = ("Oakmont", "Riverton", "Fairhaven", "Westbrook", "Millbridge", "Ashford", "Lakeview",
          "Cedar Falls", "Brookside", "Harlow")
STATES = ("CA", "IL", "MA", "WA", "TX", "CO", "NC", "GA", "AZ", "OR")
ZIP_PREFIXES = ("941", "946", "606", "021", "981", "787", "802", "276", "303", "850", "972")


def quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


class Values:
    """Expression builders for one seed; `row` is the SQL for the row number (seq)."""

    def __init__(self, seed: int, row: str = "seq") -> None:
        self.seed, self.row = seed, row

    def hash(self, salt: str, row: str | None = None) -> str:
        return f"CRC32(CONCAT('{self.seed}:{salt}:', {row or self.row}))"

    def pick(self, salt: str, choices: tuple[str, ...], row: str | None = None) -> str:
        return (f"ELT(1 + {self.hash(salt, row)} % {len(choices)}, "
                f"{', '.join(quoted(c) for c in choices)})")

    def number(self, salt: str, low: int, high: int, row: str | None = None) -> str:
        """An integer in [low, high]."""
        return f"({low} + {self.hash(salt, row)} % {high - low + 1})"

    def first_name(self, salt: str, row: str | None = None) -> str:
        return self.pick(salt + "fn", FIRST, row)

    def last_name(self, salt: str, row: str | None = None) -> str:
        return self.pick(salt + "ln", LAST, row)

    def email(self, salt: str, row: str | None = None, *, unique: bool = False) -> str:
        """firstname.lastname[N]@domain; with `unique` the row number makes it one of a kind."""
        r = row or self.row
        tail = f", {r}" if unique else f", IF({self.hash(salt + 'n', r)} % 3 = 0, '', "\
            f"{self.hash(salt + 'k', r)} % 90 + 10)"
        return (f"CONCAT(LOWER({self.first_name(salt, r)}), '.', LOWER({self.last_name(salt, r)})"
                f"{tail}, '@', {self.pick(salt + 'dom', DOMAINS, r)})")

    def _digits(self, salt: str, row: str | None) -> tuple[str, str, str]:
        # The exchange runs 201-550: never 555, so never the fictional 555-01xx range that
        # the scrub's replacements use.
        return (self.pick(salt + "area", AREAS, row), self.number(salt + "ex", 201, 550, row),
                f"LPAD({self.hash(salt + 'line', row)} % 10000, 4, '0')")

    def phone(self, salt: str, row: str | None = None, style: str = "dashed", *,
              unique: bool = False) -> str:
        """A number; with `unique` the row number picks exchange and line (a key column)."""
        area, exchange, line = self._digits(salt, row)
        if unique:
            r = row or self.row
            exchange, line = f"(201 + ({r} DIV 10000) % 350)", f"LPAD({r} % 10000, 4, '0')"
        if style == "e164":         # Twilio's form: +14155550123
            return f"CONCAT('+1', {area}, {exchange}, {line})"
        if style == "paren":
            return f"CONCAT('(', {area}, ') ', {exchange}, '-', {line})"
        return f"CONCAT({area}, '-', {exchange}, '-', {line})"

    def sid(self, prefix: str, salt: str, row: str | None = None) -> str:
        """A Twilio-style id: two letters and 32 hex digits (PN numbers, CA calls)."""
        return f"CONCAT('{prefix}', MD5(CONCAT('{self.seed}:{salt}:', {row or self.row})))"

    def street(self, salt: str, row: str | None = None) -> str:
        return (f"CONCAT({self.number(salt + 'no', 12, 9870, row)}, ' ', "
                f"{self.pick(salt + 'st', STREETS, row)}, ' ', "
                f"{self.pick(salt + 'sk', STREET_KINDS, row)})")

    def suite(self, salt: str, row: str | None = None) -> str:
        return (f"IF({self.hash(salt + 'has', row)} % 3 = 0, "
                f"CONCAT('Suite ', {self.number(salt + 'su', 100, 950, row)}), '')")

    def city(self, salt: str, row: str | None = None) -> str:
        return self.pick(salt + "city", CITIES, row)

    def state(self, salt: str, row: str | None = None) -> str:
        return self.pick(salt + "state", STATES, row)

    def postal_code(self, salt: str, row: str | None = None) -> str:
        return (f"CONCAT({self.pick(salt + 'zp', ZIP_PREFIXES, row)}, "
                f"LPAD({self.hash(salt + 'zs', row)} % 100, 2, '0'))")

    def timestamp(self, salt: str, row: str | None = None) -> str:
        """A moment in 2024-2025, rising with the row number like real log tables."""
        r = row or self.row
        return (f"TIMESTAMPADD(SECOND, {r} * 37 + {self.hash(salt, r)} % 30, "
                "'2024-01-01 08:00:00')")
