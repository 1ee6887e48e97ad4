from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi import formats

from contracts.generators import is_valid_e164, register_formats
from contracts.generators._e164 import example_numbers
from contracts.spec import PATH, load_spec


@pytest.fixture
def restore_formats() -> Iterator[None]:
    before = dict(formats.STRING_FORMATS)
    yield
    formats.STRING_FORMATS.clear()
    formats.STRING_FORMATS.update(before)


def _send_as_values(numbers: tuple[str, ...] | None) -> list[Any]:
    import schemathesis

    register_formats(numbers)
    register_formats(numbers)  # idempotent
    operation = schemathesis.openapi.from_dict(load_spec().as_dict())[PATH]["PUT"]
    seen: list[Any] = []

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def collect(case: Any) -> None:
        if isinstance(case.body, dict) and isinstance(case.body.get("default_send_as"), str):
            seen.append(case.body["default_send_as"])

    collect()
    return seen


@pytest.mark.usefixtures("restore_formats")
def test_register_formats_uses_the_owned_numbers() -> None:
    owned = (example_numbers()[0], "+447400123456")
    values = [v for v in _send_as_values(owned) if v != ""]
    assert values and set(values) <= set(owned)


@pytest.mark.usefixtures("restore_formats")
def test_register_formats_defaults_to_valid_numbers() -> None:
    values = [v for v in _send_as_values(None) if v != ""]
    assert values and all(is_valid_e164(v) for v in values)
    assert "e164" in formats.STRING_FORMATS


def test_register_formats_refuses_invalid_numbers() -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        register_formats(("12015550123",))
