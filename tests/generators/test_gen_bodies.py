from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings

from contracts.generators import Labeled, is_valid_e164, mixed_invalid_bodies, valid_bodies
from contracts.generators._bodies import FIELD_ORDER
from contracts.generators._e164 import example_numbers
from contracts.spec import load_spec

Errors = Callable[[dict[str, Any]], list[str]]
FAST = settings(max_examples=50, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
PREFIX = "sct7f3a-"


def test_the_generators_know_exactly_the_fragments_request_fields() -> None:
    assert set(FIELD_ORDER) == set(load_spec().update_fields)
    assert FIELD_ORDER[-1] == "domain_identifier"  # the disruptive one shrinks away first


def test_valid_bodies_validate_and_never_send_an_arbitrary_number(request_errors: Errors) -> None:
    @FAST
    @given(valid_bodies(PREFIX, numbers=None))
    def check(body: dict[str, Any]) -> None:
        assert body and set(body) <= set(FIELD_ORDER)
        assert request_errors(body) == []
        assert body.get("default_send_as") in (None, "")
        assert str(body.get("domain_identifier", PREFIX)).startswith(PREFIX)

    check()


def test_valid_bodies_draw_send_as_from_the_given_numbers(request_errors: Errors) -> None:
    numbers = (example_numbers()[0], "+447400123456")
    assert all(is_valid_e164(n) for n in numbers)

    @FAST
    @given(valid_bodies(PREFIX, numbers=numbers))
    def check(body: dict[str, Any]) -> None:
        assert request_errors(body) == []
        if "default_send_as" in body:
            assert body["default_send_as"] in (*numbers, None, "")

    check()
    fast = settings(database=None, max_examples=300, phases=[Phase.generate])
    find(valid_bodies(PREFIX, numbers=numbers), lambda b: b.get("default_send_as") in numbers, settings=fast)


def test_valid_bodies_reach_every_field_and_shrink_to_one() -> None:
    fast = settings(database=None, max_examples=300, phases=[Phase.generate])
    find(valid_bodies(PREFIX, numbers=None), lambda b: len(b) == len(FIELD_ORDER), settings=fast)
    assert list(find(valid_bodies(PREFIX, numbers=None), lambda _: True)) == [FIELD_ORDER[0]]


def test_bodies_refuse_bad_numbers_and_prefixes() -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        valid_bodies(PREFIX, numbers=("12015550123",))
    with pytest.raises(ValueError, match="prefix"):
        mixed_invalid_bodies("Bad_Prefix", numbers=None)


def test_mixed_bodies_hold_valid_fields_and_exactly_one_documented_invalid_one(
    request_errors: Errors,
) -> None:
    @FAST
    @given(mixed_invalid_bodies(PREFIX, numbers=None))
    def check(drawn: tuple[dict[str, Any], Labeled]) -> None:
        body, label = drawn
        assert label.documented and label.field in body
        assert body[label.field] == label.value
        assert len(body) >= 2
        assert request_errors(body)
        invalid = [field for field, value in body.items() if request_errors({field: value})]
        assert invalid == [label.field]

    check()


def test_mixed_bodies_spoil_every_field() -> None:
    fast = settings(database=None, max_examples=300, phases=[Phase.generate])
    for field in FIELD_ORDER:

        def spoils(drawn: tuple[dict[str, Any], Labeled], f: str = field) -> bool:
            return drawn[1].field == f

        find(mixed_invalid_bodies(PREFIX, numbers=None), spoils, settings=fast)
