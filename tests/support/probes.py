"""Probe databases for the scrub: a small customer/staff/address schema (written here, in the
shape of the public sample databases) holding the personal data a first set of rules misses:
sparse emails (one row in ten of `customer.ref`), contact data inside free text (3 of 200
`customer.memo` values), names and postal codes, `ON UPDATE CURRENT_TIMESTAMP` columns, and an
UPDATE trigger that must not fire during the scrub."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from release.config import Config, parse
from tests.support.git import git
from tests.support.mariadb import MariaDB, load_sql
from tests.support.toml import Backups, Database, Environment, release_toml

STAMP = "DEFAULT '2020-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP"
EMBEDDED = "call me back at (650) 253-1017 or write to kim.17@gmail.com"

SCHEMA = f"""
CREATE TABLE address (address_id INT PRIMARY KEY, address VARCHAR(50) NOT NULL,
  postal_code VARCHAR(10), phone VARCHAR(20) NOT NULL, last_update TIMESTAMP NOT NULL {STAMP});
CREATE TABLE customer (customer_id INT PRIMARY KEY, first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL, email VARCHAR(50), address_id INT NOT NULL,
  ref VARCHAR(100), memo TEXT, last_update TIMESTAMP NOT NULL {STAMP});
CREATE TABLE staff (staff_id INT PRIMARY KEY, first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL, email VARCHAR(50), address_id INT NOT NULL);
CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100));
CREATE TRIGGER staff_audit AFTER UPDATE ON staff FOR EACH ROW
  INSERT INTO audit (note) VALUES (CONCAT('staff ', NEW.staff_id, ' changed'));
CREATE VIEW customer_list AS SELECT c.customer_id, c.first_name, a.phone
  FROM customer c JOIN address a USING (address_id);
CREATE PROCEDURE rewards() SELECT COUNT(*) FROM customer;
INSERT INTO address SELECT seq, CONCAT(seq, ' Main Road'), LPAD(seq * 37 % 99991, 5, '0'),
  CONCAT('(650) ', 200 + seq % 700, '-', LPAD(seq, 4, '0')), '2021-06-01 10:00:00'
  FROM seq_1_to_603;
INSERT INTO customer SELECT seq, CONCAT('Mary', seq), CONCAT('Smith', seq),
  CONCAT('customer', seq, '@sakilacustomer.org'), seq,
  IF(seq % 10 = 0, CONCAT('kim.', seq, '@gmail.com'), CONCAT('REF-', seq)),
  IF(seq > 200, NULL, IF(seq IN (17, 99, 150), '{EMBEDDED}',
     CONCAT('order ', seq, ' shipped 2023-10-05 12:34:56 from 192.168.100.200, $12.50'))),
  '2021-06-01 10:00:00' FROM seq_1_to_600;
INSERT INTO staff SELECT seq, CONCAT('Mike', seq), CONCAT('Hillyer', seq),
  CONCAT('staff', seq, '@sakilastaff.com'), seq FROM seq_1_to_2;
"""

OBVIOUS_RULES = [("customer", "email", "email"), ("staff", "email", "email"),
                 ("address", "phone", "phone"), ("address", "address", "address")]
MORE_RULES = [("customer", "first_name", "name"), ("customer", "last_name", "name"),
              ("customer", "ref", "redact"), ("customer", "memo", "redact"),
              ("address", "postal_code", "address"), ("staff", "first_name", "first_name"),
              ("staff", "last_name", "last_name")]
ALL_RULES = OBVIOUS_RULES + MORE_RULES


BACKUPS = "\n" + release_toml(backups=Backups("backups", encrypted=False)) + "\n"


def rules_toml(rules: list[tuple[str, str, str]]) -> str:
    return "".join(f'[[scrub.rules]]\ntable = "{t}"\ncolumn = "{c}"\nkind = "{k}"\n\n'
                   for t, c, k in rules)


@dataclass
class Probe:
    root: Path          # the application's repository (git), with release.toml
    production: str
    qa: str
    environments: str   # the [environments.*] part of release.toml

    def config(self, rules: list[tuple[str, str, str]], extra: str = "") -> Config:
        text = self.environments + BACKUPS + extra + rules_toml(rules)
        return parse(tomllib.loads(text), root=self.root, source="release.toml")

    def write(self, rules: list[tuple[str, str, str]]) -> None:
        (self.root / "release.toml").write_text(
            self.environments + BACKUPS + rules_toml(rules))


def build(mariadb: MariaDB, production: str, qa: str, root: Path) -> Probe:
    """Fill `production` with the probe schema; `root` becomes a committed git repository."""
    load_sql(mariadb, production, SCHEMA.replace(";\nCREATE TRIGGER", ";\nDELIMITER //\n"
                                                 "CREATE TRIGGER")
             .replace("changed'));", "changed'))//\nDELIMITER ;"))
    envs = release_toml([Environment("production", database=Database.on(mariadb, production)),
                         Environment("qa", database=Database.on(mariadb, qa))])
    root.mkdir()
    probe = Probe(root=root, production=production, qa=qa, environments=envs)
    probe.write(ALL_RULES)
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "app")
    return probe
