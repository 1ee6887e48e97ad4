"""Combined rejections (issue 18): one PUT for several fields' fixed invalid values, no hidden regression.

A combined body's 422 counts for a field only when one of its items names that field alone; whatever it
does not show is sent alone and judged alone. These tests hold each half of that: the request saving
against a service whose items name their fields, the fallback against services whose items do not (or
that list only the first problem), and a regression inside a combination caught on its own request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.clauses._combined import named_fields
from contracts.clauses._registry import REGISTRY
from contracts.engine.client import Exchange
from contracts.engine.config import load_config
from contracts.mock import MockSpace
from contracts.runner import execute

#: The rejection clauses whose fixed values may go out together.
REJECTING = sorted(cid for cid, c in REGISTRY.items() if c.rejects is not None)
Rewrite = Callable[[dict[str, Any]], dict[str, Any]]


def _exchange(status: int, body: Any) -> Exchange:
    return Exchange(method="PUT", url="https://x/api/relay/rest/sip_profile", headers={}, body={},
                    auth_ref="", status=status, response_headers={"content-type": "application/json"},
                    text=json.dumps(body))


def _items(*details: str) -> dict[str, Any]:
    return {"errors": [{"detail": d, "status": "422", "title": "Invalid Attribute", "code": "422"}
                       for d in details]}


FIELDS = ("default_codecs", "default_ciphers", "default_encryption")


@pytest.mark.parametrize(("body", "named"), [
    (_items("default_codecs: GSM is not supported", "default_ciphers: NULL is not supported"),
     {"default_codecs", "default_ciphers"}),
    (_items("Default codecs is invalid", "Default encryption is not included in the list"),
     {"default_codecs", "default_encryption"}),
    (_items("defaultCiphers must be a list"), {"default_ciphers"}),
    (_items("Invalid value", "Invalid value", "Invalid value"), set()),
    (_items("default_codecs conflicts with default_ciphers"), set()),  # names two: shows neither
    ({"errors": [{"detail": "x", "source": {"pointer": "/default_encryption"}}]}, {"default_encryption"}),
    ({"errors": "default_codecs"}, set()),
    ({"error": "default_codecs is invalid"}, set()),
])
def test_an_item_counts_for_the_one_field_it_names(body: Any, named: set[str]) -> None:
    assert named_fields(_exchange(422, body), FIELDS) == named


def test_only_a_422_names_fields() -> None:
    body = _items("default_codecs: GSM is not supported")
    assert named_fields(_exchange(400, body), FIELDS) == set()
    assert named_fields(_exchange(201, body), FIELDS) == set()


class _Rewritten(httpx.BaseTransport):
    """The mock's transport with every 422 body passed through ``rewrite``; counts the PUTs by fields."""

    def __init__(self, space: MockSpace, rewrite: Rewrite | None) -> None:
        self.inner, self.rewrite = space.transport(), rewrite

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        if self.rewrite is None or response.status_code != 422:
            return response
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        content = json.dumps(self.rewrite(response.json())).encode()
        return httpx.Response(422, headers=headers, content=content)


def _anonymous(body: dict[str, Any]) -> dict[str, Any]:
    return {"errors": [{**item, "detail": "Invalid value"} for item in body["errors"]]}


def _first_only(body: dict[str, Any]) -> dict[str, Any]:
    return {"errors": body["errors"][:1]}


def _in_words(body: dict[str, Any]) -> dict[str, Any]:
    return {"errors": [{**item, "detail": item["detail"].replace("_", " ").capitalize()}
                       for item in body["errors"]]}


def _run(tmp_path: Path, *, rewrite: Rewrite | None = None, mutant: str | None = None) -> dict[str, Any]:
    cfg = load_config(env={}, seed=1, report_dir=tmp_path, example_db="none", mutant=mutant)
    space = MockSpace(mutant=mutant)
    return execute(cfg, transport=_Rewritten(space, rewrite)).doc


def _requests(doc: dict[str, Any]) -> int:
    return sum(c["requests"] for c in doc["clauses"] if c["id"] in REJECTING)


def _verdicts(doc: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["verdict"] for c in doc["clauses"]}


@pytest.fixture(scope="module")
def faithful(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run(tmp_path_factory.mktemp("faithful"))


@pytest.fixture(scope="module")
def anonymous(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run(tmp_path_factory.mktemp("anonymous"), rewrite=_anonymous)


def test_items_that_name_their_fields_save_most_requests(faithful: dict[str, Any],
                                                         anonymous: dict[str, Any]) -> None:
    assert all(_verdicts(faithful)[cid] == "pass" for cid in REJECTING)
    # every fixed value alone (the anonymous service) costs over twice what the combinations do
    assert _requests(faithful) * 2 < _requests(anonymous)


@pytest.mark.parametrize("rewrite", [_anonymous, _in_words], ids=["no-field-named", "fields-in-words"])
def test_a_correct_service_whatever_its_details_say_passes(rewrite: Rewrite, tmp_path: Path,
                                                           anonymous: dict[str, Any]) -> None:
    doc = anonymous if rewrite is _anonymous else _run(tmp_path, rewrite=rewrite)
    assert {cid: v for cid, v in _verdicts(doc).items() if v not in ("pass", "skipped")} == {}
    if rewrite is _in_words:  # "Default codecs is invalid" names the field as well as default_codecs does
        assert _requests(doc) * 2 < _requests(anonymous)


def test_a_service_that_lists_only_the_first_problem_hides_no_rejection(tmp_path: Path) -> None:
    verdicts = _verdicts(_run(tmp_path, rewrite=_first_only))
    assert verdicts["SP-PROTO-003"] == "fail"  # "one item per problem": the documented format's finding
    assert {cid: verdicts[cid] for cid in REJECTING} == {cid: "pass" for cid in REJECTING}


def test_a_value_accepted_inside_a_combination_is_caught_on_its_own_request(tmp_path: Path) -> None:
    # AES_128_GCM is one of SP-CIPHER-003's fixed values: it goes out together with other fields' values
    doc = _run(tmp_path, mutant="cipher-accepts-aes-128-gcm")
    cipher = next(c for c in doc["clauses"] if c["id"] == "SP-CIPHER-003")
    assert cipher["verdict"] == "fail"
    assert cipher["failures"][0]["request"]["body"] == {"default_ciphers": ["AES_128_GCM"]}
    failing = {cid for cid, v in _verdicts(doc).items() if v == "fail"}
    assert failing & set(REJECTING) == {"SP-CIPHER-003"}
