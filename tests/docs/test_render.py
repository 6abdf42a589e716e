"""The one Jinja environment: application overrides, strict variables, HTML escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.docs.render import package_templates, render
from release.errors import ConfigError


def _override(app: Path, name: str, text: str) -> None:
    folder = app / "templates" / "release"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_shipped_templates_are_found_from_the_installed_package() -> None:
    names = {p.name for p in package_templates().iterdir()}
    assert {"checklist.md.j2", "checklist.html.j2", "notes.md.j2", "notes.html.j2"} <= names


def test_application_override_wins_over_the_shipped_template(tmp_path: Path) -> None:
    _override(tmp_path, "notes.md.j2", "Our notes for {{ name }}\n")
    assert render("notes.md.j2", {"name": "r1"}, app_root=tmp_path) == "Our notes for r1\n"


def test_unknown_variable_names_the_template_and_the_variable(tmp_path: Path) -> None:
    _override(tmp_path, "notes.md.j2", "line one\n{{ relase.name }}\n")
    with pytest.raises(ConfigError) as caught:
        render("notes.md.j2", {"release": {"name": "r1"}}, app_root=tmp_path)
    message = caught.value.message
    assert f"{tmp_path}/templates/release/notes.md.j2:2" in message
    assert "variable 'relase'" in message
    assert "release" in message  # what it could have used


def test_unknown_attribute_names_the_attribute(tmp_path: Path) -> None:
    _override(tmp_path, "notes.md.j2", "{{ release.nmae }}\n")
    with pytest.raises(ConfigError, match=r"attribute 'nmae'"):
        render("notes.md.j2", {"release": {"name": "r1"}}, app_root=tmp_path)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    _override(tmp_path, "notes.md.j2", "ok\n{% for x in %}\n")
    with pytest.raises(ConfigError, match=r"notes\.md\.j2:2"):
        render("notes.md.j2", {}, app_root=tmp_path)


def test_missing_template_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"template nothing\.md\.j2 not found"):
        render("nothing.md.j2", {}, app_root=tmp_path)


def test_html_templates_escape_and_markdown_ones_do_not(tmp_path: Path) -> None:
    _override(tmp_path, "x.html.j2", "{{ s }}")
    _override(tmp_path, "x.md.j2", "{{ s }}")
    value = {"s": "<script>alert(1)</script> & co"}
    assert render("x.html.j2", value, app_root=tmp_path) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
    assert render("x.md.j2", value, app_root=tmp_path) == value["s"]
