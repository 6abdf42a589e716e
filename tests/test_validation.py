from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

import pytest

from release.validation import STRICT, Check, Convert, Invalid, from_json, from_python, key_path


@dataclass(frozen=True)
class Item:
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    name: Annotated[str, Check(str.isidentifier, lambda v: f"{v!r} is not a name")]
    size: Annotated[int, STRICT] = 0


def _item(raw: object) -> object:
    if isinstance(raw, str):
        return {"name": raw}
    return raw


@dataclass(frozen=True)
class Box:
    items: tuple[Annotated[Item, Convert(_item)], ...] = ()
    sealed: Annotated[bool, STRICT] = False


def test_key_paths_read_as_in_the_file() -> None:
    assert key_path(("environments", "qa", "hosts", 1, "path")) == "environments.qa.hosts[1].path"
    assert key_path((0, "id")) == "[0].id"
    assert key_path(()) == ""


def test_every_problem_is_reported_with_its_key_path() -> None:
    with pytest.raises(Invalid) as caught:
        from_python(Box, {"items": ["ok", {"name": "9x"}, {"name": "b", "size": "5", "colour": 1}],
                          "sealed": "yes"})
    assert caught.value.problems == [
        "items[1].name: '9x' is not a name",
        "items[2].size: expected an integer, got a string ('5')",
        "items[2].colour: unknown key",
        "sealed: expected true/false, got a string ('yes')",
    ]


def test_shorthands_and_lists_become_the_declared_values() -> None:
    assert from_python(Box, {"items": ["a", {"name": "b", "size": 2}]}) == Box(
        (Item("a"), Item("b", 2)))


def test_json_is_strict_and_damage_is_a_problem_not_an_exception() -> None:
    assert from_json(Box, '{"items": [{"name": "a", "size": 1}], "sealed": true}') == Box(
        (Item("a", 1),), True)
    with pytest.raises(Invalid) as caught:
        from_json(Box, '{"items": [{"size": 1.5}]}')
    assert caught.value.problems == ["items[0].name: required value is missing",
                                     "items[0].size: expected an integer, got float (1.5)"]
    with pytest.raises(Invalid, match=r"not valid JSON"):
        from_json(Box, '{"items": [')
    with pytest.raises(Invalid, match=r"expected an object, got a list"):
        from_json(Box, "[1]")


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(Invalid) as caught:
        from_python(Box, {"sealed": "x" * 200})
    assert len(caught.value.problems[0]) < 120
