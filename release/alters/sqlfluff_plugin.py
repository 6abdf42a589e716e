"""sqlfluff plugin: Stagecraft's safety rules for `sqlfluff lint` users.

Registered through the `sqlfluff` entry point in pyproject.toml. The rule module is
imported only when sqlfluff asks for the rules, as sqlfluff's own bundles do.
"""

from __future__ import annotations

from sqlfluff.core.plugin import hookimpl
from sqlfluff.core.rules import BaseRule


@hookimpl
def get_rules() -> list[type[BaseRule]]:
    from release.alters.sqlfluff_rule import Rule_Stagecraft_SAFE

    return [Rule_Stagecraft_SAFE]
