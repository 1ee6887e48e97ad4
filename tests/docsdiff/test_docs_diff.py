"""`sip-contracts docs-diff` against fixtures in the shape of SignalWire's published description (offline)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contracts.cli import main
from contracts.spec import load_spec

from .conftest import IDENTICAL, closed_port

Make = Callable[..., str]
Cap = pytest.CaptureFixture[str]


def run(capsys: pytest.CaptureFixture[str], upstream: str, *extra: str) -> tuple[int, str]:
    code = main(["docs-diff", "--upstream", upstream, *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def run_json(capsys: pytest.CaptureFixture[str], upstream: str) -> tuple[int, dict[str, Any]]:
    code, out = run(capsys, upstream, "--json")
    return code, json.loads(out)


def stale(section: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {d["id"]: d for d in section["differences"] if d["status"] == "stale"}


def test_identical_fixture_exits_0_and_lists_every_known_difference(capsys: Cap) -> None:
    code, out = run(capsys, str(IDENTICAL))
    assert code == 0, out
    known = load_spec().raw["x-upstream"]["known-differences"]
    assert known, "the fragment records its known differences"
    for k in known:
        assert f"known {k['id']}:" in out
        assert " ".join(k["reason"].split())[:60] in out
    assert "0 stale" in out


def test_codec_added_to_the_sentence(capsys: Cap, upstream: Make) -> None:
    code, section = run_json(capsys, upstream(("PCMA, VP8, H264.", "PCMA, VP8, H264, AV1.")))
    assert code == 1
    d = stale(section)["values:UpdateSipProfileRequest.default_codecs"]
    assert "added upstream: AV1" in d["what"]
    assert d["upstream"] == "OPUS, G722, PCMU, PCMA, VP8, H264, AV1"
    assert d["fragment"] == "OPUS, G722, PCMU, PCMA, VP8, H264"
    assert "values:SipProfileResponse.default_codecs" in stale(section)


def test_cipher_removed(capsys: Cap, upstream: Make) -> None:
    code, out = run(capsys, upstream(("AES_256_CM_HMAC_SHA1_32, AES_CM_128_HMAC_SHA1_32.",
                                      "AES_256_CM_HMAC_SHA1_32.")))
    assert code == 1
    assert "STALE values:UpdateSipProfileRequest.default_ciphers" in out
    assert "removed upstream: AES_CM_128_HMAC_SHA1_32" in out
    assert ("upstream: AEAD_AES_256_GCM_8, AES_256_CM_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_80, "
            "AES_256_CM_HMAC_SHA1_32\n") in out
    assert "fragment: AEAD_AES_256_GCM_8, AES_256_CM_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_80, " in out
    # the catalogue's quotation of the sentence is named too
    assert "STALE quote:SP-CIPHER-001" in out


def test_encryption_value_added_to_the_enum(capsys: Cap, upstream: Make) -> None:
    code, section = run_json(capsys, upstream(("enum: [required, optional]",
                                               "enum: [required, optional, srtp]")))
    assert code == 1
    d = stale(section)["values:UpdateSipProfileRequest.default_encryption"]
    assert "added upstream: srtp" in d["what"]
    assert (d["upstream"], d["fragment"]) == ("required, optional, srtp", "required, optional")


def test_status_added_and_one_removed(capsys: Cap, upstream: Make) -> None:
    code, section = run_json(capsys, upstream(('        "422":\n          description: The request failed',
                                               '        "400":\n          description: The request failed')))
    assert code == 1
    d = stale(section)["statuses:updateSipProfile"]
    assert "status(es) added upstream: 400" in d["what"] and "status(es) removed upstream: 422" in d["what"]
    assert (d["upstream"], d["fragment"]) == ("201, 400, 401, 500", "201, 401, 422, 500")


def test_field_added(capsys: Cap, upstream: Make) -> None:
    code, section = run_json(capsys, upstream((
        "        domain:\n          type: string\n",
        "        created_at: {type: string}\n        domain:\n          type: string\n")))
    assert code == 1
    d = stale(section)["fields:SipProfileResponse"]
    assert "fields added upstream: created_at" in d["what"]
    assert "created_at" in d["upstream"] and "created_at" not in d["fragment"]


def test_nullability_changed(capsys: Cap, upstream: Make) -> None:
    code, section = run_json(capsys, upstream((
        "        domain_identifier:\n          type: string\n",
        "        domain_identifier:\n          type: [string, \"null\"]\n")))
    assert code == 1
    found = stale(section)
    d = found["nullable:UpdateSipProfileRequest.domain_identifier"]
    assert (d["upstream"], d["fragment"]) == ("nullable", "not nullable")
    # the response side now agrees with the fragment: its recorded known difference is obsolete
    gone = found["nullable:SipProfileResponse.domain_identifier"]
    assert gone["upstream"] == "(no longer differs)" and "not nullable" in gone["reason"]


def test_quoted_sentence_reworded(capsys: Cap, upstream: Make) -> None:
    code, section = run_json(capsys, upstream(("Must be unique across your project.",
                                               "Must be unique within your space.")))
    assert code == 1
    d = stale(section)["quote:SP-ID-002"]
    assert d["upstream"] == "(not found in the upstream slice)"
    assert "Must be unique across your project." in d["fragment"]
    assert "SP-ID-002" in d["what"]


def test_malformed_yaml_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\npaths: {/api/relay/rest/sip_profile: [unclosed\n", encoding="utf-8")
    code, out = run(capsys, str(bad))
    assert code == 2
    assert out.count("\n") == 1 and "not valid YAML" in out and "line" in out


def test_description_without_the_path_is_malformed(capsys: Cap, upstream: Make) -> None:
    code, out = run(capsys, upstream(("  /api/relay/rest/sip_profile:\n",
                                      "  /api/relay/rest/sip_profiles:\n")))
    assert code == 2 and out.count("\n") == 1 and "does not describe /api/relay/rest/sip_profile" in out


def test_unreachable_url_exits_3_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/openapi.yaml"
    code, out = run(capsys, url, "--cache-dir", str(tmp_path / "cache"))
    assert code == 3
    assert out.count("\n") == 1 and "unreachable" in out and url in out


def test_plain_http_to_a_remote_host_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = run(capsys, "http://example.invalid/openapi.yaml", "--cache-dir", str(tmp_path))
    assert code == 2 and "only https" in out
