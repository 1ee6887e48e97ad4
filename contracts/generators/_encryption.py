"""``default_encryption``: "Possible values are required or optional." (values read from the fragment).

The enum is documented exactly, so case variants, whitespace and look-alikes are documented-invalid;
only ``null`` (x-undocumented: null-values) is left to observation.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from contracts.spec import load_spec

from ._labeled import Labeled
from ._text import equivalent_key, homoglyph, unique, whitespace_variants

__all__ = ["FIELD", "invalid_encryption", "undocumented_encryption", "valid_encryption"]

FIELD = "default_encryption"

#: Words a client might plausibly send for "no encryption" / "encryption on", simplest first.
_OTHER_WORDS = ("none", "disabled", "true", "false", "off", "on", "enabled", "mandatory", "srtp")


def valid_encryption() -> st.SearchStrategy[str]:
    """One of the documented values, in the documented order."""
    return st.sampled_from(load_spec().encryption_values)


@functools.cache
def _invalid() -> tuple[Labeled, ...]:
    values = load_spec().encryption_values
    taken = {equivalent_key(v) for v in values}
    first = values[0]
    rows: list[tuple[object, str, str]] = []
    rows += [
        (w, "unsupported-name", f"{w!r} is not a documented value")
        for w in _OTHER_WORDS
        if equivalent_key(w) not in taken
    ]
    for v in values:
        rows += [
            (v.title(), "case-variant", f"{v} in title case"),
            (v.upper(), "case-variant", f"{v} in upper case"),
        ]
    rows.append(("", "empty-string", "an empty string"))
    rows.append(("__not_in_enum__", "not-in-enum", "schemathesis' out-of-enum marker"))
    for v in values:
        rows += [(w, "whitespace", f"{v} with a {note}") for w, note in whitespace_variants(v)]
    for v in values:
        lookalike = homoglyph(v, "Cyrillic")
        if lookalike is not None:
            rows.append((lookalike, "lookalike-unicode", f"{v} with a Cyrillic look-alike letter"))
    rows += [
        (True, "wrong-type:bool", "a boolean"),
        (False, "wrong-type:bool", "a boolean"),
        (0, "wrong-type:number", "an integer"),
        (1, "wrong-type:number", "an integer"),
        ([first], "wrong-type:list", "a documented value inside a list"),
        ([], "wrong-type:list", "an empty list"),
        ({}, "wrong-type:object", "an empty object"),
        ({"value": first}, "wrong-type:object", "a documented value inside an object"),
    ]
    documented = set(values)
    return tuple(
        Labeled(v, c, True, n, FIELD)
        for v, c, n in unique(rows)
        if not (isinstance(v, str) and v in documented)
    )


def invalid_encryption() -> st.SearchStrategy[Labeled]:
    """Documented-invalid ``default_encryption`` values, simplest first."""
    return st.sampled_from(_invalid())


def undocumented_encryption() -> list[Labeled]:
    """Observation probes: ``null`` (x-undocumented: null-values)."""
    return [Labeled(None, "null", False, "null for default_encryption (x-undocumented: null-values)", FIELD)]
