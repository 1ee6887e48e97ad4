from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import Phase, given, settings

from contracts.generators import (
    Labeled,
    invalid_encryption,
    undocumented_encryption,
    valid_encryption,
)
from contracts.generators._encryption import FIELD, _invalid
from contracts.spec import load_spec

Errors = Callable[[dict[str, Any]], list[str]]
FAST = settings(max_examples=30, deadline=None, database=None, derandomize=True, phases=[Phase.generate])


def test_valid_encryption_is_a_documented_value(request_errors: Errors) -> None:
    @FAST
    @given(valid_encryption())
    def check(value: str) -> None:
        assert value in load_spec().encryption_values
        assert request_errors({FIELD: value}) == []

    check()


def test_invalid_encryption_is_documented_and_schema_invalid(request_errors: Errors) -> None:
    @FAST
    @given(invalid_encryption())
    def check(label: Labeled) -> None:
        assert label.documented and label.field == FIELD
        assert request_errors({FIELD: label.value})

    check()


def test_every_invalid_encryption_is_schema_invalid_and_never_null(request_errors: Errors) -> None:
    table = _invalid()
    for label in table:
        assert label.value is not None
        assert request_errors({FIELD: label.value}), label
    classes = {label.cls for label in table}
    assert {
        "case-variant",
        "unsupported-name",
        "empty-string",
        "whitespace",
        "wrong-type:bool",
        "wrong-type:number",
        "wrong-type:list",
        "wrong-type:object",
    } <= classes
    values = load_spec().encryption_values
    case_variants = {label.value for label in table if label.cls == "case-variant"}
    assert {v.upper() for v in values} | {v.title() for v in values} <= case_variants


def test_null_encryption_is_only_an_undocumented_probe() -> None:
    [probe] = undocumented_encryption()
    assert probe.value is None and probe.documented is False and probe.cls == "null"
    assert probe.field == FIELD
