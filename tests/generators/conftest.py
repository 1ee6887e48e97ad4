"""Shared helpers for the generator tests: the request-schema validator built from the fragment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from contracts.generators import is_valid_e164
from contracts.generators._e164 import example_numbers
from contracts.spec import load_spec

#: ``errors(body)`` -> the schema paths of the request-schema violations of a PUT body.
Errors = Callable[[dict[str, Any]], list[str]]


def _e164_format(value: object) -> bool:
    # JSON Schema formats only constrain strings; other types are the `type` keyword's business.
    return not isinstance(value, str) or is_valid_e164(value)


@pytest.fixture(scope="session")
def request_errors() -> Errors:
    components = load_spec().as_dict()["components"]
    root = {"$ref": "#/components/schemas/SipProfileUpdate", "components": components}
    checker = FormatChecker()
    checker.checks("e164")(_e164_format)
    validator = Draft202012Validator(root, format_checker=checker)

    def errors(body: dict[str, Any]) -> list[str]:
        return ["/".join(str(p) for p in e.absolute_path) for e in validator.iter_errors(body)]

    return errors


@pytest.fixture(scope="session", autouse=True)
def _example_table_built() -> None:
    # Built once up front so that no Hypothesis example pays for it (and trips the deadline).
    example_numbers()
