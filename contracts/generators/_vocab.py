"""Codec and cipher lists: valid subsets, documented-invalid entries and types, undocumented variants.

Both fields are "a list of strings" whose "currently supported values" the documentation enumerates; the
names are read from the OpenAPI fragment (``load_spec()``), never written here. What *is* written here is
data the fragment cannot hold: real codec and SRTP suite names the service does not support.
"""

from __future__ import annotations

import functools
from typing import Literal

from hypothesis import strategies as st

from contracts.spec import load_spec

from ._labeled import Labeled
from ._text import equivalent_key, fullwidth, homoglyph, unique, whitespace_variants

__all__ = [
    "FIELDS",
    "Vocab",
    "invalid_items",
    "invalid_types",
    "singletons",
    "undocumented_variants",
    "valid_lists",
    "vocabulary",
]

Vocab = Literal["codecs", "ciphers"]

#: The request field each vocabulary belongs to.
FIELDS: dict[Vocab, str] = {"codecs": "default_codecs", "ciphers": "default_ciphers"}

#: Real codecs the documentation does not list, simplest first. Aliases of supported codecs (G711,
#: "PCMU/8000", "opus@48000h") are left out on purpose: a server accepting a synonym is not settled.
_UNSUPPORTED_CODECS = (
    "G729",
    "GSM",
    "iLBC",
    "SPEEX",
    "G723",
    "G726",
    "AMR",
    "AMR-WB",
    "SILK",
    "G7221",
    "L16",
    "VP9",
    "AV1",
    "H265",
    "H263",
)
#: Real SRTP crypto suites (RFC 4568, 6188, 7714 and FreeSWITCH names) the documentation does not list.
#: Re-spellings of supported suites (AES_128_CM_HMAC_SHA1_80 for AES_CM_128_HMAC_SHA1_80) are left out.
_UNSUPPORTED_CIPHERS = (
    "NULL",
    "AES_128_GCM",
    "AEAD_AES_128_GCM",
    "AEAD_AES_128_GCM_8",
    "AEAD_AES_256_GCM",
    "NULL_HMAC_SHA1_80",
    "NULL_HMAC_SHA1_32",
    "AES_192_CM_HMAC_SHA1_80",
    "AES_192_CM_HMAC_SHA1_32",
    "F8_128_HMAC_SHA1_80",
)
_UNSUPPORTED: dict[Vocab, tuple[str, ...]] = {"codecs": _UNSUPPORTED_CODECS, "ciphers": _UNSUPPORTED_CIPHERS}
_OTHER: dict[Vocab, Vocab] = {"codecs": "ciphers", "ciphers": "codecs"}

#: Position names of the bad item inside the list, simplest first.
_POSITIONS = ("alone", "end", "start", "middle")


def vocabulary(vocab: Vocab) -> tuple[str, ...]:
    """The supported names of ``vocab``, in the documented order (from the OpenAPI fragment)."""
    spec = load_spec()
    if vocab == "codecs":
        return spec.codecs
    if vocab == "ciphers":
        return spec.ciphers
    raise ValueError(f"vocab must be 'codecs' or 'ciphers', not {vocab!r}")


def _outside(vocab: Vocab, names: tuple[str, ...]) -> list[str]:
    """``names`` minus any that a lenient server could take for a supported name of ``vocab``."""
    taken = {equivalent_key(v) for v in vocabulary(vocab)}
    return [n for n in names if equivalent_key(n) not in taken]


def singletons(vocab: Vocab) -> list[list[str]]:
    """Every supported name alone in a list, in the documented order."""
    return [[name] for name in vocabulary(vocab)]


@st.composite
def _ordered_subset(draw: st.DrawFn, names: tuple[str, ...]) -> list[str]:
    chosen = set(draw(st.lists(st.sampled_from(names), min_size=1, unique=True)))
    subset = [n for n in names if n in chosen]
    ordering = draw(st.sampled_from(("documented", "reversed", "sorted", "reverse-sorted", "permutation")))
    if ordering == "reversed":
        return subset[::-1]
    if ordering == "sorted":
        return sorted(subset)
    if ordering == "reverse-sorted":
        return sorted(subset, reverse=True)
    if ordering == "permutation":
        return draw(st.permutations(subset))
    return subset


def valid_lists(vocab: Vocab) -> st.SearchStrategy[list[str]]:
    """Non-empty lists of distinct supported names, in every ordering class; shrinks to the first name."""
    return _ordered_subset(vocabulary(vocab))


@functools.cache
def _bad_items(vocab: Vocab) -> tuple[tuple[str, str, str], ...]:
    """``(item, cls, note)`` for every documented-invalid list entry, simplest first."""
    names = vocabulary(vocab)
    other = _OTHER[vocab]
    items: list[tuple[object, str, str]] = []
    items += [
        (n, "unsupported-name", f"{n} is a real {vocab[:-1]} the docs do not list")
        for n in _outside(vocab, _UNSUPPORTED[vocab])
    ]
    items += [
        (n, "other-vocabulary", f"{n} is one of the supported {other}")
        for n in _outside(vocab, vocabulary(other))
    ]
    items.append(("", "empty-string", "an empty name"))
    items.append(("__not_in_enum__", "not-in-enum", "schemathesis' out-of-enum marker"))
    for name in names:
        items += [(v, "whitespace", f"{name} with a {note}") for v, note in whitespace_variants(name)]
    for name in names:
        for script in ("Cyrillic", "Greek"):
            lookalike = homoglyph(name, script)
            if lookalike is not None:
                items.append((lookalike, "lookalike-unicode", f"{name} with a {script} look-alike letter"))
        items.append((fullwidth(name), "lookalike-unicode", f"{name} in fullwidth letters"))
    supported = set(names)
    return tuple((str(v), c, n) for v, c, n in unique(items) if v not in supported)


@st.composite
def _with_bad_item(draw: st.DrawFn, vocab: Vocab) -> Labeled:
    item, cls, note = draw(st.sampled_from(_bad_items(vocab)))
    position = draw(st.sampled_from(_POSITIONS))
    companions: list[str] = [] if position == "alone" else draw(valid_lists(vocab))
    index = {"alone": 0, "start": 0, "end": len(companions), "middle": len(companions) // 2}[position]
    value = [*companions[:index], item, *companions[index:]]
    where = (
        "alone"
        if not companions
        else "at the start"
        if index == 0
        else ("at the end" if index == len(companions) else "in the middle")
    )
    return Labeled(value, cls, True, f"{note}, {where} of an otherwise valid list", FIELDS[vocab])


def invalid_items(vocab: Vocab) -> st.SearchStrategy[Labeled]:
    """A list holding exactly one documented-invalid entry among supported ones (the list is the value)."""
    vocabulary(vocab)  # fail fast on a bad vocab name
    return _with_bad_item(vocab)


@functools.cache
def _wrong_types(vocab: Vocab) -> tuple[Labeled, ...]:
    names = vocabulary(vocab)
    first, second = names[0], names[-1]
    field = FIELDS[vocab]
    rows: list[tuple[object, str, str]] = [
        (first, "wrong-type:string", "a bare name instead of a list"),
        (f"{first},{second}", "wrong-type:string", "comma-separated names instead of a list"),
        (f'["{first}"]', "wrong-type:string", "a JSON array encoded as a string"),
        (0, "wrong-type:number", "an integer"),
        (1, "wrong-type:number", "an integer"),
        (1.5, "wrong-type:number", "a float"),
        (True, "wrong-type:bool", "a boolean"),
        (False, "wrong-type:bool", "a boolean"),
        ([[first]], "wrong-type:nested-list", "a list inside the list"),
        ([first, [second]], "wrong-type:nested-list", "a valid entry then a nested list"),
        ({}, "wrong-type:object", "an empty object"),
        ({"name": first}, "wrong-type:object", "an object instead of a list"),
        ({"0": first}, "wrong-type:object", "an index-keyed object instead of a list"),
        ([0], "wrong-item-type:number", "a list holding a number"),
        ([first, 1], "wrong-item-type:number", "a valid entry then a number"),
        ([None], "wrong-item-type:null", "a list holding null"),
        ([first, None], "wrong-item-type:null", "a valid entry then null"),
        ([True], "wrong-item-type:bool", "a list holding a boolean"),
        ([{"name": first}], "wrong-item-type:object", "a list holding an object"),
    ]
    return tuple(Labeled(v, c, True, n, field) for v, c, n in unique(rows))


def invalid_types(vocab: Vocab) -> st.SearchStrategy[Labeled]:
    """Values that are not a list of strings (``null`` for the whole list is undocumented: not here)."""
    return st.sampled_from(_wrong_types(vocab))


def _mixed(name: str) -> str:
    """Alternating case from a lower-case first letter (``OPUS`` -> ``oPuS``): neither lower nor title."""
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


def undocumented_variants(vocab: Vocab) -> list[Labeled]:
    """The fixed observation probes, one per undocumented point, each ``documented=False``.

    Keys: ``case-lower``, ``case-title``, ``case-mixed``, ``empty``, ``duplicates``, ``null``, ``order``. The
    note names the fragment's ``x-undocumented`` id the probe answers.
    """
    names = vocabulary(vocab)
    field = FIELDS[vocab]
    supported = set(names)
    lower = next(n for n in names if n.lower() not in supported and n.lower() != n)
    title = next(n for n in names if n.title() not in supported and n.title() != n)
    mixed = next(n for n in names if _mixed(n) not in supported and _mixed(n) not in (n.lower(), n.title()))
    return [
        Labeled(
            [lower.lower()],
            "case-lower",
            False,
            f"{lower} in lower case (x-undocumented: case-sensitivity)",
            field,
        ),
        Labeled(
            [title.title()],
            "case-title",
            False,
            f"{title} in title case (x-undocumented: case-sensitivity)",
            field,
        ),
        Labeled(
            [_mixed(mixed)],
            "case-mixed",
            False,
            f"{mixed} in mixed case (x-undocumented: case-sensitivity)",
            field,
        ),
        Labeled([], "empty", False, "an empty list (x-undocumented: empty-lists)", field),
        Labeled(
            [names[0], names[0]], "duplicates", False, f"{names[0]} twice (x-undocumented: duplicates)", field
        ),
        Labeled(None, "null", False, "null for the whole list (x-undocumented: null-values)", field),
        Labeled(
            list(reversed(names)),
            "order",
            False,
            "every supported name in reverse documented order: is the order kept? "
            "(x-undocumented: list-order)",
            field,
        ),
    ]
