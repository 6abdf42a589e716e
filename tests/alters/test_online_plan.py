from __future__ import annotations

from release.alters.online_plan import (
    OnlineAlter,
    TableFacts,
    autoinc_refusal,
    gh_ost_args,
    leftover_table,
    online_alter,
    pt_osc_args,
    tools_needed,
)
from release.alters.parse import Block, parse_alters
from release.config import OnlineConfig

PLAIN = TableFacts(replicas=False, referenced_by=False, triggers=False, statement_binlog=False)


def blocks(sql: str) -> tuple[Block, ...]:
    return parse_alters(sql, "alters.sql").blocks


def test_an_online_blocks_alter_becomes_the_tools_alter_without_algorithm_and_lock() -> None:
    (block,) = blocks("-- alter: big\n-- online: pt-osc\nALTER TABLE `events` ADD INDEX k (kind),"
                      " ALGORITHM=INPLACE, LOCK=NONE;\n")
    assert online_alter(block, block.statements[0]) == OnlineAlter(
        "pt-osc", "events", "ADD INDEX k (kind)")


def test_other_statements_and_plain_blocks_run_as_usual() -> None:
    online, plain = blocks("-- alter: a\n-- online: gh-ost\nUPDATE t SET a = 1 WHERE b = 2;\n"
                           "-- alter: b\nALTER TABLE t ADD c int NULL;\n")
    assert online_alter(online, online.statements[0]) is None
    assert online_alter(plain, plain.statements[0]) is None
    (instant,) = blocks("-- alter: c\n-- online: instant\nALTER TABLE t ADD c int NULL;\n")
    assert online_alter(instant, instant.statements[0]) is None


def test_pt_osc_runs_with_the_option_file_and_its_throttles_never_a_password() -> None:
    change = OnlineAlter("pt-osc", "events", "ADD INDEX k (kind)")
    args = pt_osc_args(change, database="shop", option_file="/run/x.cnf",
                       online=OnlineConfig(), facts=PLAIN, dry_run=True)
    assert args[-1] == "D=shop,t=events,F=/run/x.cnf"
    assert args[args.index("--alter") + 1] == "ADD INDEX k (kind)"
    assert args[args.index("--max-load") + 1] == "Threads_running=25"
    assert "--dry-run" in args and "--execute" not in args
    assert args[args.index("--recursion-method") + 1] == "none"
    assert args[args.index("--set-vars") + 1] == "tx_isolation='READ-COMMITTED'"
    assert not any("password" in arg for arg in args)


def test_pt_osc_options_follow_the_tables_facts() -> None:
    change = OnlineAlter("pt-osc", "orders", "ADD c int NULL")
    facts = TableFacts(replicas=True, referenced_by=True, triggers=True, statement_binlog=True)
    args = pt_osc_args(change, database="shop", option_file="f.cnf", online=OnlineConfig(),
                       facts=facts, dry_run=False)
    assert "--execute" in args
    assert args[args.index("--alter-foreign-keys-method") + 1] == "auto"
    assert "--preserve-triggers" in args
    assert "--recursion-method" not in args and "--set-vars" not in args


def test_gh_ost_executes_only_outside_a_dry_run() -> None:
    change = OnlineAlter("gh-ost", "events", "ADD c int NULL")
    args = gh_ost_args(change, database="shop", host="127.0.0.1", port=3307,
                       option_file="f.cnf", dry_run=True)
    assert args[:4] == ["--conf=f.cnf", "--host=127.0.0.1", "--port=3307", "--database=shop"]
    assert "--alter=ADD c int NULL" in args and "--execute" not in args
    assert gh_ost_args(change, database="shop", host="h", port=1, option_file="f",
                       dry_run=False)[-1] == "--execute"


def test_leftover_copies_are_pt_oscs_new_tables_of_that_table_only() -> None:
    assert leftover_table("events", "_events_new")
    assert leftover_table("events", "__events_new")
    assert not leftover_table("events", "_events_new_old")
    assert not leftover_table("events", "_other_events_new")


def test_tools_needed_lists_each_tool_once_in_order() -> None:
    found = blocks("-- alter: a\n-- online: pt-osc\nALTER TABLE t ADD c int NULL;\n"
                   "-- alter: b\n-- online: gh-ost\nALTER TABLE u ADD c int NULL;\n"
                   "-- alter: c\n-- online: pt-osc\nALTER TABLE v ADD c int NULL;\n"
                   "-- alter: d\n-- online: instant\nALTER TABLE w ADD c int NULL;\n")
    assert tools_needed(found) == ["gh-ost", "pt-osc"]


def test_the_autoinc_refusal_names_the_table_the_setting_its_value_the_reason_and_the_fix(
        ) -> None:
    refusal = autoinc_refusal("orders", 1)
    assert refusal.startswith("orders has an AUTO_INCREMENT key")
    for words in ("innodb_autoinc_lock_mode=1", "deadlock (error 1213)", "a lost write",
                  "Set innodb_autoinc_lock_mode=2 in the server's configuration", "a restart"):
        assert words in refusal
