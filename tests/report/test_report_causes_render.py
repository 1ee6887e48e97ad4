"""Every format leads with the root cause: `run --mutant put-answers-200 --baseline <faithful run>`."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from contracts.cli import main
from contracts.report._html import render_html
from contracts.report._junit import write_junit
from contracts.report._markdown import render_markdown
from contracts.report._summary import actual_of, run_warnings

from ._html import Page

LEAD = "1 root cause: PUT answers 200 instead of 201 — explains"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    names = [k for k in os.environ if k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))]
    saved = {k: os.environ.pop(k) for k in names}
    try:
        out = tmp_path_factory.mktemp("rc")
        common = ["--seed", "11", "--example-db", "none", "--no-history", "--quiet"]
        assert main(["run", "--report-dir", str(out / "faithful"), *common]) == 0
        baseline = str(out / "faithful/conformance.json")
        assert main(["run", "--mutant", "put-answers-200", "--baseline", baseline,
                     "--report-dir", str(out / "mutant"), *common]) == 1
        return out / "mutant"
    finally:
        os.environ.update(saved)


def _doc(reports: Path) -> dict[str, Any]:
    return dict(json.loads((reports / "conformance.json").read_text()))


def test_conformance_json_has_one_root_cause_that_explains_every_finding(reports: Path) -> None:
    doc = _doc(reports)
    failing = [c["id"] for c in doc["clauses"] if c["verdict"] == "fail"]
    changed = [d["id"] for d in doc["baseline"]["observations"]["changed"]]
    assert failing and changed
    assert doc["root_causes"] == [{"id": "RC1", "summary": "PUT answers 200 instead of 201",
                                   "clauses": failing, "observations": changed}]


def test_summary_md_leads_with_the_cause(reports: Path) -> None:
    lines = (reports / "summary.md").read_text().splitlines()
    assert lines[2].startswith(f"**FAIL**: {LEAD}")
    heading = lines.index("### 1 root cause")
    assert heading < min(i for i, line in enumerate(lines) if line.startswith("### Regressions"))
    assert lines[heading + 2].startswith("- **RC1: PUT answers 200 instead of 201 — explains")


def test_junit_says_the_cause_in_its_properties_and_keeps_one_case_per_clause(reports: Path) -> None:
    root = ET.parse(reports / "junit.xml").getroot()
    suite = root.find("testsuite[@name='sip_profile.clauses']")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["root_causes"] == "1"
    assert str(props["root_cause.RC1"]).startswith("PUT answers 200 instead of 201 — explains")
    doc = _doc(reports)
    assert len(suite.findall("testcase")) == len(doc["clauses"])
    failure = suite.find("testcase/failure")
    assert failure is not None and "Root cause RC1: PUT answers 200 instead of 201" in (failure.text or "")


def test_the_html_leads_with_the_cause(reports: Path) -> None:
    page = Page((reports / "report.html").read_text())
    assert page.ids.index("causes") < page.ids.index("failures") < page.ids.index("regressions")
    text = " ".join(" ".join(page.text).split())
    assert LEAD in text


def test_observations_show_what_changed_never_identical_texts(reports: Path) -> None:
    md = (reports / "summary.md").read_text()
    rows = [line for line in md.splitlines() if line.startswith("| **OBS-")]
    assert rows
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[3] != cells[4], row  # before != after
    assert "PUT answers null, GET answers null" not in md


def test_no_python_notation_in_any_format(reports: Path) -> None:
    doc = _doc(reports)
    page = " ".join(Page(render_html(doc)).text)
    for text in (page, render_markdown(doc)):
        python = r"\bNone\b|\['|=None"
        assert not re.search(python, text), re.findall(rf".{{30}}(?:{python}).{{10}}", text)


def test_a_cut_answer_ends_in_an_ellipsis() -> None:
    body = json.dumps({"domain": "x" * 400})
    failure = {"actual": f"status 200: {body[:300]}", "response": {"body": body}}
    assert actual_of(failure).endswith("…")
    assert actual_of({"actual": "status 200: {}", "response": {"body": "{}"}}) == "status 200: {}"


def test_insecure_http_is_a_visible_warning_in_every_format(reports: Path, tmp_path: Path) -> None:
    doc = _doc(reports)
    doc["target"]["insecure_http"] = True
    [warning] = run_warnings(doc)
    assert "plain http" in warning
    assert f"**WARNING:** {warning[:20]}" in render_markdown(doc)
    assert warning in " ".join(" ".join(Page(render_html(doc)).text).split())
    junit = write_junit(doc, tmp_path).read_text()
    assert 'name="warning.1"' in junit
    doc["target"]["insecure_http"] = False
    assert run_warnings(doc) == [] and "warning.1" not in write_junit(doc, tmp_path).read_text()
