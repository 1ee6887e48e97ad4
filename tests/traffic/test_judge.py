"""The traffic judge on hand-made recordings: what the docs settle is judged, what they leave open is not,
one model per recorded sequence, ambiguous orderings reported, never a request sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.recorded import load_traffic
from contracts.traffic import judge_traffic, write_reports

from . import _har as H


def _judge(tmp_path: Path, *entries: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    path = H.write(tmp_path / "app.har", *entries)
    doc, _ = judge_traffic([str(path)], load_traffic(path))
    finished, _ = write_reports(doc, tmp_path / "reports")
    return finished, {c["id"]: c["verdict"] for c in finished["clauses"]}


def _failing(verdicts: dict[str, str]) -> list[str]:
    return sorted(cid for cid, v in verdicts.items() if v == "fail")


def test_a_faithful_sequence_passes_with_the_clauses_it_spoke_to(tmp_path: Path) -> None:
    sent = {"default_codecs": ["PCMU", "OPUS"], "default_encryption": "required"}
    doc, verdicts = _judge(
        tmp_path,
        H.entry("GET", 200, H.profile()),
        H.entry("PUT", 201, H.profile(**sent), sent=sent),
        H.entry("GET", 200, H.profile(**sent)),
        H.entry("PUT", 422, H.INVALID, sent={"default_codecs": ["G729"]}),
        H.entry("GET", 401, H.UNAUTHORIZED, project=None),
    )
    assert doc["exit_code"] == 0 and doc["root_causes"] == []
    for cid in ("SP-PROTO-001", "SP-PROTO-002", "SP-PROTO-003", "SP-PROTO-007", "SP-CODEC-002",
                "SP-CODEC-003", "SP-AUTH-001", "SP-ID-001", "SP-STATE-005"):
        assert verdicts[cid] == "pass", cid
    assert verdicts["SP-CIPHER-003"] == "skipped"
    assert doc["traffic"]["judged"] == 5 and doc["requests"]["total"] == 0


def test_an_accepted_unsupported_codec_is_one_finding_naming_its_entry(tmp_path: Path) -> None:
    doc, verdicts = _judge(
        tmp_path,
        H.entry("GET", 200, H.profile()),
        H.entry("PUT", 201, H.profile(default_codecs=["G729"]), sent={"default_codecs": ["G729"]}),
        H.entry("GET", 200, H.profile(default_codecs=["G729"])),
    )
    assert _failing(verdicts) == ["SP-CODEC-003", "SP-PROTO-007"]
    [cause] = doc["root_causes"]
    assert cause["summary"].startswith('default_codecs "G729" is accepted where a 422 was expected')
    assert "(first at " in cause["summary"]
    assert cause["entries"][0].endswith("app.har#1")
    failure = next(c for c in doc["clauses"] if c["id"] == "SP-CODEC-003")["failures"][0]
    assert failure["recorded"].endswith("app.har#1") and failure["message"].startswith(failure["recorded"])


def test_a_wrong_rejection_status_for_an_invalid_value_is_the_field_clause(tmp_path: Path) -> None:
    _, verdicts = _judge(tmp_path, H.entry("PUT", 400, H.INVALID, sent={"default_encryption": "none"}))
    assert _failing(verdicts) == ["SP-ENC-002"]


def test_a_422_must_carry_the_documented_error_list(tmp_path: Path) -> None:
    _, verdicts = _judge(tmp_path, H.entry("PUT", 422, {"errors": [{"detail": "x", "status": 422}]},
                                           sent={"default_codecs": ["G729"]}))
    assert _failing(verdicts) == ["SP-PROTO-003", "SP-PROTO-007"]  # the error format, and its schema


def test_valid_codecs_refused_is_a_finding_but_an_identifier_refused_is_not(tmp_path: Path) -> None:
    _, verdicts = _judge(tmp_path, H.entry("PUT", 422, H.INVALID, sent={"default_codecs": ["VP8"]}))
    assert _failing(verdicts) == ["SP-CODEC-002"]
    _, verdicts = _judge(tmp_path, H.entry("PUT", 422, H.INVALID, sent={"domain_identifier": "taken-one"}))
    assert _failing(verdicts) == []  # uniqueness: another project may hold it


@pytest.mark.parametrize("sent,echo", [
    ({"default_codecs": ["opus"]}, {"default_codecs": ["opus"]}),  # case: undocumented
    ({"default_codecs": []}, {"default_codecs": []}),  # empty list: undocumented
    ({"default_codecs": ["OPUS", "OPUS"]}, {"default_codecs": ["OPUS", "OPUS"]}),  # duplicates
    ({"default_encryption": None}, {"default_encryption": None}),  # null enum
    ({"domain_identifier": "My_App"}, {"domain_identifier": "my_app", "domain": "odd"}),  # character rules
])
def test_a_server_that_differs_where_the_docs_are_silent_raises_no_alarm(
        tmp_path: Path, sent: dict[str, Any], echo: dict[str, Any]) -> None:
    doc, verdicts = _judge(
        tmp_path,
        H.entry("GET", 200, H.profile()),
        H.entry("PUT", 201, H.profile(**echo), sent=sent),
        H.entry("GET", 200, H.profile(**echo)),  # the odd value read back: not judged against the schema
        H.entry("PUT", 201, H.profile(**{**echo, "default_ciphers": ["AES_256_CM_HMAC_SHA1_80"]}),
                sent={"default_ciphers": ["AES_256_CM_HMAC_SHA1_80"]}),
    )
    assert _failing(verdicts) == [], doc["root_causes"]


def test_after_a_documented_write_of_the_open_field_the_schema_is_judged_again(tmp_path: Path) -> None:
    _, verdicts = _judge(
        tmp_path,
        H.entry("PUT", 201, H.profile(default_codecs=["opus"]), sent={"default_codecs": ["opus"]}),
        H.entry("PUT", 201, H.profile(default_codecs=["OPUS"]), sent={"default_codecs": ["OPUS"]}),
        H.entry("GET", 200, H.profile(default_codecs=["OPUS"], default_encryption="sometimes")),
    )
    assert _failing(verdicts) == ["SP-PROTO-007", "SP-STATE-005"]


def test_each_project_has_its_own_model_seeded_by_its_first_answer(tmp_path: Path) -> None:
    mine, theirs = H.profile(), H.profile(domain_identifier="other", default_encryption="required")
    doc, verdicts = _judge(
        tmp_path,
        H.entry("GET", 200, mine),
        H.entry("GET", 200, theirs, project=H.SECOND),
        H.entry("GET", 200, mine),
        H.entry("GET", 200, theirs, project=H.SECOND),
    )
    assert verdicts["SP-STATE-005"] == "pass"
    assert len(doc["traffic"]["projects"]) == 2


def test_a_stale_get_fails_the_model_at_its_entry(tmp_path: Path) -> None:
    sent = {"default_encryption": "required"}
    doc, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile()),
                           H.entry("PUT", 201, H.profile(**sent), sent=sent),
                           H.entry("GET", 200, H.profile()))
    assert _failing(verdicts) == ["SP-STATE-005"]
    [cause] = doc["root_causes"]
    assert cause["entries"] == [cause["entries"][0]] and cause["entries"][0].endswith("app.har#2")


def test_equal_timestamps_with_conflicting_answers_are_reported_not_guessed(tmp_path: Path) -> None:
    sent = {"default_encryption": "required"}
    same = "2026-12-04T18:00:30.000Z"
    doc, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile()),
                           H.entry("PUT", 201, H.profile(**sent), sent=sent, started=same),
                           H.entry("GET", 200, H.profile(), started=same))
    assert verdicts["SP-STATE-005"] == "inconclusive" and doc["exit_code"] == 3
    assert doc["traffic"]["ambiguous"] and "app.har#2" in doc["traffic"]["ambiguous"][0]


def test_some_entries_without_a_timestamp_leave_the_order_open(tmp_path: Path) -> None:
    sent = {"default_encryption": "required"}
    path = H.write(tmp_path / "app.har", H.entry("GET", 200, H.profile()),
                   H.entry("PUT", 201, H.profile(**sent), sent=sent), H.entry("GET", 200, H.profile()))
    text = path.read_text().replace('"startedDateTime": "2026-12-04T18:00:02.000Z", ', "")
    path.write_text(text)
    doc, _ = judge_traffic([str(path)], load_traffic(path))
    assert doc.verdict == "inconclusive" and doc.traffic is not None and doc.traffic.ambiguous


def test_an_exchange_started_while_a_write_was_under_way_has_no_settled_order(tmp_path: Path) -> None:
    sent = {"default_encryption": "required"}
    put = H.entry("PUT", 201, H.profile(**sent), sent=sent, started="2026-12-04T18:00:30.000Z")
    put["time"] = 250.0  # still under way when the GET started, 100 ms later
    doc, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile()), put,
                           H.entry("GET", 200, H.profile(), started="2026-12-04T18:00:30.100Z"))
    assert verdicts["SP-STATE-005"] == "inconclusive" and doc["traffic"]["ambiguous"]
    put["time"] = 50.0  # done before the GET: the GET is stale
    _, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile()), put,
                         H.entry("GET", 200, H.profile(), started="2026-12-04T18:00:30.100Z"))
    assert verdicts["SP-STATE-005"] == "fail"


def test_equal_timestamps_that_agree_are_fine(tmp_path: Path) -> None:
    same = "2026-12-04T18:00:05.000Z"
    _, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile(), started=same),
                         H.entry("GET", 200, H.profile(), started=same))
    assert verdicts["SP-STATE-005"] == "pass"


def test_put_answering_200_is_one_cause_for_every_put(tmp_path: Path) -> None:
    puts = [H.entry("PUT", 200, H.profile(default_encryption=e), sent={"default_encryption": e})
            for e in ("required", "optional")]
    doc, verdicts = _judge(tmp_path, *puts)
    assert _failing(verdicts) == ["SP-ENC-001", "SP-PROTO-002"]
    [cause] = doc["root_causes"]
    assert cause["summary"].startswith("PUT answers 200 instead of 201") and len(cause["entries"]) == 2


def test_other_paths_methods_and_missing_answers_are_counted_not_judged(tmp_path: Path) -> None:
    doc, _ = _judge(
        tmp_path,
        H.entry("GET", 200, {"data": []}, url="https://example.signalwire.com/api/relay/rest/endpoints/sip"),
        H.entry("POST", 405, "{}"),
        H.entry("GET", 0, ""),
    )
    assert doc["traffic"]["not_judged"] == {"no answer": 1, "other method": 1, "other path": 1}
    assert doc["exit_code"] == 3  # no exchange of the endpoint was judged


def test_a_transient_answer_is_not_a_server_error_and_the_model_relearns(tmp_path: Path) -> None:
    sent = {"default_encryption": "required"}
    doc, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile()),
                           H.entry("PUT", 503, "<html>busy</html>", sent=sent, content_type="text/html"),
                           H.entry("GET", 200, H.profile(**sent)),  # it was applied after all: no alarm
                           H.entry("GET", 429, "{}"))
    assert _failing(verdicts) == [] and doc["traffic"]["not_judged"] == {"transient": 2}


def test_a_recorded_500_is_a_server_error(tmp_path: Path) -> None:
    ciphers = {"default_ciphers": ["AES_CM_128_HMAC_SHA1_80"]}  # another request: no sign of a retry
    _, verdicts = _judge(tmp_path, H.entry("GET", 500, {"error": "Internal Server Error"}),
                         H.entry("PUT", 201, H.profile(), sent=ciphers))
    assert _failing(verdicts) == ["SP-PROTO-004"]


def test_a_500_the_same_request_then_got_past_is_flakiness_not_a_violation(tmp_path: Path) -> None:
    sent = {"default_encryption": "required"}
    doc, verdicts = _judge(tmp_path, H.entry("PUT", 500, {"error": "Internal Server Error"}, sent=sent),
                           H.entry("PUT", 201, H.profile(**sent), sent=sent))
    assert _failing(verdicts) == [] and verdicts["SP-PROTO-004"] == "pass"
    assert doc["flakiness"] == [{"kind": "500-recovered", "count": 1, "recovered": True}]


def test_a_devtools_http2_har_is_judged_like_any_other(tmp_path: Path) -> None:
    entry = H.entry("GET", 200, H.profile(), extra_headers=((":authority", "example.signalwire.com"),
                                                            (":method", "GET")))
    entry.update({"_initiator": {"type": "script"}, "_priority": "High", "time": 84.2, "cache": {}})
    entry["response"]["httpVersion"] = "h2"
    doc, verdicts = _judge(tmp_path, entry)
    assert verdicts["SP-PROTO-001"] == "pass" and doc["exit_code"] == 0


def test_a_body_left_in_an_undecoded_encoding_is_not_judged(tmp_path: Path) -> None:
    entry = H.entry("GET", 200, "\x1b\x05binary")
    entry["response"]["headers"].append({"name": "Content-Encoding", "value": "br"})
    decoded = H.entry("GET", 200, H.profile())
    decoded["response"]["headers"].append({"name": "Content-Encoding", "value": "br"})  # devtools decodes
    doc, verdicts = _judge(tmp_path, entry, decoded)
    assert doc["traffic"]["not_judged"] == {"compressed body": 1} and verdicts["SP-PROTO-007"] == "pass"


def test_the_judge_sends_no_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []

    def refuse(self: Any, request: httpx.Request, *args: Any, **kwargs: Any) -> httpx.Response:
        sent.append(str(request.url))
        raise AssertionError("sent a request")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)
    doc, verdicts = _judge(tmp_path, H.entry("GET", 200, H.profile()),
                           H.entry("PUT", 201, H.profile(default_codecs=["G729"]),
                                   sent={"default_codecs": ["G729"]}))
    assert sent == [] and verdicts["SP-CODEC-003"] == "fail" and doc["requests"]["total"] == 0
