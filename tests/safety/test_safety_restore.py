"""Restore: every profile a run wrote ends exactly as the run found it, whatever the target does; when it
cannot, the run says so loudly, exits non-zero, keeps snapshot.json, and `sip-contracts restore` puts the
profile back later."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contracts.engine.config import load_config
from contracts.mock import MUTANTS, MockConfig, MockSpace
from contracts.report import finish
from contracts.runner import execute
from contracts.spec import PATH

from ._helpers import (
    PROJECTS,
    ActAs,
    Refuse,
    assert_no_traceback,
    basic,
    conformance,
    host_of,
    http_env,
    profiles,
    run_args,
    run_cli,
    run_http,
    writes_seen,
)

#: Mutants whose GET misrepresents what is stored: the suite can only put back what GET showed it, so
#: for these the check is on the rendered profile (what every client of the API sees), not the stored one.
GET_LIES = {
    "codecs-sorted-on-read": "GET answers codecs sorted, so the snapshot holds the sorted order",
    "get-ciphers-null": "GET answers ciphers null, so the snapshot holds null",
    "sendas-null-reads-back-empty": 'null is stored back as "" (the same documented meaning)',
}
#: Mutants under which the stored profile cannot be put back at all: the run must say so (restore failed).
CANNOT_RESTORE = {
    "codecs-sorted": "the mock stores codecs sorted, the first profile is not",
    "full-put-sorts-ciphers": "a full PUT (the rehearsal's, the restore's) stores the ciphers sorted",
}
#: Mutants that refuse the very profile they hold: the rehearsal's PUT is refused (it changes nothing), so
#: the run makes no further write to that project, which is left exactly as found.
REHEARSAL_REFUSED = {
    "cipher-rejects-gcm8": "the first profile holds a cipher the mock now refuses",
    "identifier-taken-by-itself": "the project's own identifier counts as taken",
    "sendas-null-rejected": "the first profile holds default_send_as null, which the mock now refuses",
}
#: Mutants under which the restore works but cannot be verified: a failure is reported (conservative).
CANNOT_VERIFY = {
    "stale-get": "the verification GET answers the state before the restore PUT",
}


#: A target that refuses null for the lists and the enum (undocumented; many real APIs do).
NULL_LISTS = (b'"default_codecs":null', b'"default_ciphers":null', b'"default_encryption":null')
NULL_REFUSED = (b'{"errors":[{"detail":"must not be null","status":"422","title":"Invalid Attribute",'
                b'"code":"422"}]}')


def _documented(profiles_: dict[str, Any]) -> dict[str, Any]:
    """Profiles with default_send_as "" read as null: the docs give both the same meaning."""
    return {name: {**p, "default_send_as": p.get("default_send_as") or None} for name, p in profiles_.items()}


def _in_process(space: MockSpace, report_dir: Path, seed: int = 1) -> dict[str, Any]:
    """A run against the embedded mock's in-process transport (same engine, no sockets: fast)."""
    cfg = load_config(env={}, seed=seed, report_dir=report_dir, example_db="none")
    doc = execute(cfg, transport=space.transport()).doc
    doc = finish(doc).dump()
    return doc


def _rendered(space: MockSpace) -> dict[str, Any]:
    """Every project's profile as a GET renders it."""
    client = space.transport()
    import httpx

    out = {}
    with httpx.Client(transport=client, base_url=space.base_url) as http:
        for name in PROJECTS:
            p = space.projects[name]
            out[name] = http.get("/api/relay/rest/sip_profile", auth=(p.project_id, p.token)).json()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("mutant", sorted(set(MUTANTS) - {"slow-responses"}))
def test_every_mutant_leaves_every_profile_as_found_or_says_it_did_not(mutant: str, tmp_path: Path) -> None:
    space = MockSpace(mutant=mutant)
    stored, shown = profiles(space), _rendered(space)
    doc = _in_process(space, tmp_path)
    if mutant in REHEARSAL_REFUSED:
        assert profiles(space) == stored
        assert doc["restore"]["status"] in ("not-needed", "restored"), doc["restore"]
        assert next(c for c in doc["clauses"] if c["id"] == "SP-STATE-006")["verdict"] == "fail"
        return
    assert writes_seen(space), "the run wrote nothing: the restore was not exercised"
    if mutant in CANNOT_RESTORE or mutant in CANNOT_VERIFY:
        # Said loudly: restore failed, exit 1, the snapshot kept for `sip-contracts restore`.
        assert doc["restore"]["status"] == "failed"
        assert doc["exit_code"] == 1
        assert (tmp_path / "snapshot.json").is_file()
        # Even then the domain identifier (the project's SIP domain) is back.
        assert all(space.profile(p)["domain_identifier"] == stored[p]["domain_identifier"] for p in PROJECTS)
        if mutant in CANNOT_VERIFY:
            assert profiles(space) == stored
        return
    assert doc["restore"]["status"] == "restored", doc["restore"]
    assert not (tmp_path / "snapshot.json").exists()
    if mutant in GET_LIES:
        assert _documented(_rendered(space)) == _documented(shown)
    else:
        assert profiles(space) == stored


@pytest.mark.parametrize("config", [
    MockConfig(omitted="replace"), MockConfig(null_values="reject"), MockConfig(unknown_fields="reject"),
    MockConfig(case_insensitive=True), MockConfig(keep_order=False), MockConfig(dedupe=True),
    MockConfig(allow_empty_lists=False), MockConfig(owned_numbers=("+12015550123",)),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in vars(c).items() if v != getattr(MockConfig(), k)))
def test_every_undocumented_choice_of_the_target_is_restored_exactly(config: MockConfig,
                                                                   tmp_path: Path) -> None:
    space = MockSpace(config)
    before = profiles(space)
    doc = _in_process(space, tmp_path)
    assert writes_seen(space)
    assert doc["restore"]["status"] == "restored", doc["restore"]
    assert profiles(space) == before


def test_one_refused_value_does_not_keep_the_rest_of_the_profile_from_coming_back() -> None:
    """restore_profiles itself: the snapshot holds a cipher the target stopped accepting during the run
    (vocabulary narrowed since the rehearsal): the restore fails, names that field, and puts back
    everything else (the domain identifier above all)."""
    import httpx

    from contracts.engine.client import Client
    from contracts.engine.config import mock_target
    from contracts.engine.safety import restore_profiles

    space = MockSpace(mutant="cipher-rejects-gcm8")
    snapshot = profiles(space)["primary"]
    assert "AEAD_AES_256_GCM_8" in snapshot["default_ciphers"]
    p = space.projects["primary"]
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as http:  # the run's changes
        http.put(PATH, json={"domain_identifier": "changed", "default_encryption": "required",
                             "default_ciphers": ["AES_CM_128_HMAC_SHA1_80"]}, auth=(p.project_id, p.token))
    client = Client(base_url=space.base_url, transport=space.transport(), allow_writes=True, budget=50)
    result = restore_profiles(client, mock_target(), {"primary": snapshot})
    assert result["status"] == "failed" and "default_ciphers" in result["detail"]
    after = profiles(space)["primary"]
    assert {k: v for k, v in after.items() if k != "default_ciphers"} == \
           {k: v for k, v in snapshot.items() if k != "default_ciphers"}


def test_failed_restore_is_loud_keeps_the_snapshot_and_restore_puts_it_back_later(
        tmp_path: Path, served: Callable[..., Any]) -> None:
    """With --budget 60 the run's own requests end at number 60 (a quick run needs ~250): every request
    after that is the restore. The target answers those with 500; later it is healthy again and
    `sip-contracts restore reports/snapshot.json` puts the profile back."""
    budget = 60
    space = MockSpace()
    before = profiles(space)

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: n > budget, status=500, retry_after=None,
                      body=b'{"error": "Internal Server Error"}')

    reports = tmp_path / "reports"
    with served(space, wrap) as url:
        env = http_env(space, url)
        done = run_cli(run_args(reports, url, "--budget", str(budget)), env, tmp_path)
        refused = list(space.app.refused)
        assert refused and all(n > budget for _, n in refused)
        assert writes_seen(space)
        assert profiles(space) != before, "the run left nothing to restore: the test proves nothing"

        # Loud: non-zero exit, a RESTORE FAILED line naming the snapshot, the report says so too.
        assert_no_traceback(done.stdout, done.stderr)
        assert done.returncode == 1, done.stderr
        assert "RESTORE FAILED" in done.stderr and "snapshot.json" in done.stderr
        doc = conformance(reports)
        assert doc["restore"]["status"] == "failed" and doc["exit_code"] == 1
        assert "NOT restored" in (reports / "summary.md").read_text()
        snapshot = reports / "snapshot.json"
        saved = json.loads(snapshot.read_text())
        assert saved["target"]["host"] == host_of(url)
        assert {k: v for k, v in saved["profiles"]["primary"].items() if k in before["primary"]} == \
            before["primary"]

        # Later, the target is healthy again.
        space.app.active = False
        again = run_cli(["restore", str(snapshot), "--allow-writes", host_of(url)], env, tmp_path)
        assert_no_traceback(again.stdout, again.stderr)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "restored" in again.stdout
    assert profiles(space) == before


def test_restore_command_reports_a_target_that_still_refuses(tmp_path: Path,
                                                             served: Callable[..., Any]) -> None:
    """`sip-contracts restore` against a target that answers 500 to every PUT: exit 1, nothing claimed."""
    space = MockSpace()
    stored = space.profile("primary")

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: scope["method"] == "PUT", status=500, retry_after=None,
                      body=b'{"error": "Internal Server Error"}')

    with served(space, wrap) as url:
        snapshot = tmp_path / "snapshot.json"
        changed = {**stored, "default_encryption": "required"}
        snapshot.write_text(json.dumps({"version": "1", "target": {"host": host_of(url), "base_url": url},
                                        "profiles": {"primary": changed}}))
        done = run_cli(["restore", str(snapshot), "--allow-writes", host_of(url)], http_env(space, url),
                       tmp_path)
    assert_no_traceback(done.stdout, done.stderr)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failed" in done.stdout
    assert snapshot.is_file()


def test_a_fresh_project_whose_nulls_cannot_be_put_back_is_left_as_found(
        tmp_path: Path, served: Callable[..., Any]) -> None:
    """A fresh project: ciphers null, default_send_as null. The target (like many real APIs) refuses null
    for a list, so nothing the run changed could be undone: the rehearsal sees it, and nothing is written."""
    import httpx

    numbers = "+12015550123,+12015550124"
    space = MockSpace(MockConfig(owned_numbers=tuple(numbers.split(","))))
    p = space.projects["primary"]
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as http:
        r = http.put("/api/relay/rest/sip_profile", json={"default_ciphers": None},
                     auth=(p.project_id, p.token))
        assert r.status_code == 201 and r.json()["default_ciphers"] is None
    before = profiles(space)
    nulls, error = NULL_LISTS, NULL_REFUSED

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: scope["method"] == "PUT" and any(x in body for x in nulls),
                      status=422, retry_after=None, body=error)

    with served(space, wrap) as url:
        env = {**http_env(space, url), "SIGNALWIRE_TEST_NUMBERS": numbers}
        cfg = load_config(env=env, seed=1, report_dir=tmp_path, allow_writes=host_of(url),
                          example_db="none", timeout_s=2.0)
        doc = execute(cfg).doc
    # The rehearsal: the profile as read (null ciphers) is refused, the same without the null is taken and
    # reads back unchanged. Null for a list is undocumented, so that is no violation; but a write could not
    # be undone, so the primary project gets no further write and is left exactly as found.
    verdicts = {c["id"]: c for c in doc["clauses"]}
    assert verdicts["SP-SENDAS-001"]["verdict"] == "skipped"
    assert verdicts["SP-STATE-006"]["verdict"] == "skipped"
    assert "null" in verdicts["SP-STATE-006"]["reason"]
    assert not [c["id"] for c in doc["clauses"] if c["verdict"] == "fail"]
    assert doc["restore"]["status"] in ("restored", "not-needed"), doc["restore"]
    assert profiles(space) == before


def test_restore_puts_send_as_back_to_null_even_when_null_lists_are_refused(
        tmp_path: Path, served: Callable[..., Any]) -> None:
    """restore_profiles itself: the snapshot holds null ciphers (refused as a PUT value) and null
    default_send_as; the run left a number. Only the ciphers may stay wrong, and they are named."""
    from contracts.engine.client import Client
    from contracts.engine.config import target_from_env
    from contracts.engine.safety import restore_profiles

    space = MockSpace()
    stored = space.profile("primary")
    nulls, error = NULL_LISTS, NULL_REFUSED

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: scope["method"] == "PUT" and any(x in body for x in nulls),
                      status=422, retry_after=None, body=error)

    with served(space, wrap) as url:
        target = target_from_env(http_env(space, url))
        assert target is not None
        client = Client(base_url=url, allow_writes=True, budget=10, timeout_s=2.0)
        left = client.request("PUT", creds=target.primary,
                              body={"default_send_as": "+12015550123", "default_codecs": ["PCMA"]})
        assert left.status == 201
        result = restore_profiles(client, target, {"primary": {**stored, "default_ciphers": None}})
        client.close()
    assert result["detail"] == "primary: fields not restored: default_ciphers"
    after = space.profile("primary")
    assert after["default_send_as"] is None
    assert {k: v for k, v in after.items() if k != "default_ciphers"} == \
           {k: v for k, v in stored.items() if k != "default_ciphers"}


def test_a_probe_a_scopeless_token_should_not_have_been_able_to_write_is_undone(
        tmp_path: Path, served: Callable[..., Any]) -> None:
    """The target lets the token without the Voice scope write (its GET is still refused), and a 503 storm
    at the start kept every earlier clause from snapshotting the primary profile."""
    space = MockSpace()
    before = profiles(space)
    p, nv = space.projects["primary"], space.projects["novoice"]
    primary, novoice = basic(p.project_id, p.token), basic(nv.project_id, nv.token)
    storm = {"on": True}

    def early_storm(scope: dict[str, Any], n: int, body: bytes) -> bool:
        auth = dict(scope["headers"]).get(b"authorization")
        if auth == novoice:
            storm["on"] = False
        return storm["on"] and scope["method"] == "GET" and auth == primary

    def wrap(app: Any) -> Refuse:
        return Refuse(ActAs(app, seen=novoice, acting=primary), early_storm)

    with served(space, wrap) as url:
        run = run_http(space, url, tmp_path)
        assert space.app.app.hits == 1, "the probe was not sent"
    assert profiles(space) == before or (run.doc["restore"]["status"] == "failed" and run.doc["exit_code"])


def test_a_cross_project_probe_applied_to_the_tokens_project_is_undone(
        tmp_path: Path, served: Callable[..., Any]) -> None:
    space = MockSpace()
    before = profiles(space)
    p, s = space.projects["primary"], space.projects["secondary"]
    mixed, secondary = basic(p.project_id, s.token), basic(s.project_id, s.token)
    with served(space, lambda app: ActAs(app, seen=mixed, acting=secondary)) as url:
        run = run_http(space, url, tmp_path)
        assert space.app.hits == 1, "the probe was not sent"
    assert profiles(space) == before or (run.doc["restore"]["status"] == "failed" and run.doc["exit_code"])
