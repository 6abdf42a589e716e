"""How fast is the set-wise scrub?

Starts its own MariaDB with a generated 1M-row contact table and prints, side by side in one run:
- Stagecraft's scrub (the plan's keyed-hash UPDATE, batched by key range) versus one
  hand-written set-based UPDATE of the same columns (goal: at most 1.5x);
- versus a row-by-row loop (SELECT, then one UPDATE per row, as the client's sanitation did),
  timed on a sample of rows and extrapolated to the whole table (it would take too long);
- for the record, the fingerprinting of production's values that a clone does before scrubbing;
- the verification of the scrubbed table (every value of every text column read by the content
  scan, the covered columns checked against the fingerprints) next to the scrub (goal: <= 2x).

Usage: .venv/bin/python bench/scrub.py [--rows N] [--sample N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._mariadb import Server, private_server
from release.config import ScrubConfig, ScrubRule
from release.db import schema, scrub, scrub_plan, verify

RULES = [ScrubRule("contacts", column, kind) for column, kind in (
    ("name", "name"), ("phone", "phone"), ("mobile_phone", "phone"), ("email", "email"),
    ("address1", "address"), ("zip", "address"), ("memo", "redact"))]
SCRUB = ScrubConfig(rules=tuple(RULES))
HAND_WRITTEN = ("UPDATE contacts SET name = CONCAT('Name ', id), "
                "phone = CONCAT('20055501', LPAD(id % 100, 2, '0')), "
                "mobile_phone = CONCAT('20055501', LPAD((id + 7) % 100, 2, '0')), "
                "email = CONCAT('user', id, '@example.invalid'), "
                "address1 = CONCAT(id, ' Main Street'), zip = LPAD(id % 100000, 5, '0'), "
                "memo = IF(id % 100 = 0, 'call redacted@example.invalid', memo)")
KEY = b"k" * 32


def reset(server: Server) -> None:
    with server.connect("bench") as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS contacts")
        cur.execute("CREATE TABLE contacts LIKE pristine")
        cur.execute("INSERT INTO contacts SELECT * FROM pristine")


def timed(server: Server, work: str) -> float:
    reset(server)
    with server.connect("bench") as conn:
        started = time.perf_counter()
        if work == "hand":
            with conn.cursor() as cur:
                cur.execute(HAND_WRITTEN)
        elif work == "scrub":
            columns = schema.columns(conn, "bench")
            keys = {name: t.integer_key for name, t in schema.tables(conn, "bench").items()}
            scrub.apply(conn, scrub_plan.plan(RULES, columns, keys), KEY)
        elif work == "fingerprints":
            scrub.record_fingerprints(conn, RULES, KEY, {"contacts": "id"})
        return time.perf_counter() - started


def scrub_then_verify(server: Server) -> tuple[float, float]:
    """A clone's scrub and its verification, each timed, on a fresh copy of the table."""
    reset(server)
    with server.connect("bench") as conn:
        columns = schema.columns(conn, "bench")
        keys = {name: t.integer_key for name, t in schema.tables(conn, "bench").items()}
        scrub.record_fingerprints(conn, RULES, KEY, {"contacts": "id"})
        started = time.perf_counter()
        scrub.apply(conn, scrub_plan.plan(RULES, columns, keys), KEY)
        scrubbed = time.perf_counter()
        result = verify.verify(conn, columns, keys, SCRUB, KEY, skip_tables=("pristine",))
        verified = time.perf_counter()
    assert result.passed, result.problems()
    return scrubbed - started, verified - scrubbed


def row_loop(server: Server, sample: int) -> float:
    reset(server)
    with server.connect("bench") as conn, conn.cursor() as cur:
        started = time.perf_counter()
        cur.execute(f"SELECT id, phone, mobile_phone FROM contacts ORDER BY id LIMIT {sample}")
        for row_id, _phone, _mobile in cur.fetchall():
            cur.execute("UPDATE contacts SET name = %s, phone = %s, mobile_phone = %s, "
                        "email = %s, address1 = %s, zip = %s WHERE id = %s",
                        (f"Name {row_id}", f"20055501{row_id % 100:02d}",
                         f"20055501{(row_id + 7) % 100:02d}", f"user{row_id}@example.invalid",
                         f"{row_id} Main Street", f"{row_id % 100000:05d}", row_id))
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    with private_server() as server:
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE bench")
            cur.execute("USE bench")
            cur.execute("CREATE TABLE pristine (id INT PRIMARY KEY, name VARCHAR(60), "
                        "phone VARCHAR(20), mobile_phone VARCHAR(20), email VARCHAR(75), "
                        "address1 VARCHAR(200), zip VARCHAR(10), memo TEXT, label VARCHAR(40)) "
                        "ENGINE=InnoDB")
            cur.execute(f"INSERT INTO pristine SELECT seq, CONCAT('Patient ', seq), "
                        f"CONCAT('650', LPAD(seq, 7, '0')), CONCAT('408', LPAD(seq, 7, '0')), "
                        f"CONCAT('p', seq, '@example.com'), CONCAT(seq, ' Real Road'), "
                        f"LPAD(seq % 99999, 5, '0'), IF(seq % 100 = 0, CONCAT('call me at "
                        f"650-253-', LPAD(seq % 10000, 4, '0'), ' or p', seq, '@gmail.com'), "
                        f"CONCAT('visit ', seq, ' on 2023-10-05 12:34:56, paid $12.50')), "
                        f"CONCAT('plan v2.', seq % 10) FROM seq_1_to_{args.rows}")
        hand = timed(server, "hand")
        ours = timed(server, "scrub")
        hand2 = timed(server, "hand")
        ours2 = timed(server, "scrub")
        fingerprints = timed(server, "fingerprints")
        loop = row_loop(server, args.sample) * args.rows / args.sample
        (scrub1, verify1), (scrub2, verify2) = scrub_then_verify(server), \
            scrub_then_verify(server)
    hand_best, ours_best = min(hand, hand2), min(ours, ours2)
    print(f"{args.rows:,}-row contact table, 7 scrubbed columns and 1 other text column "
          "(best of 2 runs each)")
    print(f"  hand-written set-based UPDATE  {hand_best:7.2f} s")
    print(f"  Stagecraft scrub (batched)     {ours_best:7.2f} s   "
          f"ratio {ours_best / hand_best:.2f}x (goal: <= 1.5x)")
    print(f"  row-by-row loop (extrapolated from {args.sample:,} rows) {loop:7.1f} s   "
          f"scrub is {loop / ours_best:.0f}x faster")
    print(f"  fingerprinting production values (done once per clone, before the scrub) "
          f"{fingerprints:.2f} s")
    scrub_best, verify_best = min(scrub1, scrub2), min(verify1, verify2)
    print(f"  clone's scrub {scrub_best:7.2f} s   its verification {verify_best:7.2f} s   "
          f"ratio {verify_best / scrub_best:.2f}x (goal: <= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
