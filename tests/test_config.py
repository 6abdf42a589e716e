from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from release.config import HostEntry, ReplicaConfig, load, parse
from release.errors import ConfigError
from tests.support.git import Sandbox


def test_no_file_gives_defaults_for_the_git_tasks(tmp_path: Path) -> None:
    config = load(tmp_path)
    assert config.git.remote == "origin"
    assert config.git.base == "master"
    assert config.git.staging == "staging"
    assert config.alters.files == ("alters.sql",)


def test_release_toml_is_read_with_environments(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text(
        '[git]\nbase = "main"\n[alters]\nfiles = ["alters.sql", "alters_de.sql"]\n'
        '[environments.qa]\nhost = "local"\npath = "/srv/app"\n'
        '[environments.qa.database]\nname = "qatest"\nuser = "deploy"\n'
        'password_env = "QA_DB_PASSWORD"\n'
        '[[scrub.rules]]\ntable = "auth_user"\ncolumn = "email"\nkind = "email"\n'
    )
    config = load(tmp_path)
    assert config.git.base == "main"
    assert config.alters.files == ("alters.sql", "alters_de.sql")
    qa = config.environment("qa")
    assert qa.path == "/srv/app"
    assert qa.database is not None and qa.database.password_env == "QA_DB_PASSWORD"
    assert config.scrub.rules[0].kind == "email"


def test_pyproject_tool_release_section_is_used(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.release.git]\nstaging = "stage"\n')
    assert load(tmp_path).git.staging == "stage"


def test_problems_name_the_file_and_every_key_path(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text(
        '[git]\nremtoe = "origin"\n[alters]\nlarge_table_rows = "many"\n'
        '[environments.qa.database]\nuser = "deploy"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    message = str(caught.value)
    assert "release.toml: git.remtoe: unknown key" in message
    assert "release.toml: alters.large_table_rows: expected an integer" in message
    assert "release.toml: environments.qa.database.name: required value is missing" in message
    assert caught.value.exit_code == 2


def test_a_literal_password_is_refused_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse({"environments": {"qa": {"database": {"name": "q", "password": "hunter22"}}}},
              root=tmp_path, source="release.toml")
    assert "environments.qa.database.password" in str(caught.value)
    assert "hunter22" not in str(caught.value)


def test_invalid_toml_is_a_clear_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text("[git\nbase = 1\n")
    with pytest.raises(ConfigError, match=r"release\.toml: not valid TOML"):
        load(tmp_path)


def test_unknown_environment_lists_the_configured_ones(tmp_path: Path) -> None:
    config = parse({"environments": {"qa": {"path": "/srv/qa"}}}, root=tmp_path,
                   source="release.toml")
    with pytest.raises(ConfigError, match=r"no \[environments.prod\].*configured: qa"):
        config.environment("prod")


def test_unknown_scrub_kind_is_reported_with_its_index(tmp_path: Path) -> None:
    data = {"scrub": {"rules": [{"table": "t", "column": "c", "kind": "phone"},
                                {"table": "t", "column": "d", "kind": "shred"}]}}
    with pytest.raises(ConfigError, match=r"scrub.rules\[1\].kind: unknown kind 'shred'"):
        parse(data, root=tmp_path, source="release.toml")


def test_an_environment_without_any_configuration_file_says_to_create_one(
        tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"there is no release\.toml .* \[environments\.qa\]"):
        load(tmp_path).environment("qa")


def test_hosts_take_targets_and_tables_with_their_own_paths(tmp_path: Path) -> None:
    config = parse({"environments": {"production": {
        "path": "/srv/mdcom",
        "hosts": ["deploy@web1", {"host": "deploy@web2:2222", "path": "/opt/mdcom"}]}}},
        root=tmp_path, source="release.toml")
    hosts = config.environment("production").web_hosts()
    assert [(h.host, h.path) for h in hosts] == [("deploy@web1", "/srv/mdcom"),
                                                 ("deploy@web2:2222", "/opt/mdcom")]


def test_bad_host_entries_are_reported_with_their_key_paths(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        parse({"environments": {"qa": {"hosts": [3, {"path": "/x", "port": 22}]}}},
              root=tmp_path, source="release.toml")
    message = error.value.message
    assert "environments.qa.hosts[0]: expected an SSH target" in message
    assert "environments.qa.hosts[1].host: required value is missing" in message
    assert "environments.qa.hosts[1].port: unknown key" in message


def test_alters_online_throttles_have_defaults_and_wrong_values_name_their_key_path(
        tmp_path: Path) -> None:
    default = parse({}, root=tmp_path, source="release.toml").alters.online
    assert (default.max_load, default.critical_load) == ("Threads_running=25",
                                                         "Threads_running=50")
    chosen = parse({"alters": {"online": {"max_load": "Threads_running=10,Threads_connected=90"}}},
                   root=tmp_path, source="release.toml").alters.online
    assert chosen.max_load == "Threads_running=10,Threads_connected=90"
    with pytest.raises(ConfigError) as error:
        parse({"alters": {"online": {"critical_load": "high", "speed": 3}}},
              root=tmp_path, source="release.toml")
    assert "release.toml: alters.online.critical_load: expected" in error.value.message
    assert "alters.online.speed: unknown key" in error.value.message


def test_qa_values_are_read_and_their_problems_named_by_key_path(tmp_path: Path) -> None:
    config = parse({"qa": {"values": [{"table": "MHLUsers_provider", "column": "mdcom_phone",
                                       "where": "user_id IN (17, 23)",
                                       "value": "'+15005550006'"}]}},
                   root=tmp_path, source="release.toml")
    [value] = config.qa_values
    assert (value.table, value.where, value.allow) == ("MHLUsers_provider",
                                                       "user_id IN (17, 23)", False)
    with pytest.raises(ConfigError) as error:
        parse({"qa": {"values": [{"table": "p; DROP", "column": "c", "value": "1",
                                  "allow": "yes", "colour": 1}]}},
              root=tmp_path, source="release.toml")
    message = error.value.message
    assert "qa.values[0].where: required value is missing" in message
    assert "qa.values[0].table: use letters" in message
    assert "qa.values[0].allow: expected true/false" in message
    assert "qa.values[0].colour: unknown key" in message


def test_alters_check_with_names_a_configured_environment(tmp_path: Path) -> None:
    assert parse({}, root=tmp_path, source="release.toml").alters.check_with == ""
    dev = {"dev": {"path": "/srv/dev/app", "database": {"name": "app_dev"}}}
    chosen = parse({"alters": {"check_with": "dev"}, "environments": dev},
                   root=tmp_path, source="release.toml")
    assert chosen.alters.check_with == "dev"
    with pytest.raises(ConfigError) as error:
        parse({"alters": {"check_with": "local"}, "environments": dev},
              root=tmp_path, source="release.toml")
    assert "release.toml: alters.check_with: names 'local', which is not a configured " \
        "environment" in error.value.message
    with pytest.raises(ConfigError) as error:
        parse({"alters": {"check_with": 3}}, root=tmp_path, source="release.toml")
    assert "alters.check_with: expected a string" in error.value.message


FOUR_MISTAKES = (
    '[environments.qa]\npath = "/srv/qa"\n'
    '[environments.qa.database]\nuser = "deploy"\npasword_env = "QA_DB_PASSWORD"\n'
    'password = "hunter22"\nport = "3306"\n'
)
FOUR_PROBLEMS = (
    "release.toml: environments.qa.database.pasword_env: unknown key",
    "release.toml: environments.qa.database.port: expected an integer, got a string ('3306')",
    "release.toml: environments.qa.database.password: literal passwords are not allowed",
    "release.toml: environments.qa.database.name: required value is missing",
)


def test_an_unknown_key_a_wrong_type_a_password_and_a_missing_value_are_reported_together(
        tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text(FOUR_MISTAKES)
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    for problem in FOUR_PROBLEMS:
        assert problem in caught.value.message
    assert "hunter22" not in caught.value.message
    assert caught.value.exit_code == 2


def test_a_task_reports_every_problem_of_the_file_and_exits_2(sandbox: Sandbox) -> None:
    (sandbox.app / "release.toml").write_text(FOUR_MISTAKES)
    result = sandbox.invoke("staging.status")
    assert result.returncode == 2, result.stdout + result.stderr
    for problem in FOUR_PROBLEMS:
        assert problem in result.stderr
    assert "Traceback" not in result.stderr and "hunter22" not in result.stderr


def test_pyproject_problems_name_the_tool_release_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\n[tool.release.git]\nstagin = "stage"\n'
        '[tool.release.backups]\nkeep = 0\n')
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    assert "pyproject.toml [tool.release]: git.stagin: unknown key" in caught.value.message
    assert "pyproject.toml [tool.release]: backups.keep: must be at least 1" in \
        caught.value.message


def test_anything_named_like_a_password_is_refused_wherever_it_is(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse({"backups": {"age_secret": "AGE-SECRET-KEY-1XYZ"},
               "environments": {"qa": {"db_password": "s3cret!", "database": {
                   "name": "q", "passwd": "hunter22", "password_env": "QA_PW"}}}},
              root=tmp_path, source="release.toml")
    message = caught.value.message
    for key in ("backups.age_secret", "environments.qa.db_password",
                "environments.qa.database.passwd"):
        assert f"release.toml: {key}: literal passwords are not allowed" in message
    assert not any(secret in message for secret in ("AGE-SECRET", "s3cret!", "hunter22"))


def test_a_secret_pasted_where_its_variables_name_goes_is_refused_unshown(
        tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse({"environments": {"qa": {"database": {"name": "q", "password_env": "hunter 22!"}}},
               "backups": {"identity_env": "AGE-SECRET-KEY-1QQQ"}},
              root=tmp_path, source="release.toml")
    message = caught.value.message
    assert "environments.qa.database.password_env: expected an environment variable's name" \
        in message
    assert "backups.identity_env: expected an environment variable's name" in message
    assert "hunter 22!" not in message and "AGE-SECRET" not in message


def test_an_environment_takes_its_name_from_its_table_never_from_a_key(tmp_path: Path) -> None:
    config = parse({"environments": {"qa": {"path": "/srv/qa"}}}, root=tmp_path,
                   source="release.toml")
    assert config.environment("qa").name == "qa"
    with pytest.raises(ConfigError, match=r"environments\.qa\.name: unknown key"):
        parse({"environments": {"qa": {"name": "production"}}}, root=tmp_path,
              source="release.toml")


def test_table_rules_and_shapes_name_their_key_paths(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse({"git": {"tag_format": "release-{date}"}, "alters": {
            "dialect": "oracle", "ledger_table": "ledger-table", "files": ["a.sql", 3]},
            "environments": {"qa": {"database": {"name": "q", "password_env": "A",
                                                 "option_file": "~/.my.cnf"}},
                             "dev": 3},
            "scrub": {"rules": [1]}, "backups": {"recipients": "age1abc"}},
            root=tmp_path, source="release.toml")
    message = caught.value.message
    assert "git.tag_format: must contain {n} or {version}" in message
    assert "alters.dialect: expected \"mysql\" or \"mariadb\", got 'oracle'" in message
    assert "alters.ledger_table: use letters, digits and underscores only" in message
    assert "alters.files[1]: expected a string, got an integer (3)" in message
    assert "environments.qa.database: set password_env or option_file, not both" in message
    assert "environments.dev: expected a table, got an integer (3)" in message
    assert "scrub.rules[0]: expected a table ([[scrub.rules]])" in message
    assert "backups.recipients: expected a list, got a string ('age1abc')" in message


def test_values_keep_their_python_shapes(tmp_path: Path) -> None:
    config = parse({"alters": {"files": ["a.sql"]}, "backups": {"recipients": ["age1x"]},
                    "environments": {"qa": {"path": "/srv/qa", "hosts": ["local"]}}},
                   root=tmp_path, source="release.toml")
    assert config.alters.files == ("a.sql",) and config.backups.recipients == ("age1x",)
    assert config.environment("qa").hosts == (HostEntry("local"),)
    moved = dataclasses.replace(config, root=tmp_path / "elsewhere")
    assert moved.root == tmp_path / "elsewhere" and moved.environments == config.environments


def test_a_replica_takes_a_databases_keys_and_max_lag(tmp_path: Path) -> None:
    data = {"environments": {"production": {"path": "/srv/app", "database": {
        "name": "app", "host": "db1", "password_env": "DB_PW",
        "replica": {"host": "db2", "port": 3307, "user": "backup", "password_env": "REPLICA_PW",
                    "ssh": "deploy@db2", "max_lag": 10}}}}}
    database = parse(data, root=tmp_path, source="release.toml") \
        .environment("production").database
    assert database is not None and database.replica == ReplicaConfig(
        host="db2", port=3307, user="backup", password_env="REPLICA_PW", ssh="deploy@db2",
        max_lag=10)
    plain = parse({"environments": {"qa": {"path": "/srv/qa", "database": {"name": "q"}}}},
                  root=tmp_path, source="release.toml").environment("qa").database
    assert plain is not None and plain.replica is None
    assert ReplicaConfig().max_lag == 30


def test_replica_problems_are_named_by_key_path(tmp_path: Path) -> None:
    data = {"environments": {"production": {"database": {"name": "app", "replica": {
        "name": "other", "max_lag": "soon", "password": "hunter22", "prot": 3307,
        "password_env": "A", "option_file": "~/.my.cnf"}}}}}
    with pytest.raises(ConfigError) as caught:
        parse(data, root=tmp_path, source="release.toml")
    message = str(caught.value)
    key = "release.toml: environments.production.database.replica"
    assert f"{key}.max_lag: expected an integer, got a string ('soon')" in message
    assert f"{key}.password: literal passwords are not allowed" in message
    assert f"{key}.prot: unknown key" in message
    assert f"{key}.name: a replica holds its primary's database" in message
    assert "hunter22" not in message
    # Cross-key rules are judged once the table's own keys are valid.
    both = {"environments": {"production": {"database": {"name": "app", "replica": {
        "password_env": "A", "option_file": "~/.my.cnf"}}}}}
    with pytest.raises(ConfigError) as caught:
        parse(both, root=tmp_path, source="release.toml")
    assert f"{key}: set password_env or option_file, not both" in str(caught.value)
    negative = {"environments": {"production": {"database": {"name": "app", "replica": {
        "max_lag": -1}}}}}
    with pytest.raises(ConfigError, match=r"replica\.max_lag: must be 0 or more"):
        parse(negative, root=tmp_path, source="release.toml")
    not_a_table = {"environments": {"production": {"database": {"name": "app",
                                                                "replica": "db2"}}}}
    with pytest.raises(ConfigError, match=r"database\.replica: expected a table"):
        parse(not_a_table, root=tmp_path, source="release.toml")


def test_django_names_the_interpreter_and_settings_and_is_optional(tmp_path: Path) -> None:
    assert parse({}, root=tmp_path, source="release.toml").django is None
    config = parse({"django": {"python": ".venv/bin/python", "settings": "mysite.settings"}},
                   root=tmp_path, source="release.toml")
    assert config.django is not None
    assert (config.django.python, config.django.settings, config.django.manage) == (
        ".venv/bin/python", "mysite.settings", "manage.py")


def test_django_problems_name_their_key_paths(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        parse({"django": {"python": ".venv/bin/python", "settings": "my site",
                          "manage": "/abs/manage.py", "interpreter": "x"}},
              root=tmp_path, source="release.toml")
    message = error.value.message
    for key in ("django.settings", "django.manage", "django.interpreter"):
        assert f"release.toml: {key}:" in message
    with pytest.raises(ConfigError) as missing:
        parse({"django": {"python": ".venv/bin/python"}}, root=tmp_path, source="release.toml")
    assert "release.toml: django.settings:" in missing.value.message


def test_checklist_steps_are_read_with_their_defaults(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text(
        '[environments.qa]\npath = "/srv/qa"\n'
        '[[checklist.steps]]\ntitle = "Place a test order"\ntext = "With the test card."\n'
        'commands = ["open https://qa.example/"]\nenvironments = ["qa"]\n'
        '[[checklist.steps]]\ntitle = "Warm the cache"\nafter = "reload"\nid = "warm"\n')
    first, second = load(tmp_path).checklist_steps
    assert (first.title, first.text, first.commands, first.environments, first.section) == (
        "Place a test order", "With the test card.", ("open https://qa.example/",), ("qa",), "")
    assert first.step_id == "check-place-a-test-order" and first.applies_to("qa")
    assert not first.applies_to("production")
    assert (second.after, second.step_id, second.applies_to("production")) == (
        "reload", "warm", True)


def test_checklist_step_problems_are_named_by_key_path(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text(
        '[environments.qa]\npath = "/srv/qa"\n'
        '[[checklist.steps]]\ntext = "no title"\n'
        '[[checklist.steps]]\ntitle = "A"\nafter = "reboot"\n'
        '[[checklist.steps]]\ntitle = "B"\nafter = "reload"\nsection = "QA"\n'
        '[[checklist.steps]]\ntitle = "C"\nenvironments = ["prod"]\n'
        '[[checklist.steps]]\ntitle = "D"\nid = "alters"\n'
        '[[checklist.steps]]\ntitle = "E"\nid = "Bad Id"\n'
        '[[checklist.steps]]\ntitle = "A"\n'
        '[[checklist.steps]]\ntitle = "F"\ncolour = "red"\n'
        '[[checklist.steps]]\ntitle = "G"\ncommands = "make check"\n')
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    message = caught.value.message
    for expected in (
            "release.toml: checklist.steps[0].title: required",
            "release.toml: checklist.steps[1].after: 'reboot' is no built-in step; use one of",
            "release.toml: checklist.steps[2].after: set section or after, not both",
            "release.toml: checklist.steps[3].environments: 'prod' not in [environments] "
            "(configured: qa)",
            "release.toml: checklist.steps[4].id: 'alters' is a built-in step's id",
            "release.toml: checklist.steps[5].id: 'Bad Id': use lower-case letters",
            "release.toml: checklist.steps[6].id: 'check-a' is another step's too",
            "release.toml: checklist.steps[7].colour: unknown key",
            "release.toml: checklist.steps[8].commands: expected"):
        assert expected in message, (expected, message)


def test_every_host_needs_a_path_and_the_error_names_its_key(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text(
        '[environments.qa]\nreload = "touch x"\n'
        '[environments.web]\nhosts = ["deploy@web1", { host = "deploy@web2", path = "/a" }]\n'
        '[environments.shop]\nhosts = [{ host = "deploy@web1", path = "/srv/shop" }]\n')
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    message = caught.value.message
    assert "release.toml: environments.qa.path: required: the application's checkout on the " \
           "host" in message
    assert "environments.web.path: required" in message and "(or give every entry of hosts " \
           "its own path)" in message
    assert "environments.shop" not in message
    assert caught.value.exit_code == 2


def test_a_local_host_in_the_operators_own_work_tree_is_refused(tmp_path: Path) -> None:
    for path, key in ((".", "environments.qa.path"), (str(tmp_path), "environments.qa.path"),
                      ("servers/qa", "environments.qa.path")):
        (tmp_path / "release.toml").write_text(f'[environments.qa]\npath = "{path}"\n')
        with pytest.raises(ConfigError) as caught:
            load(tmp_path)
        assert f"release.toml: {key}: {path!r} is this repository's own work tree " \
               f"({tmp_path.resolve()})" in caught.value.message
    (tmp_path / "release.toml").write_text(
        '[environments.qa]\npath = "."\nhosts = [{ host = "local", path = "../qa" }, '
        '"deploy@web1"]\n[environments.remote]\nhost = "deploy@web1"\npath = "."\n')
    # "." on an SSH host is a folder there; the local host has a path of its own
    assert load(tmp_path).environment("remote").path == "."
    (tmp_path / "release.toml").write_text(f'[environments.qa]\npath = "{tmp_path.parent}"\n')
    assert load(tmp_path).environment("qa").path == str(tmp_path.parent)
