from __future__ import annotations

import dataclasses

import pytest

import contracts.generators as generators
from contracts.generators import Labeled, canonical

PUBLIC_API = {
    "IDENTIFIER_MAX_LENGTH",
    "LENGTH_LADDER",
    "Labeled",
    "UnallocatedNumberWarning",
    "Vocab",
    "ambiguous_e164",
    "canonical",
    "core_ladder",
    "dns_labels",
    "e164_extremes",
    "identifier_of_length",
    "identifier_variants",
    "invalid_e164",
    "invalid_encryption",
    "invalid_identifier_types",
    "invalid_items",
    "invalid_send_as_types",
    "invalid_types",
    "is_conservative_label",
    "is_valid_e164",
    "mixed_invalid_bodies",
    "owned_numbers_from_env",
    "register_formats",
    "representatives",
    "singletons",
    "undocumented_encryption",
    "undocumented_variants",
    "valid_bodies",
    "valid_e164",
    "valid_encryption",
    "valid_lists",
}


def test_public_api_is_exactly_the_curated_list() -> None:
    assert set(generators.__all__) == PUBLIC_API
    assert all(hasattr(generators, name) for name in PUBLIC_API)


def test_labeled_is_frozen_and_needs_a_class() -> None:
    label = Labeled(["G729"], "unsupported-name", True, "a note")
    assert label.field is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        label.cls = "other"  # type: ignore[misc]
    with pytest.raises(ValueError, match="cls"):
        Labeled(1, "", True)


def test_canonical_is_key_order_independent_and_ascii() -> None:
    assert canonical({"b": 1, "a": [None, "é"]}) == canonical({"a": [None, "é"], "b": 1})
    assert canonical({"a": "é"}) == '{"a":"\\u00e9"}'
    assert canonical("ОPUS").isascii()


def test_canonical_keeps_wire_distinctions() -> None:
    assert len({canonical(v) for v in (1, 1.0, True, "1", [1], None, "")}) == 7


def test_canonical_of_a_label_is_the_canonical_of_its_value() -> None:
    assert canonical(Labeled(["X"], "unsupported-name", True)) == canonical(["X"])
