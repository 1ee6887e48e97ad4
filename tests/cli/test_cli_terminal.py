"""The terminal: the result on stdout and progress on stderr, usage errors exit 2 in one line, re-runs
that reproduce, and restore messages that know the embedded mock is not a live project."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from contracts import __version__
from contracts.cli import main
from contracts.engine.config import load_config
from contracts.engine.verdicts import ClauseResult
from contracts.report._summary import headline
from contracts.runner._rerun import rerun_argv, rerun_command
from contracts.terminal import ProgressPrinter, result_lines


@pytest.fixture(autouse=True)
def _no_signalwire_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_")):
            monkeypatch.delenv(name)


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0] and err[0].startswith("sip-contracts: error: ")
    return err[0]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"sip-contracts {__version__}"


@pytest.fixture
def busy_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


def test_mock_on_a_port_in_use_is_a_usage_error(capsys: pytest.CaptureFixture[str], busy_port: int) -> None:
    line = _usage_error(capsys, "mock", "--port", str(busy_port))
    assert f"--port {busy_port}" in line


@pytest.mark.parametrize(("flag", "value"), [("--error-rate", "2"), ("--error-rate", "-0.5"),
                                             ("--latency", "-1")])
def test_out_of_range_fault_options_are_usage_errors(capsys: pytest.CaptureFixture[str], flag: str,
                                                     value: str) -> None:
    assert flag in _usage_error(capsys, "mock", flag, value)


def test_an_unknown_mutant_for_the_matrix_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    line = _usage_error(capsys, "mutants", "--only", "put-answers-200", "nosuch")
    assert "nosuch" in line and "put-answers-200" not in line


def test_workers_without_targets_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "--workers" in _usage_error(capsys, "run", "--workers", "2", "--report-dir", str(tmp_path))
    assert not (tmp_path / "conformance.json").exists()


def test_the_result_goes_to_stdout_and_progress_to_stderr(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    code = main(["run", "--report-dir", str(tmp_path), "--seed", "3", "--example-db", "none", "--no-history"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "[ 1/" in err and "[ 1/" not in out  # one line per clause: progress
    lines = out.strip().splitlines()
    assert lines[0].startswith("PASS — ")
    assert "restore: the embedded mock restored and verified" in out
    html = next(line for line in lines if line.startswith("open this first: "))
    path = Path(html.removeprefix("open this first: "))
    assert path.is_absolute() and path == (tmp_path / "report.html").resolve() and path.is_file()
    assert lines.index(html) < min(i for i, line in enumerate(lines) if line.strip().startswith("json:"))
    assert lines[-1].startswith("re-run: sip-contracts run ")


def _doc(**changes: Any) -> dict[str, Any]:
    reason = "writes not allowed: pass --allow-writes example.signalwire.com to run write clauses"
    doc: dict[str, Any] = {
        "target": {"kind": "http", "host": "example.signalwire.com"},
        "run": {"duration_s": 1.0, "interrupted": None, "command": "sip-contracts run --seed 1"},
        "requests": {"total": 3, "retries": 0}, "verdict": "pass", "exit_code": 0,
        "counts": {"pass": 1, "skipped": 3},
        "clauses": [{"id": "A", "verdict": "pass"}] + [{"id": f"S{i}", "verdict": "skipped", "reason": reason}
                                                     for i in range(3)],
        "restore": {"status": "not-needed", "projects": [], "detail": "nothing was written"},
        "root_causes": [],
    }
    doc.update(changes)
    return doc


def test_a_repeated_skip_reason_is_said_once_with_a_count() -> None:
    lines = [text for _, text in result_lines(_doc(), {}, snapshot=Path("s.json"))]
    skipped = [line for line in lines if line.startswith("skipped")]
    assert skipped == ["skipped ×3: writes not allowed: pass --allow-writes example.signalwire.com to run "
                       "write clauses"]


def test_progress_gives_a_skip_reason_once(tmp_path: Path) -> None:
    cfg = load_config(env={}, seed=1, report_dir=tmp_path)
    err = io.StringIO()
    printer = ProgressPrinter(cfg, err=err, out=io.StringIO())
    for cid in ("SP-A", "SP-B"):
        clause: Any = SimpleNamespace(id=cid, title="t")
        printer.update(1, 2, clause, ClauseResult(id=cid, verdict="skipped", reason="no second project"))
    text = err.getvalue()
    assert text.count("no second project") == 1 and "same reason as SP-A" in text


def test_an_interruption_and_the_restore_are_said() -> None:
    doc = _doc(run={"duration_s": 1.0, "interrupted": "interrupted (SIGINT)", "command": None},
               restore={"status": "restored", "projects": ["primary"],
                        "detail": "every writable field verified"})
    lines = [text for _, text in result_lines(doc, {}, snapshot=Path("s.json"))]
    assert any(line.startswith("INTERRUPTED: interrupted (SIGINT)") for line in lines)
    assert "restore: project(s) primary restored and verified (every writable field verified)" in lines


def test_a_failed_restore_of_the_embedded_mock_is_not_a_live_project() -> None:
    restore = {"status": "failed", "projects": ["primary"], "detail": "GET answered 503"}
    mock = _doc(target={"kind": "mock", "host": "embedded-mock"}, restore=restore, verdict="error")
    live = _doc(restore=restore, verdict="error")
    assert "embedded mock" in headline(mock) and "live project" not in headline(mock).replace(
        "no live project", "")
    assert "a live project was left modified" in headline(live)
    mock_lines = " ".join(text for _, text in result_lines(mock, {}, snapshot=Path("s.json")))
    assert "embedded mock" in mock_lines and "a live project was left" not in mock_lines


def test_the_rerun_command_carries_every_option_and_no_secret(tmp_path: Path) -> None:
    env = {"SIGNALWIRE_PROJECT_ID": "p-1", "SIGNALWIRE_API_TOKEN": "PT-secret-token",
           "SIGNALWIRE_SPACE": "example.signalwire.com"}
    cfg = load_config(env=env, seed=9, report_dir=tmp_path, allow_writes="example.signalwire.com",
                      budget=50, pace_rps=2.5, timeout_s=4, max_examples=3, example_db="cache/db",
                      profile="deep")
    argv = rerun_argv(cfg, baseline="prev/conformance.json")
    assert argv[:2] == ["sip-contracts", "run"]
    pairs = {argv[i]: argv[i + 1] for i in range(2, len(argv) - 1) if argv[i].startswith("--")}
    assert pairs == {"--profile": "deep", "--seed": "9", "--allow-writes": "example.signalwire.com",
                     "--max-examples": "3", "--budget": "50", "--pace": "2.5", "--timeout": "4",
                     "--example-db": "cache/db", "--baseline": "prev/conformance.json"}
    assert "PT-secret-token" not in rerun_command(cfg) and "p-1" not in rerun_command(cfg)


def _cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))}
    return subprocess.run([sys.executable, "-m", "contracts", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def _verdicts(path: Path) -> tuple[str, dict[str, str], list[str]]:
    doc = json.loads(path.read_text())
    return (doc["verdict"], {c["id"]: c["verdict"] for c in doc["clauses"]},
            [c["summary"] for c in doc.get("root_causes") or []])


def test_the_printed_rerun_command_reproduces_the_run(tmp_path: Path) -> None:
    assert _cli("run", "--seed", "4", "--report-dir", "faithful", "--no-history", "--quiet",
                cwd=tmp_path).returncode == 0
    first = _cli("run", "--mutant", "put-answers-200", "--seed", "4", "--baseline",
                 "faithful/conformance.json", "--report-dir", "first", "--example-db", "db", "--no-history",
                 cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    command = json.loads((tmp_path / "first/conformance.json").read_text())["run"]["command"]
    assert first.stdout.strip().splitlines()[-1] == f"re-run: {command}"
    argv = shlex.split(command)
    assert argv[:2] == ["sip-contracts", "run"] and "--mutant" in argv and "--baseline" in argv
    before = _verdicts(tmp_path / "first/conformance.json")
    again = _cli(*argv[1:], "--no-history", cwd=tmp_path)
    assert again.returncode == 1, again.stderr
    assert _verdicts(tmp_path / "first/conformance.json") == before
    assert before[2] == ["PUT answers 200 instead of 201"]


def test_http_reproducers_read_the_base_url_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from contracts.mock import MockSpace, serving

    space = MockSpace(mutant="put-answers-200")
    with serving(space) as url:
        p = space.projects["primary"]
        monkeypatch.setenv("SIGNALWIRE_PROJECT_ID", p.project_id)
        monkeypatch.setenv("SIGNALWIRE_API_TOKEN", p.token)
        monkeypatch.setenv("SIGNALWIRE_REST_BASE_URL", url)
        host = url.split("//")[1]
        assert main(["run", "--report-dir", str(tmp_path), "--seed", "2", "--example-db", "none", "--quiet",
                     "--no-history", "--allow-writes", host]) == 1
        doc = json.loads((tmp_path / "conformance.json").read_text())
        failure = next(f for c in doc["clauses"] for f in c["failures"] if c["id"] == "SP-PROTO-002")
        repro = failure["reproducer"]
        assert f'"${{SIGNALWIRE_REST_BASE_URL:-{url}}}/api/relay/rest/sip_profile"' in repro
        assert f'"{url}/api' not in repro and p.token not in repro
        # The reproducer runs as written: the variables name the served mock, and it answers 200 again.
        done = subprocess.run(["bash", "-c", repro], capture_output=True, text=True, timeout=30,
                              env={**os.environ, "SIGNALWIRE_REST_BASE_URL": url})
        assert done.stdout.startswith("HTTP/1.1 200"), done.stdout + done.stderr


def test_a_targets_run_is_re_run_with_its_file_and_options() -> None:
    from contracts.cli import _targets_command, build_parser

    args = build_parser().parse_args(["run", "--targets", "examples/targets.toml", "--workers", "2",
                                      "--pace", "2.5", "--budget", "90", "--example-db", "cache/db"])
    assert shlex.split(_targets_command(args, 17)) == [
        "sip-contracts", "run", "--targets", "examples/targets.toml", "--workers", "2", "--profile", "quick",
        "--seed", "17", "--pace", "2.5", "--budget", "90", "--example-db", "cache/db"]


@pytest.mark.parametrize(("mutant", "code"), [(None, 0), ("put-answers-200", 1)])
def test_a_reader_that_stops_early_keeps_the_exit_code(mutant: str | None, code: int, tmp_path: Path) -> None:
    """``sip-contracts run | head -1``: the verdict line is read, the pipe closes, the run's code stands."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))}
    argv = [sys.executable, "-m", "contracts", "run", "--report-dir", "r", "--no-history", "--quiet",
            *(["--mutant", mutant] if mutant else [])]
    with subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # like head: nothing more is read
        err = proc.stderr.read()
        assert proc.wait(timeout=300) == code, err
    assert first.startswith("PASS" if code == 0 else "FAIL")
    assert "Traceback" not in err and "internal error" not in err


def test_the_result_console_survives_a_closed_pipe() -> None:
    """The deterministic half of the test above: writing to a pipe nobody reads neither raises nor exits."""
    from contracts.terminal import _console

    read, write = os.pipe()
    os.close(read)
    file = os.fdopen(write, "w")
    console = _console(file)
    console.print("PASS — the verdict line")  # rich's default would raise SystemExit(1) here
    assert console.quiet
    with contextlib.suppress(BrokenPipeError):  # this file is not stdout: nothing pointed it at devnull
        file.close()
