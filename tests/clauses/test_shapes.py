"""Request shapes (SP-SHAPE-*): the faithful mock answers every shape as it answers the canonical request
(in-process and over HTTP), correct servers that differ where RFCs allow (411 for chunked, 406 for an
Accept without JSON, 422 for unknown members) raise no alarm, the client matrix reaches every format, and
``--client-har`` adds the user's own client without leaking a credential."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from contracts.catalogue import CATALOGUE
from contracts.cli import main
from contracts.engine.config import load_config
from contracts.env import MOCK_PROJECTS
from contracts.mock import MockConfig, MockSpace, serving
from contracts.report import finish, write_all
from contracts.runner import execute

SHAPE_CLAUSES = {c.id for c in CATALOGUE if c.area == "shape"}
PRIMARY = next(p for p in MOCK_PROJECTS if p.who == "primary")
#: The requests this issue adds to a quick run: every shape clause, SP-ID-001's read-only domain body,
#: the two line-anchored E.164 values and the two identifiers with newlines.
BUDGET = 35


def _run(tmp_path: Path, space: MockSpace | None = None, **kwargs: Any) -> dict[str, Any]:
    cfg = load_config(env={}, seed=1, report_dir=tmp_path, example_db="none", **kwargs)
    return execute(cfg, transport=space.transport() if space else None).doc


def _outcome(observation: dict[str, Any]) -> str:
    """What SP-SHAPE-008 saw of a member: the value keyed by the member's own name."""
    return str(next(v for k, v in observation["value"].items() if k != "status"))


def _cells(doc: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {r["profile"]: (r["get"], r["valid_put"], r["invalid_put"]) for r in doc["clients"]}


def _assert_every_shape_passes(doc: dict[str, Any]) -> None:
    verdicts = {c["id"]: (c["verdict"], c["reason"]) for c in doc["clauses"] if c["id"] in SHAPE_CLAUSES}
    assert {cid: v for cid, (v, _) in verdicts.items() if v != "pass"} == {}, verdicts
    for profile, cells in _cells(doc).items():
        assert all(c in ("✓", "—") or c.startswith("observed: ") for c in cells), (profile, cells)
    assert {"python-sdk 3.7.5", "typescript-sdk 2.0.5", "curl 7.88"} <= set(_cells(doc))


def test_the_faithful_mock_passes_every_shape_in_process(tmp_path: Path) -> None:
    doc = _run(tmp_path)
    _assert_every_shape_passes(doc)
    assert doc["verdict"] == "pass"
    cells = _cells(doc)
    assert cells["chunked"][1] == "observed: 201" and cells["accept-no-json"][0] == "observed: 200"
    shape_requests = sum(c["requests"] for c in doc["clauses"] if c["id"] in SHAPE_CLAUSES)
    assert shape_requests + 1 + 2 + 2 <= BUDGET
    outcome = {o["id"]: _outcome(o) for o in doc["observations"] if o["id"].startswith("OBS-BODY-")}
    assert outcome == dict.fromkeys(("OBS-BODY-DOMAIN", "OBS-BODY-ID", "OBS-BODY-PROJECT-ID",
                                     "OBS-BODY-CREATED-AT"), "ignored")


@pytest.mark.http
def test_the_faithful_mock_passes_every_shape_over_http(tmp_path: Path) -> None:
    space = MockSpace()
    with serving(space) as url:
        env = {"SIGNALWIRE_PROJECT_ID": PRIMARY.project_id, "SIGNALWIRE_API_TOKEN": PRIMARY.token,
               "SIGNALWIRE_SPACE": url.removeprefix("http://")}
        cfg = load_config(env=env, seed=1, report_dir=tmp_path, example_db="none",
                          allow_writes=url.removeprefix("http://"))
        doc = execute(cfg).doc
    _assert_every_shape_passes(doc)
    # uvicorn really received the chunked body and the python-sdk GET with its Content-Type
    assert _cells(doc)["chunked"][1] == "observed: 201"


@pytest.mark.parametrize(("config", "observed"), [
    (MockConfig(chunked="refuse"), ("chunked", 1, "observed: 411")),
    (MockConfig(accept="json"), ("accept-no-json", 0, "observed: 406")),
    (MockConfig(unknown_fields="reject"), None),
], ids=["411-for-chunked", "406-for-accept-without-json", "422-for-unknown-members"])
def test_correct_but_different_servers_raise_no_alarm(config: MockConfig, observed: Any,
                                                      tmp_path: Path) -> None:
    doc = _run(tmp_path, MockSpace(config))
    bad = [(c["id"], c["reason"]) for c in doc["clauses"] if c["verdict"] != "pass"]
    assert doc["verdict"] == "pass", bad
    _assert_every_shape_passes(doc)
    if observed is not None:
        profile, column, cell = observed
        assert _cells(doc)[profile][column] == cell
    else:
        outcome = {o["id"]: _outcome(o) for o in doc["observations"] if o["id"].startswith("OBS-BODY-")}
        assert set(outcome.values()) == {"refused"}


def test_a_broken_client_is_one_root_cause_naming_it_in_every_format(tmp_path: Path) -> None:
    doc = _run(tmp_path, mutant="get-content-type-400")
    assert _cells(doc)["python-sdk 3.7.5"] == ("GET answers 400", "✓", "✓")
    finished = finish(doc).dump()
    causes = finished["root_causes"]
    assert len(causes) == 1, causes
    assert causes[0]["summary"].endswith("breaks python-sdk 3.7.5")
    assert set(causes[0]["clauses"]) == {"SP-SHAPE-003", "SP-SHAPE-006"}
    write_all(finished, tmp_path, history=False)
    summary = (tmp_path / "summary.md").read_text()
    assert "### Clients (2 of 17 break)" in summary
    assert "| **python-sdk 3.7.5** | GET answers 400 |" in summary
    assert 'id="clients"' in (tmp_path / "report.html").read_text()
    assert 'name="client.python-sdk 3.7.5" value="GET GET answers 400' in (tmp_path / "junit.xml").read_text()
    written = json.loads((tmp_path / "conformance.json").read_text())
    assert {r["profile"] for r in written["clients"]} == set(_cells(doc))


# -- the user's own client: --client-har ----------------------------------------------------------------

TOKEN = "PT" + "3f9a" * 10  # real-looking: "PT" and 40 hex digits


def _sdk_har(path: Path) -> None:
    """A HAR of SignalWire's Python SDK talking to the mock, written from the requests it sent, with a
    real-looking token in its Authorization and Cookie headers."""
    from signalwire.rest import RestClient

    sent: list[Any] = []
    with serving(MockSpace()) as url:
        client = RestClient(project=PRIMARY.project_id, token=PRIMARY.token, host=url.removeprefix("http://"))
        client._http._session.hooks["response"].append(lambda r, *a, **k: sent.append(r))
        client.sip_profile.get()
        client.sip_profile.update(default_codecs=["OPUS"], default_encryption="required")
    basic = "Basic " + base64.b64encode(f"{PRIMARY.project_id}:{TOKEN}".encode()).decode()
    entries = []
    for r in sent:
        headers = [{"name": k, "value": v} for k, v in r.request.headers.items() if k != "Authorization"]
        headers += [{"name": "Authorization", "value": basic}, {"name": "Cookie", "value": f"sid={TOKEN}"}]
        request: dict[str, Any] = {"method": r.request.method, "url": r.request.url, "headers": headers}
        if r.request.body:
            body = r.request.body.decode() if isinstance(r.request.body, bytes) else r.request.body
            request["postData"] = {"mimeType": "application/json", "text": body}
        entries.append({"startedDateTime": "2026-12-04T00:00:00Z", "request": request,
                        "response": {"status": r.status_code, "headers": [],
                                     "content": {"text": r.text}}})
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))


@pytest.mark.http
def test_client_har_adds_the_har_profile_and_leaks_nothing(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    har = tmp_path / "sdk.har"
    _sdk_har(har)
    assert TOKEN in har.read_text()
    reports = tmp_path / "reports"
    code = main(["run", "--seed", "1", "--example-db", "none", "--report-dir", str(reports),
                 "--client-har", str(har)])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    doc = json.loads((reports / "conformance.json").read_text())
    assert _cells(doc)["har"] == ("✓", "✓", "✓")
    assert "--client-har" in doc["run"]["command"]
    for text in (out.out, out.err, *(p.read_text(errors="replace") for p in reports.rglob("*")
                                      if p.is_file() and p.suffix != ".sqlite")):
        assert TOKEN not in text and "sid=" not in text
    assert TOKEN.encode() not in b"".join(p.read_bytes() for p in reports.rglob("*") if p.is_file())


def test_the_har_shape_keeps_headers_and_formatting_but_no_credential(tmp_path: Path) -> None:
    from contracts.engine.wire import shape_from_traffic
    from contracts.recorded import load_traffic
    from contracts.spec import PATH

    har = tmp_path / "sdk.har"
    _sdk_har(har)
    shape = shape_from_traffic(load_traffic(har), path=PATH)
    assert shape is not None and shape.ops == ("get", "put", "invalid")
    get = dict(shape.get_headers)
    assert get["Content-Type"] == "application/json" and get["User-Agent"].startswith("signalwire-python/")
    assert shape.fmt == "python"  # requests' json= uses json.dumps' default separators
    names = {n.lower() for n, _ in (*shape.get_headers, *shape.put_headers)}
    assert not names & {"authorization", "cookie", "content-length", "host"}
    assert TOKEN not in repr(shape)


def test_a_har_without_get_or_put_is_a_config_error(tmp_path: Path) -> None:
    from contracts.errors import ConfigError

    har = tmp_path / "empty.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": []}}))
    with pytest.raises(ConfigError, match="no GET or PUT"):
        load_config(env={}, report_dir=tmp_path, client_har=har)
