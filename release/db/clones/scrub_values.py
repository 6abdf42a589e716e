"""The SQL that computes one column's scrubbed value, per rule kind. Pure: values in, SQL out.

Every generated value is derived from the old one through a keyed hash (`@stagecraft_key`, a
per-clone secret set on the session), so equal inputs give equal outputs in every table and
joins keep matching, while nothing about the old value can be read back. Distinct inputs stay
distinct with high probability wherever the column is wide enough: names are four generated
syllables (10^8 per part), streets a house number and a generated street name (10^10), 5-digit
postal codes a keyed permutation (never two alike). Phones are the exception: the fictional
555-01xx range holds 80,000 numbers, so distinct phones may merge unless the column is unique.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.db.clones import personal as contact
from release.db.schema import DATE_TYPES, INTEGER_TYPES, Column, quote

KEY = "@stagecraft_key"
EMAIL_DOMAIN = "@example.invalid"
# 100 syllables, two letters each: a generated name is four of them ("Dazomeki").
_SYLLABLES = "".join(c + v for c in "bcdfghjklmnprstvwxyz" for v in "aeiou")
# Syllable pairs p = 0..9999: syllable p % 100, then syllable p // 100 (4 letters each), and
# the same capitalised; latin1 literals, so that SUBSTR finds a position without counting
# multi-byte characters from the start.
_PAIRS = "".join(_SYLLABLES[2 * (p % 100):2 * (p % 100) + 2]
                 + _SYLLABLES[2 * (p // 100):2 * (p // 100) + 2] for p in range(10000))
_CAPITAL_PAIRS = "".join(_PAIRS[i:i + 4].capitalize() for i in range(0, len(_PAIRS), 4))


def expression(kind: str, column: Column) -> str:
    """The SQL giving `column`'s new value; ValueError when `kind` cannot fit the column."""
    if kind.startswith("literal:"):
        return kind.removeprefix("literal:").strip()
    if kind == "null":
        if not column.nullable:
            raise ValueError("column is NOT NULL; use literal:'' instead of null")
        return "NULL"
    if kind == "phone" and column.data_type in INTEGER_TYPES:
        return _keep_blank(column, _integer_phone(column))
    if kind == "date":
        if column.data_type not in DATE_TYPES:
            raise ValueError(f"kind 'date' needs a date column, this one is {column.data_type}")
        return _keep_blank(column, _date(column))
    if not column.is_text:
        raise ValueError(f"kind {kind!r} needs a text column, this one is {column.data_type}")
    if kind == "name":
        kind = {"first": "first_name", "last": "last_name"}.get(
            contact.name_part(column.name), "name")
    generators = {"phone": _phone, "email": _email, "name": _name, "first_name": _first_name,
                  "last_name": _last_name, "address": _address, "token": _token,
                  "redact": _redact}
    if kind not in generators:
        raise ValueError(f"unknown kind {kind!r}")
    target = _Target(_hash(column), quote(column.name), column.max_length or 0, column.unique)
    return _keep_blank(column, generators[kind](target))


@dataclass(frozen=True)
class _Target:
    h: str           # the keyed hash of the old value
    value: str       # the old value (the quoted column)
    length: int      # characters the column holds
    unique: bool


def _keep_blank(column: Column, expr: str) -> str:
    name = quote(column.name)
    if not column.is_text:
        return f"IF({name} IS NULL, {name}, {expr})"
    if column.charset.isidentifier():
        # IF() must not mix the column's charset (latin1, say) with the literals' utf8mb4.
        expr = f"CONVERT({expr} USING {column.charset})"
    return f"IF({name} IS NULL OR {name} = '', {name}, {expr})"


def _hash(column: Column) -> str:
    # CRC32 over the secret and the value: four times cheaper than MD5 in the server, which is
    # what keeps a million-row scrub near a hand-written UPDATE; the secret keeps it unguessable.
    return f"CRC32(CONCAT({KEY}, CAST({quote(column.name)} AS BINARY)))"


def _second(h: str) -> str:
    """Another keyed CRC32 of the same value, independent of `h`."""
    return h.replace(f"CONCAT({KEY}, ", f"CONCAT('~', {KEY}, ")


def _wide(h: str) -> str:
    """20 decimal digits (two keyed CRC32s): wide enough that distinct values stay distinct."""
    return f"CONCAT(LPAD({h}, 10, '0'), LPAD({_second(h)}, 10, '0'))"


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _phone(t: _Target) -> str:
    h, length, unique = t.h, t.length, t.unique
    # NANP reserves 555-0100..555-0199 for fiction in every area code: no real line answers.
    # Each expression uses the hash once: the server would compute it again for each use.
    if length < 7:
        raise ValueError(f"a phone number needs at least 7 characters, the column has {length}")
    if length < 10:
        if unique:
            raise ValueError("a unique phone column needs at least 17 characters")
        return f"CONCAT('55501', LPAD({h} % 100, 2, '0'))"
    # 20000..99999: an area code 200..999 and a line 00..99 from one hash.
    number = f"INSERT(20000 + {h} % 80000, 4, 0, '55501')"
    if not unique:
        return number
    # 100 fictional lines per area code are too few for a unique key: add an extension.
    if length < 17:
        raise ValueError("a unique phone column needs at least 17 characters")
    return f"LEFT(CONCAT({number}, 'x', LPAD({_second(h)}, 10, '0')), {length})"


def _integer_phone(column: Column) -> str:
    if column.unique:
        raise ValueError("a unique integer phone column cannot hold fictional numbers")
    if column.data_type == "bigint":
        return f"(2005550100 + {_hash(column)} % 80000 DIV 100 * 10000000 + " \
               f"{_hash(column)} % 100)"
    if column.data_type != "int":
        raise ValueError(f"an {column.data_type} column cannot hold a 7-digit phone number")
    return f"(5550100 + {_hash(column)} % 100)"


def _email(t: _Target) -> str:
    h, length = t.h, t.length
    digits = min(length - len("user") - len(EMAIL_DOMAIN), 20)
    if digits < 6:
        raise ValueError(f"an email address needs at least 26 characters, the column has "
                         f"{length}")
    return f"CONCAT('user', LEFT({_wide(h)}, {digits}), '{EMAIL_DOMAIN}')"


def _word(h: str, syllables: int) -> str:
    """A capitalised made-up word of 3 or 4 syllables picked by the digits of `h` (syllable i
    by `h DIV 100^i % 100`), built from two pieces so that `h`, a hash, is computed twice per
    value rather than once a syllable (MariaDB does not reuse a repeated expression)."""
    first = f"SUBSTR(_latin1'{_CAPITAL_PAIRS}', 1 + 4 * ({h} % 10000), 4)"
    if syllables == 4:
        rest = f"SUBSTR(_latin1'{_PAIRS}', 1 + 4 * ({h} DIV 10000 % 10000), 4)"
    else:
        rest = f"SUBSTR(_latin1'{_SYLLABLES}', 1 + 2 * ({h} DIV 10000 % 100), 2)"
    return f"CONCAT({first}, {rest})"


def _unique_suffix(h: str, expr: str, length: int, unique: bool) -> str:
    if unique:
        return f"LEFT(CONCAT({expr}, ' ', {_wide(h)}), {length})"
    return f"LEFT({expr}, {length})"


def _first_name(t: _Target) -> str:
    h, length, unique = t.h, t.length, t.unique
    return _unique_suffix(h, _word(h, 4), length, unique)


def _last_name(t: _Target) -> str:
    h, length, unique = t.h, t.length, t.unique
    return _unique_suffix(h, _word(_second(h), 4), length, unique)


def _name(t: _Target) -> str:
    h, length, unique = t.h, t.length, t.unique
    return _unique_suffix(h, f"CONCAT({_word(h, 4)}, ' ', {_word(_second(h), 4)})",
                          length, unique)


def _address(t: _Target) -> str:
    h, length, unique = t.h, t.length, t.unique
    if length <= 12:
        return _postal_code(t)
    if unique:
        return f"LEFT(INSERT({_wide(h)}, 5, 0, ' Elm Street #'), {length})"
    street = f"CONCAT(1 + {h} % 9899, ' ', {_word(_second(h), 3)}, ' Street')"
    return f"LEFT({street}, {length})"


def _postal_code(t: _Target) -> str:
    """Columns this short hold postal codes (the client's zip is varchar(10)): codes in
    00000-00499, which no US ZIP code uses. A 5-digit code goes through a keyed permutation
    of 0..99999 (`a` ends in 1, so it is prime to 100000) into 00000-0xxxx: no two alike."""
    h, value = t.h, t.value
    if t.length < 10:
        return f"LEFT(LPAD({h} % 500, 5, '0'), {t.length})"
    a = f"(CRC32(CONCAT({KEY}, 'zip-a')) % 10000 * 10 + 1)"
    b = f"CRC32(CONCAT({KEY}, 'zip-b'))"
    permuted = f"MOD(CAST({value} AS UNSIGNED) * {a} + {b}, 100000)"
    return (f"IF({value} REGEXP '^[0-9]{{5}}$', CONCAT('0000', {permuted} DIV 10000, '-', "
            f"LPAD({permuted} % 10000, 4, '0')), CONCAT('00', 100 + {h} % 400, '-', "
            f"LPAD({_second(h)} % 10000, 4, '0')))")


def _date(column: Column) -> str:
    # Another day of the same year (never the same one: the shift is 1..364 days), so ages
    # stay right to the year and the old date cannot be read back.
    name = quote(column.name)
    return f"MAKEDATE(YEAR({name}), 1 + (DAYOFYEAR({name}) + {_hash(column)} % 364) % 365)"


def _token(t: _Target) -> str:
    # An opaque value: a SID or push token that no provider will accept. A cryptographic hash
    # of the whole value (not of its 32-bit CRC, which collides from some 65,000 values on and
    # would break a unique key): tokens are long random strings, nothing cheaper is needed.
    digest = f"SHA2(CONCAT({KEY}, CAST({t.value} AS BINARY)), 256)"
    length = t.length
    return f"LEFT(CONCAT({digest}, {digest}), {min(length, 128)})"


def _redact(t: _Target) -> str:
    """The text with each SID, email, SSN and phone number in it replaced by a fictional one.

    REGEXP_REPLACE cannot hash each match, so every match of a kind in one value gets the same
    replacement, derived from the whole value: equal texts stay equal. Rows without a match
    (most) are left as they are after one REGEXP test.
    """
    h, value = t.h, t.value
    tag = f"LOWER(LPAD(HEX({h}), 8, '0'))"
    text = value
    for pattern, replacement in (
            (contact.SID, f"CONCAT('XXredacted', {tag}, '0000000000000000')"),
            (contact.EMAIL, f"CONCAT('redacted.', {tag}, '{EMAIL_DOMAIN}')"),
            (contact.SSN, f"CONCAT('987-65-432', {h} % 10)"),
            (contact.PHONE, f"CONCAT('201-555-01', LPAD({h} % 100, 2, '0'))")):
        text = f"REGEXP_REPLACE({text}, {_literal(pattern)}, {replacement})"
    return f"IF({value} REGEXP {_literal(contact.ANY)}, LEFT({text}, {t.length}), {value})"
