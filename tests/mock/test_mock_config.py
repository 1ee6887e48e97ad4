"""Every MockConfig option changes the undocumented behaviour it names, and nothing documented."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.mock import MockConfig, MockSpace
from contracts.spec import load_spec

SPEC = load_spec()
C = SPEC.codecs
K = SPEC.ciphers


def status_and(call: Any, body: dict[str, Any], field: str) -> tuple[int, Any]:
    r = call("PUT", body)
    return r.status_code, (r.json()[field] if r.status_code == 201 else None)


def test_space_names_the_domain(connect: Any) -> None:
    space = MockSpace(MockConfig(space="acme"))
    r = connect(space)("PUT", {"domain_identifier": "office"})
    assert r.json()["domain"] == SPEC.domain_template.format(space="acme", domain_identifier="office")
    assert space.profile("secondary")["domain"].startswith("acme-")


def test_omitted_replace_resets_omitted_fields_to_null(connect: Any) -> None:
    call = connect(MockSpace(MockConfig(omitted="replace")))
    r = call("PUT", {"default_codecs": [C[0]]})
    assert r.status_code == 201
    assert r.json() == {"domain": None, "domain_identifier": None, "default_codecs": [C[0]],
                        "default_ciphers": None, "default_encryption": None, "default_send_as": None}
    assert call("GET").json() == r.json()


def test_omitted_merge_keeps_omitted_fields(connect: Any) -> None:
    space = MockSpace(MockConfig(omitted="merge"))
    before = space.profile("primary")
    assert connect(space)("PUT", {"default_codecs": [C[0]]}).json() == {**before, "default_codecs": [C[0]]}


def test_owned_numbers_restrict_send_as(connect: Any) -> None:
    call = connect(MockSpace(MockConfig(owned_numbers=("+12015550123",))))
    assert status_and(call, {"default_send_as": "+12015550123"}, "default_send_as") == (201, "+12015550123")
    r = call("PUT", {"default_send_as": "+447400123456"})
    assert r.status_code == 422 and "not a purchased or verified number" in r.json()["errors"][0]["detail"]
    assert status_and(call, {"default_send_as": ""}, "default_send_as") == (201, None)


def test_any_valid_number_is_accepted_without_owned_numbers(connect: Any) -> None:
    call = connect(MockSpace(MockConfig(owned_numbers=None)))
    assert call("PUT", {"default_send_as": "+447400123456"}).status_code == 201


@pytest.mark.parametrize(("field", "sent", "stored"), [
    ("default_codecs", [C[0].lower(), C[1].title()], [C[0], C[1]]),
    ("default_ciphers", [K[0].lower()], [K[0]]),
])
def test_case_insensitive_normalises_to_upper_case(connect: Any, field: str, sent: list[str],
                                                    stored: list[str]) -> None:
    insensitive = connect(MockSpace(MockConfig(case_insensitive=True)))
    assert status_and(insensitive, {field: sent}, field) == (201, stored)
    assert status_and(connect(MockSpace()), {field: sent}, field) == (422, None)


def test_case_insensitive_still_rejects_unknown_names(connect: Any) -> None:
    call = connect(MockSpace(MockConfig(case_insensitive=True)))
    assert call("PUT", {"default_codecs": ["g729"]}).status_code == 422


def test_keep_order_false_stores_the_vocabulary_order(connect: Any) -> None:
    body = {"default_codecs": list(reversed(C)), "default_ciphers": list(reversed(K))}
    r = connect(MockSpace(MockConfig(keep_order=False)))("PUT", body)
    assert (r.json()["default_codecs"], r.json()["default_ciphers"]) == (list(C), list(K))
    r = connect(MockSpace(MockConfig(keep_order=True)))("PUT", body)
    assert (r.json()["default_codecs"], r.json()["default_ciphers"]) == (body["default_codecs"],
                                                                         body["default_ciphers"])


@pytest.mark.parametrize("field", ["default_codecs", "default_ciphers"])
def test_allow_empty_lists(connect: Any, field: str) -> None:
    assert status_and(connect(MockSpace(MockConfig(allow_empty_lists=True))), {field: []}, field) == (201, [])
    strict = connect(MockSpace(MockConfig(allow_empty_lists=False)))
    assert status_and(strict, {field: []}, field) == (422, None)


@pytest.mark.parametrize(("field", "names"), [("default_codecs", [C[1], C[0], C[1]]),
                                              ("default_ciphers", [K[2], K[2]])])
def test_dedupe(connect: Any, field: str, names: list[str]) -> None:
    assert status_and(connect(MockSpace(MockConfig(dedupe=False))), {field: names}, field) == (201, names)
    expected = list(dict.fromkeys(names))
    assert status_and(connect(MockSpace(MockConfig(dedupe=True))), {field: names}, field) == (201, expected)


@pytest.mark.parametrize("field", ["default_codecs", "default_ciphers", "default_encryption"])
def test_null_values(connect: Any, field: str) -> None:
    reset = connect(MockSpace(MockConfig(null_values="reset")))
    assert status_and(reset, {field: None}, field) == (201, None)
    space = MockSpace(MockConfig(null_values="reject"))
    before = space.profile("primary")
    r = connect(space)("PUT", {field: None})
    assert r.status_code == 422 and field in r.json()["errors"][0]["detail"]
    assert space.profile("primary") == before


def test_null_values_reject_leaves_documented_nulls_alone(connect: Any) -> None:
    call = connect(MockSpace(MockConfig(null_values="reject")))
    assert call("PUT", {"default_send_as": None}).status_code == 201  # documented: null means "random"


def test_unknown_fields(connect: Any) -> None:
    assert connect(MockSpace(MockConfig(unknown_fields="ignore")))("PUT", {"colour": "x"}).status_code == 201
    r = connect(MockSpace(MockConfig(unknown_fields="reject")))("PUT", {"colour": "x", "shade": 1})
    assert r.status_code == 422
    assert [("colour" in e["detail"], "shade" in e["detail"]) for e in r.json()["errors"]] == [(True, False),
                                                                                                (False, True)]


def test_identifier_pattern(connect: Any) -> None:
    call = connect(MockSpace(MockConfig(identifier_pattern=r"^[a-z]{3,8}$")))
    assert call("PUT", {"domain_identifier": "abcd"}).status_code == 201
    assert call("PUT", {"domain_identifier": "ab"}).status_code == 422
    assert call("PUT", {"domain_identifier": "abc-1"}).status_code == 422


def test_max_body_bytes(connect: Any) -> None:
    body = b'{"default_encryption":"required"}'
    call = connect(MockSpace(MockConfig(max_body_bytes=len(body))))
    headers = {"Content-Type": "application/json"}
    assert call("PUT", content=body, headers=headers).status_code == 201
    assert call("PUT", content=body + b" ", headers=headers).status_code == 413
