from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from contracts.report import write_all, write_html, write_json, write_junit, write_markdown

from . import _factory as F
from ._html import Page

FILES = {"json": "conformance.json", "junit": "junit.xml", "markdown": "summary.md", "html": "report.html"}


def _suites(path: Path) -> dict[str, Any]:
    xml = JUnitXml.fromfile(str(path))
    return {suite.name: suite for suite in xml}


def _junit_failing_ids(path: Path) -> set[str]:
    out = set()
    for case in _suites(path)["sip_profile.clauses"]:
        if any(isinstance(r, Failure) for r in case.result):
            out.add(case.name.split()[0])
    return out


@pytest.mark.parametrize("which", ["passing_doc", "failing_doc", "regression_doc"])
def test_all_four_files_are_written(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    doc = request.getfixturevalue(which)
    paths = write_all(doc, tmp_path / "out")
    for key, name in FILES.items():
        assert paths[key] == tmp_path / "out" / name
        assert paths[key].stat().st_size > 0
    assert paths["history"].is_file()
    assert json.loads(paths["json"].read_text())["verdict"] == doc["verdict"]


def test_write_all_without_history(failing_doc: dict[str, Any], tmp_path: Path) -> None:
    paths = write_all(failing_doc, tmp_path, history=False)
    assert "history" not in paths and not (tmp_path / "history.sqlite").exists()
    assert "<svg" in paths["html"].read_text()


def test_json_is_stable_and_ordered(regression_doc: dict[str, Any], tmp_path: Path) -> None:
    first = write_json(regression_doc, tmp_path / "a").read_text()
    shuffled = dict(reversed(list(regression_doc.items())))
    shuffled["clauses"] = [dict(reversed(list(c.items()))) for c in regression_doc["clauses"]]
    second = write_json(shuffled, tmp_path / "b").read_text()
    assert first == second
    assert first.startswith('{\n  "schema_version": "1",\n  "suite"')
    assert list(json.loads(first)["clauses"][0])[:3] == ["id", "title", "area"]


def test_junit_has_one_testcase_per_clause(failing_doc: dict[str, Any], tmp_path: Path) -> None:
    suites = _suites(write_junit(failing_doc, tmp_path))
    cases = list(suites["sip_profile.clauses"])
    assert len(cases) == len(failing_doc["clauses"])
    names = {c.name for c in cases}
    assert "SP-CODEC-003 Unsupported codec names are rejected with 422" in names
    assert {c.classname for c in cases} == {f"sip_profile.{c['area']}" for c in failing_doc["clauses"]}


def test_junit_results(failing_doc: dict[str, Any], tmp_path: Path) -> None:
    failing_doc["clauses"][0]["verdict"] = "inconclusive"
    failing_doc["clauses"][0]["reason"] = "target answered 503 three times"
    suite = _suites(write_junit(failing_doc, tmp_path))["sip_profile.clauses"]
    results = {c.name.split()[0]: c.result for c in suite}
    [failure] = results["SP-PROTO-002"]
    assert isinstance(failure, Failure)
    assert failure.message == "A valid PUT answered 200 instead of 201 (+1 more)"
    assert F.REPRO.replace("G729", "OPUS") in failure.text
    assert "expected:" in failure.text and "actual:" in failure.text
    assert isinstance(results["SP-AUTH-004"][0], Skipped)
    assert isinstance(results["SP-PROTO-001"][0], Error)
    assert results["SP-PROTO-001"][0].message == "target answered 503 three times"
    assert results["SP-CODEC-001"] == []
    assert int(suite.failures) == 2


def test_junit_regression_drift_and_waiver(regression_doc: dict[str, Any], tmp_path: Path) -> None:
    suites = _suites(write_junit(regression_doc, tmp_path))
    results = {c.name.split()[0]: c.result for c in suites["sip_profile.clauses"]}
    assert results["SP-CODEC-003"][0].message.startswith("REGRESSION: ")
    assert results["SP-CODEC-003"][0].type == "regression"
    assert results["SP-PROTO-002"][0].type == "contract-violation"
    obs = {c.name.split()[0]: c for c in suites["sip_profile.observations"]}
    assert set(obs) == {"OBS-CODEC-CASE", "OBS-CODEC-ORDER", "OBS-NEW"}
    assert isinstance(obs["OBS-CODEC-CASE"].result[0], Failure)
    assert obs["OBS-CODEC-ORDER"].result == []
    assert '{"kept":true}' in obs["OBS-CODEC-ORDER"].system_out


def test_junit_marks_a_failed_restore(tmp_path: Path) -> None:
    d = F.doc(restore="failed")
    suites = _suites(write_junit(d, tmp_path))
    [case] = list(suites["sip_profile.run"])
    assert isinstance(case.result[0], Failure)


def test_summary_agrees_with_junit(regression_doc: dict[str, Any], tmp_path: Path) -> None:
    paths = write_all(regression_doc, tmp_path)
    junit_ids = _junit_failing_ids(paths["junit"])
    summary = paths["markdown"].read_text()
    md_ids = set(re.findall(r"^#### (SP-[A-Z]+-\d{3}):", summary, flags=re.M))
    assert md_ids == junit_ids == {c["id"] for c in regression_doc["clauses"] if c["verdict"] == "fail"}


def test_summary_puts_regressions_and_drift_first(regression_doc: dict[str, Any], tmp_path: Path) -> None:
    summary = write_markdown(regression_doc, tmp_path).read_text()
    lines = summary.splitlines()
    assert lines[0] == "## SIP profile contracts: FAIL"
    assert summary.index("### Regressions and drift") < summary.index("### Failures") < summary.index(
        "### By area")
    assert "OBS-CODEC-CASE" in summary
    assert F.REPRO in summary
    assert "Fixed since the baseline: `SP-ENC-001`" in summary


def test_summary_stays_short_with_many_failures(tmp_path: Path) -> None:
    d = F.doc(verdicts={c: "fail" for c in [f"SP-X-{n:03d}" for n in range(40)]})
    from contracts.report import finish
    d = finish(d).dump()
    summary = write_markdown(d, tmp_path).read_text()
    assert len(summary.splitlines()) < 120
    assert "SP-X-039" in summary


def test_summary_of_a_passing_run(passing_doc: dict[str, Any], tmp_path: Path) -> None:
    summary = write_markdown(passing_doc, tmp_path).read_text()
    assert summary.startswith("## SIP profile contracts: PASS\n")
    assert "### Failures" not in summary and "### Regressions" not in summary


def test_html_parses_and_holds_every_reproducer(failing_doc: dict[str, Any], tmp_path: Path) -> None:
    page = Page(write_html(failing_doc, tmp_path).read_text())
    reproducers = {f["reproducer"] for c in failing_doc["clauses"] for f in c["failures"]}
    assert reproducers and reproducers <= set(page.pres)
    assert {"SP-CODEC-003", "SP-PROTO-002", "clauses", "observations", "health", "trend"} <= set(page.ids)


def test_html_puts_regressions_before_failures_and_the_clause_table(
        regression_doc: dict[str, Any], tmp_path: Path) -> None:
    page = Page(write_html(regression_doc, tmp_path).read_text())
    ids = page.ids
    # One root cause explains every regression and drift row: it leads, the failure cards follow, and the
    # tables (each row linked to the cause) come after the cards instead of pushing them down.
    assert regression_doc["root_causes"] and ids.index("causes") < ids.index("failures")
    assert ids.index("failures") < ids.index("regressions") < ids.index("clauses")
    text = " ".join(page.text)
    assert "2 clauses regressed" not in text  # three: SP-CODEC-003, SP-CIPHER-003, SP-NEW-001
    assert "3 clauses regressed" in text and "1 observed behaviour changed" in text


def test_html_puts_regressions_first_when_no_cause_is_shared(
        regression_doc: dict[str, Any], tmp_path: Path) -> None:
    doc = dict(regression_doc)
    base = doc["baseline"]
    found = [*base["clauses"]["regression"], *(d["id"] for d in base["observations"]["changed"])]
    doc["root_causes"] = [{"id": f"RC{n}", "summary": f"{fid}: alone", "clauses": [fid], "observations": []}
                          for n, fid in enumerate(found, 1)]
    ids = Page(write_html(doc, tmp_path).read_text()).ids
    assert ids.index("causes") < ids.index("regressions") < ids.index("failures") < ids.index("clauses")


def test_html_banner_says_the_verdict_first(failing_doc: dict[str, Any], tmp_path: Path) -> None:
    html = write_html(failing_doc, tmp_path).read_text()
    page = Page(html)
    first_words = [t.strip() for t in page.text if t.strip() and not t.lstrip().startswith(":root")]
    assert first_words[0].startswith("FAIL ·")  # <title>
    assert first_words[1] == "FAIL"  # banner, before anything else on the page
    assert 'class="banner fail"' in html


def test_html_is_self_contained(regression_doc: dict[str, Any], tmp_path: Path) -> None:
    regression_doc["mutants"] = [{"mutant": "m1", "verdict": "killed", "caught_by": ["SP-CODEC-003"],
                                  "requests_to_first_failure": 3}]
    html = write_all(regression_doc, tmp_path)["html"].read_text()
    page = Page(html)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert not [a for a in page.attrs if a[1] in ("src", "srcset") or a[1].startswith("on")]
    assert "@import" not in html and "url(" not in html and "@font-face" not in html
    hrefs = [v for _, name, v in page.attrs if name == "href"]
    assert hrefs and all(v and v.startswith("#") for v in hrefs)
    assert "mutants" in page.ids and "Kill matrix: 1 of 1 mutants caught" in html


def test_html_escapes_everything(tmp_path: Path) -> None:
    d = F.failing()
    d["clauses"][0]["title"] = "<script>alert(1)</script>"
    d["clauses"][0]["verdict"] = "fail"
    d["clauses"][0]["failures"] = [F.failure("<b>bold</b>", reproducer="echo '<img src=x>'")]
    d["observations"][0]["summary"] = "<i>x</i>"
    html = write_html(d, tmp_path).read_text()
    assert "<script>" not in html and "<b>bold" not in html and "<img" not in html and "<i>x" not in html
    assert "&lt;script&gt;" in html
    assert "echo '<img src=x>'" in Page(html).pres


def test_html_of_an_inconclusive_run(tmp_path: Path) -> None:
    d = F.doc(verdicts={"SP-ENC-002": "inconclusive"})
    from contracts.report import finish
    d = finish(d).dump()
    html = write_html(d, tmp_path).read_text()
    assert 'class="banner inconclusive"' in html and "Could not be checked (1)" in html


def test_html_shouts_a_failed_restore(tmp_path: Path) -> None:
    d = F.doc(restore="failed")
    from contracts.report import finish
    d = finish(d).dump()
    html = write_html(d, tmp_path).read_text()
    assert 'class="banner error"' in html
    assert "The SIP profile was NOT restored" in html
    assert "NOT restored" in write_markdown(d, tmp_path).read_text()


def _minimal() -> dict[str, Any]:
    """Only the required keys, and the sparsest failure and observation the schema allows."""
    return {
        "schema_version": "1",
        "suite": {"name": "sip-profile-contracts", "version": "0.1.0"},
        "target": {"kind": "http", "host": "example.signalwire.com"},
        "run": {"started_at": "2025-03-04T02:00:00Z"},
        "requests": {"total": 0},
        "verdict": "pass", "exit_code": 0, "counts": {},
        "clauses": [
            {"id": "SP-X-001", "title": "t", "area": "elsewhere", "kind": "documented", "verdict": "fail",
             "failures": [{"message": "m", "request": None, "response": {"status": None}}]},
            {"id": "SP-X-002", "title": "t2", "area": "codecs", "kind": "observed", "verdict": "error"},
        ],
        "observations": [{"id": "OBS-X", "clause": "SP-X-002", "status": None, "value": None}],
        "restore": {"status": "not-needed"},
    }


def test_a_minimal_document_renders(tmp_path: Path) -> None:
    from contracts.report import finish

    d = _minimal()
    d = finish(d).dump()
    paths = write_all(d, tmp_path)
    assert d["verdict"] == "fail"
    assert _junit_failing_ids(paths["junit"]) == {"SP-X-001"}
    page = Page(paths["html"].read_text())
    assert "SP-X-001" in page.ids
    assert "#### SP-X-001: t" in paths["markdown"].read_text()


def test_write_all_rejects_a_malformed_result(tmp_path: Path) -> None:
    from contracts.report import ReportError

    d = _minimal()
    del d["clauses"][0]["failures"][0]["message"]
    with pytest.raises(ReportError, match=r"run result: invalid at clauses\[0\]\.failures\[0\]"):
        write_all(d, tmp_path)
