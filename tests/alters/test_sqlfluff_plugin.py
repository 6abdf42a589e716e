from __future__ import annotations

from sqlfluff.core.plugin.host import get_plugin_manager

from release.alters.sqlfluff_plugin import get_rules
from release.alters.sqlfluff_rule import Rule_Stagecraft_SAFE


def test_the_plugin_gives_stagecraft_s_rule() -> None:
    assert get_rules() == [Rule_Stagecraft_SAFE]


def test_sqlfluff_finds_the_plugin_through_its_entry_point() -> None:
    offered = [rule for rules in get_plugin_manager().hook.get_rules() for rule in rules]
    assert Rule_Stagecraft_SAFE in offered
    assert Rule_Stagecraft_SAFE.groups == ("all", "stagecraft")
