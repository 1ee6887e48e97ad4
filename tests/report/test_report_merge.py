"""``sip-contracts merge``: a passing and a failing run (the embedded mock, and it with a mutant) merged."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contracts import report
from contracts.cli import main
from contracts.document import Conformance
from contracts.engine.config import load_config
from contracts.report._merge import merge, worst_exit
from contracts.runner import execute

FORMATS = ("conformance.json", "junit.xml", "summary.md", "report.html")


def _run(tmp: Path, name: str, mutant: str | None) -> Path:
    out = tmp / "runs" / name
    cfg = load_config(env={}, seed=1, report_dir=out, mutant=mutant, example_db="none")
    report.write_all(report.finish(execute(cfg).document), out, history=False)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("merge")
    return _run(tmp, "staging-ok", None), _run(tmp, "staging-bad", "codec-accepts-g729")


def _load(run: Path) -> Conformance:
    return report.load_conformance(run / "conformance.json")


def test_the_cli_writes_every_format_naming_both_targets(runs: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    ok, bad = runs
    code = main(["merge", str(ok), str(bad / "conformance.json"), "--report-dir", str(tmp_path / "m")])
    assert code == 1  # the failing run's exit code wins
    assert all((tmp_path / "m" / name).is_file() for name in FORMATS)
    for name in FORMATS:
        text = (tmp_path / "m" / name).read_text()
        assert "staging-ok" in text and "staging-bad" in text, name
    out = capsys.readouterr().out
    assert "staging-ok: pass (exit 0)" in out and "staging-bad: fail (exit 1)" in out


def test_the_merged_document_has_the_worst_verdict_and_a_row_per_target(runs: tuple[Path, Path]) -> None:
    ok, bad = runs
    merged = merge([("staging-ok", _load(ok)), ("staging-bad", _load(bad))])
    assert (merged.verdict, merged.exit_code) == ("fail", 1)
    rows = {r.name: r for r in merged.targets or []}
    good = rows["staging-ok"]
    assert (good.verdict, good.exit_code, good.failing) == ("pass", 0, [])
    assert rows["staging-bad"].verdict == "fail" and "SP-CODEC-003" in rows["staging-bad"].failing
    assert merged.counts["pass"] + merged.counts["fail"] == len(_load(ok).clauses) + len(_load(bad).clauses)
    ids = [c.id for c in merged.clauses]
    assert "staging-ok/SP-CODEC-003" in ids and "staging-bad/SP-CODEC-003" in ids
    failing = [c for c in merged.clauses if c.verdict == "fail"]
    assert failing and all(c.id.startswith("staging-bad/") for c in failing)
    assert merged.restore.status == "restored"


def test_an_inconclusive_run_does_not_hide_a_pass_and_a_fail_beats_it(runs: tuple[Path, Path]) -> None:
    ok, bad = runs
    inconclusive = _load(ok).model_copy(deep=True)
    inconclusive.clauses[0].verdict = "inconclusive"
    inconclusive.verdict, inconclusive.exit_code = "inconclusive", 3  # type: ignore[assignment]
    assert merge([("a", _load(ok)), ("b", inconclusive)]).exit_code == 3
    merged = merge([("b", inconclusive), ("c", _load(bad))])
    assert (merged.verdict, merged.exit_code) == ("fail", 1)


def test_junit_has_a_testcase_per_target(runs: tuple[Path, Path], tmp_path: Path) -> None:
    ok, bad = runs
    report.write_all(merge([("staging-ok", _load(ok)), ("staging-bad", _load(bad))]), tmp_path,
                     history=False)
    root = ET.parse(tmp_path / "junit.xml").getroot()
    suite = next(s for s in root if s.get("name") == "sip_profile.targets")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"staging-ok", "staging-bad"}
    assert cases["staging-bad"].find("failure") is not None and cases["staging-ok"].find("failure") is None
    assert json.loads((tmp_path / "conformance.json").read_text())["targets"][1]["name"] == "staging-bad"


def test_worst_exit_order() -> None:
    assert worst_exit([0, 3, 4]) == 4
    assert worst_exit([3, 1, 4]) == 1
    assert worst_exit([1, 2]) == 2
    assert worst_exit([0, 0]) == 0


def test_two_runs_of_one_name_and_a_missing_run_are_usage_errors(runs: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    ok, _ = runs
    assert main(["merge", str(ok), str(ok), "--report-dir", str(tmp_path)]) == 2
    assert main(["merge", str(tmp_path / "nowhere"), "--report-dir", str(tmp_path)]) == 2
    assert not (tmp_path / "conformance.json").exists()
