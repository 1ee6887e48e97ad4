from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings

from contracts.generators import (
    Labeled,
    dns_labels,
    identifier_variants,
    invalid_identifier_types,
)
from contracts.generators._identifier import FIELD, LONG_LENGTH, is_conservative_label

Errors = Callable[[dict[str, Any]], list[str]]
FAST = settings(max_examples=40, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
LABEL = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@pytest.mark.parametrize("prefix", ["a", "ct", "sct7f3a-", "sct7f3a", "run-42-", "x" * 39])
def test_dns_labels_are_conservative_and_prefixed(prefix: str, request_errors: Errors) -> None:
    @FAST
    @given(dns_labels(prefix))
    def check(value: str) -> None:
        assert value.startswith(prefix)
        assert 3 <= len(value) <= 40
        assert LABEL.fullmatch(value), value
        assert is_conservative_label(value, prefix)
        assert request_errors({FIELD: value}) == []

    check()


def test_dns_labels_reach_hyphenated_and_long_values() -> None:
    fast = settings(database=None, max_examples=300, phases=[Phase.generate])
    find(dns_labels("ct-"), lambda v: v.count("-") >= 2, settings=fast)
    find(dns_labels("ct-"), lambda v: len(v) >= 15, settings=fast)


@pytest.mark.parametrize("prefix", ["", "1abc", "Abc", "a--b", "a_b", "-a", "a.b", "x" * 40])
def test_dns_labels_reject_unusable_prefixes(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        dns_labels(prefix)


def test_invalid_identifier_types_are_documented_and_schema_invalid(request_errors: Errors) -> None:
    @FAST
    @given(invalid_identifier_types())
    def check(label: Labeled) -> None:
        assert label.documented and label.field == FIELD and label.value is not None
        assert not isinstance(label.value, str)
        assert request_errors({FIELD: label.value})

    check()


def test_identifier_variants_are_undocumented_observations() -> None:
    prefix = "sct7f3a-"
    variants = identifier_variants(prefix)
    assert [v.cls for v in variants] == ["upper", "underscore", "dot", "long", "empty", "space", "newline",
                                        "embedded-newline", "null"]
    by_key: dict[str, object] = {}
    for variant in variants:
        assert variant.documented is False and variant.field == FIELD
        assert not is_conservative_label(variant.value)
        by_key[variant.cls] = variant.value
    for key in ("upper", "underscore", "dot", "long", "space", "newline", "embedded-newline"):
        value = by_key[key]
        assert isinstance(value, str) and value.startswith(prefix)
    long = by_key["long"]
    assert isinstance(long, str) and len(long) >= LONG_LENGTH
    assert by_key["empty"] == "" and by_key["null"] is None
