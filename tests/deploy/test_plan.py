"""The deploy plan over plain values: what `deploy.run --dry-run` prints and the run carries
out, in order, for one host, several hosts, no reload, push instructions and alters."""

from __future__ import annotations

from release.deploy.plan import DeployPlan, Move, show
from release.docs.context import PushEntry

OLD, NEW = "1" * 40, "2" * 40


def plan(*hosts: str, **fields: object) -> DeployPlan:
    moves = tuple(Move(host, "/srv/app", OLD, NEW) for host in hosts or ("local",))
    values: dict[str, object] = {"environment": "qa", "remote": "origin", "ref": "staging",
                                 "sha": NEW, "moves": moves, "entries": (), "alters": (),
                                 **fields}
    return DeployPlan(**values)  # type: ignore[arg-type]


def test_one_host_fetches_checks_out_reloads_smoke_checks_and_records() -> None:
    steps = plan(reload="touch wsgi.py", smoke_url="http://qa.example/",
                 database="qatest").steps()
    assert steps == [
        "local:/srv/app: git fetch origin",
        f"local:/srv/app: git checkout --detach staging ({NEW[:12]}; runs {OLD[:12]} now)",
        "local:/srv/app: reload: touch wsgi.py",
        "local:/srv/app: smoke check http://qa.example/ (2xx or 3xx)",
        "record the deploy in .git/stagecraft/deploys.jsonl on each host and in "
        "qatest.release_deploys",
    ]


def test_several_hosts_fetch_everywhere_first_then_roll_host_by_host() -> None:
    steps = plan("web1", "web2", reload="reload-it").steps()
    assert steps == [
        "web1:/srv/app: git fetch origin",
        "web2:/srv/app: git fetch origin",
        f"web1:/srv/app: git checkout --detach staging ({NEW[:12]}; runs {OLD[:12]} now)",
        "web1:/srv/app: reload: reload-it",
        f"web2:/srv/app: git checkout --detach staging ({NEW[:12]}; runs {OLD[:12]} now)",
        "web2:/srv/app: reload: reload-it",
        "record the deploy in .git/stagecraft/deploys.jsonl on each host",
    ]


def test_no_reload_and_no_smoke_url_leave_only_the_checkout() -> None:
    steps = plan().steps()
    assert not any("reload" in s or "smoke" in s for s in steps)
    assert len(steps) == 3


def test_a_host_running_nothing_yet_says_so() -> None:
    fresh = plan(moves=(Move("local", "/srv/app", "", NEW),))
    assert "runs nothing now" in fresh.steps()[1]


def test_push_instructions_are_confirmed_after_the_fetch_by_their_first_line() -> None:
    long = "x" * 120
    entries = (PushEntry("2026-01-05", "ann", "clear the cache\nthen warm it", 3),
               PushEntry("2026-01-06", "bob", long, 7))
    steps = plan(entries=entries).steps()
    assert steps[1] == "confirm push instruction 2026-01-05 ann: clear the cache"
    assert steps[2] == f"confirm push instruction 2026-01-06 bob: {'x' * 97}..."


def test_alters_are_applied_before_any_host_checks_the_release_out() -> None:
    steps = plan(alters=("b1#1", "b2#1"), database="qatest").steps()
    assert steps[1] == ("apply 2 alters statement(s) to qatest through the ledger, backups "
                        "before and after: b1#1, b2#1")
    assert "git checkout" in steps[2]


def test_the_plan_is_shown_as_would_run_in_a_dry_run_and_run_otherwise() -> None:
    said: list[str] = []
    show("Deploy staging to 'qa':", ["a", "b"], dry_run=True, say=said.append)
    show("Deploy staging to 'qa':", ["a"], dry_run=False, say=said.append)
    assert said == ["Deploy staging to 'qa': (dry run: nothing will change)",
                    "  would run: a", "  would run: b", "Deploy staging to 'qa':", "  run: a"]
