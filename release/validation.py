"""Values read from files, checked against the dataclasses that describe them.

The dataclasses (the configuration's tables, the state files' records) are plain frozen
dataclasses that name each field once, with its type and default; pydantic validates data
against them. Pydantic is imported here only, and only when a file is actually validated:
the git tasks run with no configuration file and must start fast.

A dataclass's own rules ride on its field types: `Annotated[str, Check(test, message)]`,
`Annotated[int, STRICT]` (TOML and JSON give real integers and booleans: "5" or true is a
mistake, not a number), `Annotated[T, Convert(function)]` (a shorthand, such as a bare SSH
target for a host table). A failed validation becomes `Invalid`, whose problems read
`key.path[0].name: what is wrong`, never pydantic's own text (which may echo a value).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import CoreSchema

T = TypeVar("T")
Handler = Callable[[Any], "CoreSchema"]


class Invalid(Exception):
    """The data does not fit: one problem a line, each starting with its key path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Check:
    """A rule on one value, checked after its type: `test(value)` false is a problem."""

    def __init__(self, test: Callable[[Any], object],
                 message: str | Callable[[Any], str]) -> None:
        self.test = test
        self.message = message

    def __get_pydantic_core_schema__(self, source: Any, handler: Handler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self._run, handler(source))

    def _run(self, value: Any) -> Any:
        if self.test(value):
            return value
        raise ValueError(self.message if isinstance(self.message, str) else self.message(value))


class Convert:
    """Turn a shorthand into what the type expects before it is checked; `function` raises
    ValueError (its message is the problem) for what is neither."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Handler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.function, handler(source))


class _Strict:
    """Only a value of the type itself: no "5" or true for an integer, no "yes" for a bool."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Handler) -> CoreSchema:
        schema = dict(handler(source))
        schema["strict"] = True
        return schema


STRICT = _Strict()


def from_python(kind: type[T], data: object) -> T:
    """`data` (as the TOML reader gives it) as a `kind`; raises Invalid. Integers and
    booleans are strict only where the type says STRICT (strict mode would refuse a table
    for a dataclass)."""
    from pydantic import ValidationError

    try:
        return _adapter(kind).validate_python(data)
    except ValidationError as error:
        raise Invalid(problems(error.errors(include_url=False))) from None


def from_json(kind: type[T], text: str | bytes) -> T:
    """JSON text as a `kind`, strictly (no "5" for 5); raises Invalid."""
    from pydantic import ValidationError

    try:
        return _adapter(kind).validate_json(text, strict=True)
    except ValidationError as error:
        raise Invalid(problems(error.errors(include_url=False), table="an object")) from None


def from_json_value(kind: type[T], data: object) -> T:
    """An already decoded JSON value (a cache's), as strictly as `from_json`."""
    return from_json(kind, json.dumps(data))


_ADAPTERS: dict[object, Any] = {}


def _adapter(kind: type[T]) -> TypeAdapter[T]:
    """Built once a process: building is most of the cost of a first validation."""
    from pydantic import TypeAdapter

    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    adapter: TypeAdapter[T] = _ADAPTERS[kind]
    return adapter


_EXPECTED = {
    "string_type": "a string", "int_type": "an integer", "int_parsing": "an integer",
    "int_from_float": "an integer", "bool_type": "true/false", "bool_parsing": "true/false",
    "tuple_type": "a list", "list_type": "a list",
}
_TABLES = ("dict_type", "dataclass_type", "dataclass_exact_type", "model_type")
_UNKNOWN = ("unexpected_keyword_argument", "extra_forbidden")
_MISSING = ("missing", "missing_argument", "missing_keyword_only_argument")


def problems(errors: list[Any], *, table: str = "a table") -> list[str]:
    """pydantic's errors as `key.path: problem` lines, in the order it found them."""
    return [_problem(e, table) for e in errors]


def key_path(loc: tuple[str | int, ...]) -> str:
    """("environments", "qa", "hosts", 1, "path") -> "environments.qa.hosts[1].path"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(error: Any, table: str) -> str:
    kind, loc = error["type"], tuple(error["loc"])
    where = key_path(loc)
    if kind in _UNKNOWN:
        message = "unknown key"
    elif kind in _MISSING:
        message = "required value is missing"
    elif kind == "value_error":
        message = str(error["ctx"]["error"])
    elif kind == "json_invalid":
        message = f"not valid JSON ({error['ctx']['error']})"
    elif kind in _EXPECTED or kind in _TABLES:
        expected = _EXPECTED.get(kind, table)
        if kind in _TABLES and loc and isinstance(loc[-1], int):
            expected += f" ([[{key_path(loc[:-1])}]])"
        message = f"expected {expected}, got {type_name(error['input'], table)} " \
                  f"({_shown(error['input'])})"
    else:
        message = str(error["msg"])
    return f"{where}: {message}" if where else message


def type_name(value: object, table: str = "a table") -> str:
    if isinstance(value, bool):
        return "true/false"
    names = {str: "a string", int: "an integer", list: "a list", dict: table}
    return names.get(type(value), type(value).__name__)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
