"""Whole PUT bodies: valid ones, and valid ones spoiled by exactly one documented-invalid field."""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from contracts.spec import RANDOM_SEND_AS, load_spec

from . import _e164, _encryption, _identifier, _vocab
from ._labeled import Labeled

__all__ = ["FIELD_ORDER", "invalid_field", "mixed_invalid_bodies", "valid_bodies", "valid_field"]

#: The request fields, simplest and least disruptive first: shrinking ends on ``default_encryption``,
#: and ``domain_identifier`` (which renames the project's live SIP domain) comes last.
FIELD_ORDER = (
    _encryption.FIELD,
    _vocab.FIELDS["codecs"],
    _vocab.FIELDS["ciphers"],
    _e164.FIELD,
    _identifier.FIELD,
)


@functools.cache
def _fields() -> tuple[str, ...]:
    documented = set(load_spec().update_fields)
    if documented != set(FIELD_ORDER):
        raise RuntimeError(
            f"the fragment's request fields {sorted(documented)} differ from the generators' "
            f"{sorted(FIELD_ORDER)}: teach contracts/generators/_bodies.py the change"
        )
    return FIELD_ORDER


def _send_as(numbers: tuple[str, ...] | None) -> st.SearchStrategy[str | None]:
    random_number: st.SearchStrategy[str | None] = st.sampled_from(RANDOM_SEND_AS)
    if not numbers:
        return random_number
    # The documented rule is the format: an owned number libphonenumber thinks unallocated is still valid.
    bad = [n for n in numbers if not load_spec().e164_pattern.fullmatch(n)]
    if bad:
        raise ValueError(f"numbers must be E.164 strings; these are not: {bad!r}")
    return st.one_of(st.sampled_from(numbers), random_number)


def valid_field(field: str, prefix: str, *, numbers: tuple[str, ...] | None) -> st.SearchStrategy[object]:
    """Valid values of one request field (``default_send_as``: ``numbers``, else only null and "")."""
    if field == _encryption.FIELD:
        return _encryption.valid_encryption()
    if field == _vocab.FIELDS["codecs"]:
        return _vocab.valid_lists("codecs")
    if field == _vocab.FIELDS["ciphers"]:
        return _vocab.valid_lists("ciphers")
    if field == _e164.FIELD:
        return _send_as(numbers)
    if field == _identifier.FIELD:
        return _identifier.dns_labels(prefix)
    raise ValueError(f"unknown request field {field!r}")


def invalid_field(field: str) -> st.SearchStrategy[Labeled]:
    """Documented-invalid values of one request field."""
    if field == _encryption.FIELD:
        return _encryption.invalid_encryption()
    if field == _vocab.FIELDS["codecs"]:
        return st.one_of(_vocab.invalid_items("codecs"), _vocab.invalid_types("codecs"))
    if field == _vocab.FIELDS["ciphers"]:
        return st.one_of(_vocab.invalid_items("ciphers"), _vocab.invalid_types("ciphers"))
    if field == _e164.FIELD:
        return st.one_of(_e164.invalid_e164(), _e164.invalid_send_as_types())
    if field == _identifier.FIELD:
        return _identifier.invalid_identifier_types()
    raise ValueError(f"unknown request field {field!r}")


@st.composite
def _valid_body(draw: st.DrawFn, prefix: str, numbers: tuple[str, ...] | None) -> dict[str, object]:
    fields = _fields()
    chosen = set(draw(st.lists(st.sampled_from(fields), min_size=1, unique=True)))
    return {f: draw(valid_field(f, prefix, numbers=numbers)) for f in fields if f in chosen}


def valid_bodies(prefix: str, *, numbers: tuple[str, ...] | None) -> st.SearchStrategy[dict[str, object]]:
    """PUT bodies with a non-empty subset of the fields, valid values only.

    ``default_send_as`` is drawn from ``numbers`` (numbers the project may use) or null/"", and never an
    arbitrary valid number: whether the service accepts numbers the project does not own is undocumented.
    """
    _identifier.dns_labels(prefix)  # validates the prefix now, not at the first draw
    _send_as(numbers)
    return _valid_body(prefix, numbers)


@st.composite
def _mixed_body(
    draw: st.DrawFn, prefix: str, numbers: tuple[str, ...] | None
) -> tuple[dict[str, object], Labeled]:
    fields = _fields()
    bad_field = draw(st.sampled_from(fields))
    others = [f for f in fields if f != bad_field]
    chosen = set(draw(st.lists(st.sampled_from(others), min_size=1, unique=True)))
    label = draw(invalid_field(bad_field))
    if label.field != bad_field:
        label = Labeled(label.value, label.cls, label.documented, label.note, bad_field)
    body: dict[str, object] = {}
    for f in fields:
        if f == bad_field:
            body[f] = label.value
        elif f in chosen:
            body[f] = draw(valid_field(f, prefix, numbers=numbers))
    return body, label


def mixed_invalid_bodies(
    prefix: str, *, numbers: tuple[str, ...] | None
) -> st.SearchStrategy[tuple[dict[str, object], Labeled]]:
    """A body with one or more valid fields plus exactly one documented-invalid field, and its label.

    For the clause "a rejected PUT changes nothing, also when it mixes valid and invalid fields".
    """
    _identifier.dns_labels(prefix)
    _send_as(numbers)
    return _mixed_body(prefix, numbers)
