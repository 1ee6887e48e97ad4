"""Issue 19's "done when": SignalWire's Python SDK recorded against the mock (examples/record_traffic.py).

A HAR (written by the proxy) and a VCR.py cassette of the faithful mock pass; the same recorded against
the mutants that answer PUT with 200, store an unsupported codec, or answer GET with the profile from
before the last PUT each fail with one root cause naming the entry; the proxy's verdicts, exchange by
exchange, are those of check-traffic on its own HAR.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from contracts.recorded import load_traffic
from contracts.traffic import judge_traffic, write_reports

pytestmark = pytest.mark.http
ROOT = Path(__file__).resolve().parents[2]


@cache
def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("record_traffic", ROOT / "examples" / "record_traffic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _checked(path: Path, tmp_path: Path) -> dict[str, Any]:
    doc, _ = judge_traffic([str(path)], load_traffic(path))
    finished, _ = write_reports(doc, tmp_path / f"reports-{path.suffix[1:]}")
    return finished


def test_the_committed_examples_pass() -> None:
    files = [ROOT / "examples" / "traffic" / "sdk-mock.har", ROOT / "examples" / "traffic" / "sdk-mock.yaml"]
    doc, verdicts = judge_traffic([str(f) for f in files], [r for f in files for r in load_traffic(f)])
    assert doc.exit_code == 0 and doc.traffic is not None and doc.traffic.judged >= 12
    assert {v.word for v in verdicts} == {"ok"}


@pytest.mark.parametrize("mutant,summary,entry", [
    (None, None, None),
    ("put-answers-200", "PUT answers 200 instead of 201", 1),
    ("codec-accepts-g729", 'default_codecs "G729"', 3),
    ("stale-get", "answers carry a different", 2),
])
def test_recorded_against_the_mock_each_mutant_is_one_root_cause_naming_its_entry(
        tmp_path: Path, mutant: str | None, summary: str | None, entry: int | None) -> None:
    har, cassette = _script().record(tmp_path, mutant)
    for path in (har, cassette):
        doc = _checked(path, tmp_path)
        if mutant is None:
            assert doc["exit_code"] == 0 and doc["root_causes"] == [], doc["root_causes"]
            continue
        assert doc["exit_code"] == 1
        [cause] = doc["root_causes"]
        assert summary in cause["summary"] and f"(first at {path}#{entry}" in cause["summary"]
        assert cause["entries"][0] == f"{path}#{entry}"


@pytest.mark.parametrize("mutant", [None, "stale-get"])
def test_the_proxy_gives_the_verdicts_check_traffic_gives_on_its_har(tmp_path: Path,
                                                                      mutant: str | None) -> None:
    from contracts.mock import MockConfig, MockSpace, serving

    with serving(MockSpace(MockConfig(), mutant=mutant, seed=1)) as url:
        har, live = _script().record_har(url, tmp_path)
    _, verdicts = judge_traffic([str(har)], load_traffic(har))
    assert [v.word for v in verdicts] == live
    assert ("violation" in live) == (mutant is not None)
