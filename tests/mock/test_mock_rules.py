"""Every documented rule of the faithful mock, in-process."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contracts.mock import MockConfig, MockSpace
from contracts.spec import PATH, load_spec

SPEC = load_spec()
UK_MOBILE = "+447400123456"
US_NUMBER = "+12015550123"


def assert_422(response: Any, count: int | None = None) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    errors = response.json()["errors"]
    assert errors and (count is None or len(errors) == count), errors
    for item in errors:
        assert set(item) == {"detail", "status", "title", "code"}
        assert all(isinstance(v, str) for v in item.values())
        assert (item["status"], item["title"], item["code"]) == ("422", "Invalid Attribute", "422")
    return errors  # type: ignore[no-any-return]


# -- GET --------------------------------------------------------------------------------------------------
def test_get_answers_the_full_profile(call: Any, space: MockSpace) -> None:
    r = call("GET")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert list(r.json()) == list(SPEC.profile_fields)
    assert r.json() == space.profile("primary")


def test_each_project_reads_its_own_profile(call: Any, space: MockSpace) -> None:
    assert call("GET", who="secondary").json() == space.profile("secondary")
    assert call("GET", who="secondary").json() != call("GET").json()


def test_query_string_is_ignored(call: Any) -> None:
    assert call("GET", params={"x": "1"}).json() == call("GET").json()


# -- PUT: the happy path ----------------------------------------------------------------------------------
def test_put_answers_201_with_the_full_profile_and_get_agrees(call: Any) -> None:
    body = {"domain_identifier": "fresh-id", "default_codecs": ["PCMA", "OPUS"],
            "default_ciphers": [SPEC.ciphers[-1]], "default_encryption": "required",
            "default_send_as": US_NUMBER}
    r = call("PUT", body)
    assert r.status_code == 201 and r.headers["content-type"] == "application/json"
    assert list(r.json()) == list(SPEC.profile_fields)
    assert r.json() == {**body, "domain": "example-fresh-id.sip.signalwire.com"}
    assert call("GET").json() == r.json()


@pytest.mark.parametrize("codec", SPEC.codecs)
def test_every_codec_is_accepted_alone(call: Any, codec: str) -> None:
    assert call("PUT", {"default_codecs": [codec]}).json()["default_codecs"] == [codec]


@pytest.mark.parametrize("cipher", SPEC.ciphers)
def test_every_cipher_is_accepted_alone(call: Any, cipher: str) -> None:
    assert call("PUT", {"default_ciphers": [cipher]}).json()["default_ciphers"] == [cipher]


@pytest.mark.parametrize("value", SPEC.encryption_values)
def test_both_encryption_values_are_accepted(call: Any, value: str) -> None:
    assert call("PUT", {"default_encryption": value}).json()["default_encryption"] == value


def test_whole_vocabularies_in_reverse_order_are_kept_as_sent(call: Any) -> None:
    body = {"default_codecs": list(reversed(SPEC.codecs)), "default_ciphers": list(reversed(SPEC.ciphers))}
    r = call("PUT", body)
    assert r.status_code == 201
    assert {k: r.json()[k] for k in body} == body


def test_omitted_fields_are_kept(call: Any, space: MockSpace) -> None:
    before = space.profile("primary")
    r = call("PUT", {"default_encryption": "required"})
    assert r.json() == {**before, "default_encryption": "required"}


def test_empty_object_changes_nothing_and_answers_201(call: Any, space: MockSpace) -> None:
    before = space.profile("primary")
    r = call("PUT", {})
    assert r.status_code == 201 and r.json() == before


def test_put_of_one_project_leaves_the_other_alone(call: Any, space: MockSpace) -> None:
    before = space.profile("secondary")
    assert call("PUT", {"default_encryption": "required"}).status_code == 201
    assert space.profile("secondary") == before


def test_repeating_a_put_is_idempotent(call: Any) -> None:
    body = {"default_codecs": ["OPUS"], "domain_identifier": "again"}
    assert call("PUT", body).json() == call("PUT", body).json()


# -- default_send_as --------------------------------------------------------------------------------------
@pytest.mark.parametrize("number", [US_NUMBER, UK_MOBILE, "+33612345678", "+61412345678"])
def test_valid_e164_numbers_are_accepted(call: Any, number: str) -> None:
    r = call("PUT", {"default_send_as": number})
    assert r.status_code == 201 and r.json()["default_send_as"] == number


@pytest.mark.parametrize("value", [None, ""])
def test_null_and_empty_send_as_are_stored_as_null(call: Any, value: str | None) -> None:
    call("PUT", {"default_send_as": US_NUMBER})
    r = call("PUT", {"default_send_as": value})
    assert r.status_code == 201 and r.json()["default_send_as"] is None
    assert call("GET").json()["default_send_as"] is None


@pytest.mark.parametrize("value", [
    "12015550123",          # no plus
    "+1 201-555-0123",      # formatted
    "(201) 555-0123",       # national format
    "+1234567890123456",    # 16 digits
    "+12015550123 ",        # trailing space
    "+12015550123\n",       # trailing newline ($ must not let it through)
    "+0123456789",          # country code cannot start with 0
    "tel:+12015550123",
    "+",
    "  ",
])
def test_strings_that_are_not_e164_are_rejected(call: Any, space: MockSpace, value: str) -> None:
    before = space.profile("primary")
    assert_422(call("PUT", {"default_send_as": value}), count=1)
    assert space.profile("primary") == before


#: Format-valid E.164 (the documented rule) that libphonenumber does not consider allocated: SignalWire's
#: own documentation example among them.
UNALLOCATED = ["+15551234567", "+10000000000", "+1000", "+4407400123456"]


@pytest.mark.parametrize("value", UNALLOCATED)
def test_format_valid_numbers_are_accepted_by_default(call: Any, value: str) -> None:
    r = call("PUT", {"default_send_as": value})
    assert r.status_code == 201 and r.json()["default_send_as"] == value


@pytest.mark.parametrize("value", UNALLOCATED)
def test_numbers_allocated_requires_what_libphonenumber_knows(value: str) -> None:
    import httpx

    space = MockSpace(MockConfig(numbers="allocated"))
    p = space.projects["primary"]
    with httpx.Client(transport=space.transport(), base_url=space.base_url,
                      auth=(p.project_id, p.token)) as client:
        assert client.put(PATH, json={"default_send_as": value}).status_code == 422
        assert client.put(PATH, json={"default_send_as": "+12015550123"}).status_code == 201


# -- domain_identifier -------------------------------------------------------------------------------------
def test_identifier_change_recomputes_domain(call: Any) -> None:
    r = call("PUT", {"domain_identifier": "a1-b2"})
    assert r.json()["domain"] == SPEC.domain_template.format(space="example", domain_identifier="a1-b2")
    assert call("GET").json()["domain"] == r.json()["domain"]


@pytest.mark.parametrize("value", ["Upper", "under_score", "dot.ted", "a" * 64, "", "-lead", "trail-",
                                   "sp ace", "ünï", "a\n"])
def test_identifiers_that_are_not_dns_labels_are_rejected(call: Any, value: str) -> None:
    assert_422(call("PUT", {"domain_identifier": value}), count=1)


@pytest.mark.parametrize("value", ["a", "0", "a" * 63, "x-1-y"])
def test_dns_label_identifiers_are_accepted(call: Any, value: str) -> None:
    assert call("PUT", {"domain_identifier": value}).status_code == 201


def test_identifier_must_be_unique_in_the_space(call: Any, space: MockSpace) -> None:
    taken = space.profile("secondary")["domain_identifier"]
    errors = assert_422(call("PUT", {"domain_identifier": taken}), count=1)
    assert "taken" in errors[0]["detail"]
    # Re-sending one's own identifier is fine, and an identifier freed by its holder can be claimed.
    own = space.profile("primary")["domain_identifier"]
    assert call("PUT", {"domain_identifier": own}).status_code == 201
    assert call("PUT", {"domain_identifier": "moved"}, who="secondary").status_code == 201
    assert call("PUT", {"domain_identifier": taken}).status_code == 201


# -- 422: wrong values and types --------------------------------------------------------------------------
@pytest.mark.parametrize(("field", "value"), [
    ("default_codecs", ["G729"]), ("default_codecs", ["opus"]), ("default_codecs", [""]),
    ("default_codecs", "OPUS"), ("default_codecs", {"0": "OPUS"}), ("default_codecs", 1),
    ("default_codecs", True), ("default_codecs", [1]), ("default_codecs", [None]),
    ("default_codecs", [["OPUS"]]),
    ("default_ciphers", ["AES_128_GCM"]), ("default_ciphers", ["aead_aes_256_gcm_8"]),
    ("default_ciphers", "AEAD_AES_256_GCM_8"), ("default_ciphers", [{}]), ("default_ciphers", 0.5),
    ("default_encryption", "none"), ("default_encryption", "Required"), ("default_encryption", ""),
    ("default_encryption", ["required"]), ("default_encryption", True), ("default_encryption", 1),
    ("default_send_as", 12015550123), ("default_send_as", [US_NUMBER]), ("default_send_as", False),
    ("default_send_as", {}),
    ("domain_identifier", None), ("domain_identifier", 1), ("domain_identifier", ["x"]),
    ("domain_identifier", True), ("domain_identifier", {}),
])
def test_invalid_values_and_wrong_types_are_422_and_change_nothing(
        call: Any, space: MockSpace, field: str, value: Any) -> None:
    before = space.profile("primary")
    errors = assert_422(call("PUT", {field: value}), count=1)
    assert field in errors[0]["detail"]
    assert space.profile("primary") == before


def test_one_error_item_per_problem(call: Any) -> None:
    r = call("PUT", {"default_codecs": ["G729", "OPUS", "X"], "default_encryption": "none",
                     "default_send_as": "1", "domain_identifier": "No"})
    assert len(assert_422(r)) == 5


def test_a_rejected_put_is_atomic(call: Any, space: MockSpace) -> None:
    before = space.profile("primary")
    body = {"default_encryption": "required", "domain_identifier": "ok-id", "default_codecs": ["G729"]}
    r = call("PUT", body)
    assert_422(r, count=1)
    assert space.profile("primary") == before
    assert call("GET").json() == before


@pytest.mark.parametrize("body", [[], [{"default_codecs": ["OPUS"]}], None, 1, "x", True])
def test_a_body_that_is_not_an_object_is_422(call: Any, body: Any) -> None:
    # json.dumps, not json=: httpx treats json=None as "no body".
    r = call("PUT", content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    assert_422(r, count=1)


def test_unknown_fields_are_ignored(call: Any, space: MockSpace) -> None:
    before = space.profile("primary")
    r = call("PUT", {"colour": "blue", "domain": "evil.example"})
    assert r.status_code == 201 and r.json() == before


def test_null_lists_and_encryption_reset_the_field(call: Any) -> None:
    r = call("PUT", {"default_codecs": None, "default_ciphers": None, "default_encryption": None})
    assert r.status_code == 201
    assert [r.json()[k] for k in ("default_codecs", "default_ciphers", "default_encryption")] == [None] * 3


def test_empty_and_duplicate_lists_are_kept_as_sent(call: Any) -> None:
    r = call("PUT", {"default_codecs": [], "default_ciphers": [SPEC.ciphers[0]] * 2})
    assert (r.json()["default_codecs"], r.json()["default_ciphers"]) == ([], [SPEC.ciphers[0]] * 2)


# -- auth ---------------------------------------------------------------------------------------------------
UNAUTHORIZED = {"error": "Unauthorized"}


@pytest.mark.parametrize("method", ["GET", "PUT"])
@pytest.mark.parametrize("header", [
    None, "", "Basic", "Basic ", "Bearer mock-token-primary", "Basic !!!notbase64", "Basic bm9jb2xvbg==",
    "Basic //79/w==", "Digest username=x",
])
def test_missing_or_malformed_credentials_are_401(
        call: Any, space: MockSpace, method: str, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    body = {"default_encryption": "required"} if method == "PUT" else ...
    r = call(method, body, who=None, headers=headers)
    assert (r.status_code, r.json(), r.headers["content-type"]) == (401, UNAUTHORIZED, "application/json")
    assert space.profile("primary")["default_encryption"] == "optional"


@pytest.mark.parametrize("who", [
    ("primary", "wrong-token"), ("primary", ""), ("no-such-project", "primary"), ("primary", "secondary"),
    ("secondary", "primary"), ("primary", "MOCK-TOKEN-PRIMARY"),
])
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_wrong_credentials_are_401(call: Any, space: MockSpace, who: tuple[str, str], method: str) -> None:
    r = call(method, {"default_encryption": "required"} if method == "PUT" else ..., who=who)
    assert (r.status_code, r.json()) == (401, UNAUTHORIZED)
    assert space.profile("primary")["default_encryption"] == "optional"


def test_scheme_name_is_case_insensitive(call: Any, creds: Any, space: MockSpace) -> None:
    import base64
    user, token = creds(space, "primary")
    value = base64.b64encode(f"{user}:{token}".encode()).decode()
    assert call("GET", who=None, headers={"Authorization": f"basic {value}"}).status_code == 200


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_a_token_without_voice_scope_is_401(call: Any, space: MockSpace, method: str) -> None:
    r = call(method, {"default_encryption": "required"} if method == "PUT" else ..., who="novoice")
    assert (r.status_code, r.json()) == (401, UNAUTHORIZED)
    assert space.profile("primary")["default_encryption"] == "optional"


# -- protocol: other methods and paths, bad bodies ----------------------------------------------------------
@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"])
def test_other_methods_are_405_with_allow(call: Any, space: MockSpace, method: str) -> None:
    r = call(method, who=None)
    assert r.status_code == 405 and r.headers["allow"] == "GET, PUT"
    assert r.headers["content-type"] == "application/json"
    if method != "HEAD":  # httpx drops the body of a HEAD answer, as HTTP says
        assert r.json() == {"error": "Method Not Allowed"}
    assert space.profile("primary") == MockSpace().profile("primary")


@pytest.mark.parametrize("path", [PATH + "/", PATH + "s", "/api/relay/rest", "/", PATH.upper()])
def test_other_paths_are_404(call: Any, path: str) -> None:
    r = call("GET", path=path)
    assert (r.status_code, r.json(), r.headers["content-type"]) == (404, {"error": "Not Found"},
                                                                       "application/json")


@pytest.mark.parametrize("content", [
    b"{", b"", b"{'a': 1}", b"\xff\xfe\x00", b"[" * 20000, b"NaN]", b"1" * 5000,  # 5000 digits: int limit
])
def test_malformed_json_is_400(call: Any, space: MockSpace, content: bytes) -> None:
    r = call("PUT", content=content, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json(), r.headers["content-type"]) == (400, {"error": "Bad Request"},
                                                                       "application/json")
    assert space.profile("primary") == MockSpace().profile("primary")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/jsonx", "multipart/form-data; boundary=x"])
def test_non_json_content_type_is_415(call: Any, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    r = call("PUT", content=b'{"default_encryption":"required"}', headers=headers)
    assert (r.status_code, r.json()) == (415, {"error": "Unsupported Media Type"})


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON;charset=UTF-8"])
def test_json_content_type_with_parameters_is_accepted(call: Any, content_type: str) -> None:
    r = call("PUT", content=b'{"default_encryption":"required"}', headers={"Content-Type": content_type})
    assert r.status_code == 201


def test_body_over_the_limit_is_413(call: Any, space: MockSpace) -> None:
    big = json.dumps({"default_codecs": ["OPUS"], "pad": "x" * 70000}).encode()
    r = call("PUT", content=big, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (413, {"error": "Payload Too Large"})
    assert space.profile("primary") == MockSpace().profile("primary")


def test_declared_content_length_over_the_limit_is_413(call: Any) -> None:
    r = call("PUT", content=b"{}", headers={"Content-Type": "application/json", "Content-Length": "65537"})
    assert r.status_code == 413


def test_body_at_the_limit_is_read(call: Any) -> None:
    body = json.dumps({"pad": ""}).encode()
    body = json.dumps({"pad": "x" * (65536 - len(body))}).encode()
    assert len(body) == 65536
    assert call("PUT", content=body, headers={"Content-Type": "application/json"}).status_code == 201


def test_request_as_signalwire_sdk_sends_it(call: Any, space: MockSpace, creds: Any) -> None:
    """Basic auth, Accept, a User-Agent, compact JSON with Content-Type and Content-Length, no query."""
    body = json.dumps({"default_codecs": ["OPUS", "PCMU"], "default_send_as": ""}, separators=(",", ":"))
    headers = {"Accept": "application/json", "User-Agent": "@signalwire/node/3.0.0 (node v20.11.0)",
               "Content-Type": "application/json", "Content-Length": str(len(body))}
    r = call("PUT", content=body.encode(), headers=headers)
    assert r.status_code == 201 and r.json()["default_codecs"] == ["OPUS", "PCMU"]
    r = call("GET", headers={"Accept": "application/json", "User-Agent": "@signalwire/node/3.0.0"})
    assert r.status_code == 200 and r.json()["default_codecs"] == ["OPUS", "PCMU"]


# -- bookkeeping -------------------------------------------------------------------------------------------
def test_request_log_records_every_answer(call: Any, space: MockSpace) -> None:
    call("GET")
    call("PUT", {"default_codecs": ["G729"]})
    call("DELETE")
    call("GET", path="/nope")
    assert space.request_log == [("GET", PATH, 200), ("PUT", PATH, 422), ("DELETE", PATH, 405),
                                 ("GET", "/nope", 404)]


def test_reset_restores_the_initial_state(call: Any, space: MockSpace) -> None:
    initial = {n: space.profile(n) for n in space.projects}
    call("PUT", {"domain_identifier": "changed", "default_codecs": []})
    call("PUT", {"default_encryption": "required"}, who="secondary")
    space.reset()
    assert {n: space.profile(n) for n in space.projects} == initial
    assert space.request_log == []
