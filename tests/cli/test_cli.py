"""The command line: exit codes, the four report files, one-line configuration errors."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from contracts.cli import main
from contracts.mock import MockSpace, serving
from contracts.report import compare_baseline

FILES = ("conformance.json", "junit.xml", "summary.md", "report.html")


@pytest.fixture(autouse=True)
def _no_signalwire_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_")):
            monkeypatch.delenv(name)


def _run(tmp_path: Path, *extra: str) -> int:
    return main(["run", "--report-dir", str(tmp_path), "--seed", "3", "--example-db", "none", "--quiet",
                 "--no-history", *extra])


def test_run_against_the_embedded_mock_passes_and_writes_every_report(tmp_path: Path) -> None:
    assert _run(tmp_path) == 0
    for name in FILES:
        assert (tmp_path / name).is_file(), name
    doc = json.loads((tmp_path / "conformance.json").read_text())
    assert doc["verdict"] == "pass"
    assert doc["target"]["host"] == "embedded-mock"
    assert {c["verdict"] for c in doc["clauses"]} == {"pass"}
    assert 0 < doc["requests"]["total"] < 300
    assert not (tmp_path / "snapshot.json").exists()  # restored and verified, so not kept


def test_run_against_a_broken_mock_exits_1(tmp_path: Path) -> None:
    assert _run(tmp_path, "--mutant", "codec-accepts-g729") == 1
    doc = json.loads((tmp_path / "conformance.json").read_text())
    failing = {c["id"] for c in doc["clauses"] if c["verdict"] == "fail"}
    assert "SP-CODEC-003" in failing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_nothing_listening_exits_3_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    monkeypatch.setenv("SIGNALWIRE_PROJECT_ID", "p")
    monkeypatch.setenv("SIGNALWIRE_API_TOKEN", "t")
    monkeypatch.setenv("SIGNALWIRE_REST_BASE_URL", f"http://127.0.0.1:{port}")
    started = time.monotonic()
    assert _run(tmp_path, "--allow-writes", f"127.0.0.1:{port}", "--timeout", "1") == 3
    assert time.monotonic() - started < 60
    doc = json.loads((tmp_path / "conformance.json").read_text())
    assert doc["verdict"] == "inconclusive"
    assert not [c for c in doc["clauses"] if c["verdict"] == "fail"]


@pytest.mark.parametrize(("env", "args", "needle"), [
    ({"SIGNALWIRE_PROJECT_ID": "p"}, [], "SIGNALWIRE_API_TOKEN"),
    ({"SIGNALWIRE_PROJECT_ID": "p", "SIGNALWIRE_API_TOKEN": "t"}, [], "SIGNALWIRE_SPACE"),
    ({"SIGNALWIRE_PROJECT_ID": "p", "SIGNALWIRE_API_TOKEN": "t", "SIGNALWIRE_REST_BASE_URL": "ftp://x"}, [],
     "SIGNALWIRE_REST_BASE_URL"),
    ({"SIGNALWIRE_PROJECT_ID": "p", "SIGNALWIRE_API_TOKEN": "t", "SIGNALWIRE_SPACE": "a.signalwire.com"},
     ["--allow-writes", "b.signalwire.com"], "refusing"),
    ({}, ["--profile", "nightly"], "unknown profile"),
    ({}, ["--mutant", "no-such-mutant"], "unknown mutant"),
    ({}, ["--budget", "0"], "--budget"),
    ({}, ["--baseline", "/nonexistent/conformance.json"], "--baseline"),
])
def test_configuration_errors_exit_2_with_one_line(env: dict[str, str], args: list[str], needle: str,
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _run(tmp_path, *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err
    assert "Traceback" not in "\n".join(err)
    assert not (tmp_path / "conformance.json").exists()


def test_bad_flag_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "--seed", "many"])
    assert exc.value.code == 2
    assert "--seed" in capsys.readouterr().err


def test_clauses_json_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len({r["id"] for r in rows}) >= 39
    assert all(r["source"] and r["check"].startswith("contracts.clauses.") for r in rows)


def test_report_rerenders_without_a_target(tmp_path: Path) -> None:
    assert _run(tmp_path) == 0
    (tmp_path / "report.html").unlink()
    out = tmp_path / "again"
    assert main(["report", str(tmp_path / "conformance.json"), "--out", str(out)]) == 0
    assert (out / "report.html").is_file()
    assert main(["report", str(tmp_path / "missing.json")]) == 2


@pytest.mark.http
def test_over_http_gives_the_same_verdicts_and_observations(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(tmp_path / "inproc") == 0
    space = MockSpace()
    with serving(space) as url:
        p = space.projects
        for prefix, who in (("SIGNALWIRE", "primary"), ("SIGNALWIRE_SECONDARY", "secondary"),
                            ("SIGNALWIRE_NOVOICE", "novoice")):
            monkeypatch.setenv(f"{prefix}_PROJECT_ID", p[who].project_id)
            monkeypatch.setenv(f"{prefix}_API_TOKEN", p[who].token)
        monkeypatch.setenv("SIGNALWIRE_REST_BASE_URL", url)
        monkeypatch.setenv("SIGNALWIRE_TEST_NUMBERS", "+12015550123,+447400123456")
        host = url.split("//")[1]
        before = {name: space.profile(name) for name in ("primary", "secondary")}
        assert _run(tmp_path / "http", "--allow-writes", host) == 0
        assert {name: space.profile(name) for name in ("primary", "secondary")} == before
    a = json.loads((tmp_path / "inproc" / "conformance.json").read_text())
    b = json.loads((tmp_path / "http" / "conformance.json").read_text())
    assert {c["id"]: c["verdict"] for c in a["clauses"]} == {c["id"]: c["verdict"] for c in b["clauses"]}
    # Observations as a baseline compares them: exactly, but latency measurements only by a marked slow-down
    # (timings over HTTP differ from in-process ones by design).
    assert {o["id"] for o in a["observations"]} == {o["id"] for o in b["observations"]}
    assert compare_baseline(b, a)["observations"]["changed"] == []
