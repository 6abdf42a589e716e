"""The one definition of a pending alters block and a new push-instruction entry."""

from __future__ import annotations

from release.alters.parse import parse_alters
from release.alters.push_instructions import parse_push_instructions
from release.alters.shipping import is_pending, new_entries, pending

HEADER = "Push instructions\n-----\n\n"
SHIPPED = "-- alter: one\nALTER TABLE t ADD COLUMN a INT NULL;\n"


def test_a_block_is_pending_unless_its_id_and_checksum_shipped() -> None:
    shipped = {b.id: b.checksum for b in parse_alters(SHIPPED, "a").blocks}
    (same,) = parse_alters(SHIPPED, "a").blocks
    (edited,) = parse_alters(SHIPPED.replace("INT", "BIGINT"), "a").blocks
    assert not is_pending(same, shipped)
    assert is_pending(edited, shipped)
    assert is_pending(same, None)
    assert pending([same, edited], shipped) == [edited]


def test_an_entry_is_new_unless_the_release_had_it_whitespace_aside() -> None:
    old = parse_push_instructions(HEADER + "2024-01-01: ann, restart the workers now\n")
    reflowed = parse_push_instructions(HEADER + "2024-01-01: ann, restart the workers\n"
                                       "    now\n2024-01-02: bob, clear the cache\n")
    fresh = new_entries(reflowed.entries, old.entries)
    assert [(e.author, e.text) for e in fresh] == [("bob", "clear the cache")]
    assert len(new_entries(reflowed.entries, None)) == 2


def test_a_baselined_block_has_shipped_unless_edited_since() -> None:
    (same,) = parse_alters(SHIPPED, "a").blocks
    (edited,) = parse_alters(SHIPPED.replace("INT", "BIGINT"), "a").blocks
    baselined = {(same.id, same.checksum)}
    assert not is_pending(same, None, baselined)
    assert is_pending(edited, None, baselined)
    assert pending([same, edited], {}, baselined) == [edited]
