"""junit.xml: one testcase per clause, so CI test tabs show the contract as tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.redact import redact
from contracts.report._clients import junit_properties as client_properties
from contracts.report._documentation import junit_suite
from contracts.report._summary import (
    actual_of,
    cause_line,
    cause_of,
    causes,
    compact,
    host,
    jsonish,
    observation_changes,
    restore_subject,
    run_warnings,
    trim,
)
from contracts.report._targets import junit_suite as targets_suite
from contracts.report._verdict import drift, live_regressions

__all__ = ["write_junit"]

_TEXT_LIMIT = 4000


def _failure_text(doc: Mapping[str, Any], clause: Mapping[str, Any], regression: bool) -> str:
    lines: list[str] = []
    if regression:
        base = doc.get("baseline") or {}
        lines.append(f"REGRESSION: passed in the baseline run of {base.get('baseline_started_at')}")
    lines.append(f"{clause['id']} {clause['title']}")
    cause = cause_of(doc).get(clause["id"])
    if cause:
        lines.append(f"Root cause {cause['id']}: {cause_line(cause)}")
    if clause.get("source"):
        lines.append(f"Documented: \"{clause['source']}\" ({clause.get('where', '')})")
    if clause.get("waiver"):
        lines.append(f"Waived until {clause['waiver']['expires']}: {clause['waiver']['reason']}")
    failures = clause.get("failures") or []
    for n, failure in enumerate(failures, 1):
        lines.append("")
        lines.append(f"Failure {n} of {len(failures)}: {jsonish(failure['message'])}")
        if "expected" in failure:
            lines.append(f"  expected: {compact(failure['expected'], 400)}")
        if "actual" in failure:
            lines.append(f"  actual:   {compact(actual_of(failure), 400)}")
        request = failure.get("request")
        if request:
            body = f" {compact(request['body'], 400)}" if request.get("body") is not None else ""
            lines.append(f"  request:  {request['method']} {request['url']}{body}")
        response = failure.get("response")
        if response:
            body = f" {compact(response['body'], 400)}" if response.get("body") is not None else ""
            lines.append(f"  response: {response.get('status')}{body}")
        if failure.get("seed") is not None or failure.get("example"):
            lines.append(f"  seed: {failure.get('seed')}  example: {failure.get('example') or '-'}")
        if failure.get("reproducer"):
            lines.append("  reproduce:")
            lines.append(f"    {failure['reproducer']}")
    return trim("\n".join(lines), _TEXT_LIMIT)


def _first_message(clause: Mapping[str, Any], prefix: str = "") -> str:
    failures = clause.get("failures") or []
    message = jsonish(failures[0]["message"]) if failures else (clause.get("reason") or "contract violated")
    if len(failures) > 1:
        message += f" (+{len(failures) - 1} more)"
    return prefix + message


def _clause_case(doc: Mapping[str, Any], clause: Mapping[str, Any], regressions: set[str]) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": f"sip_profile.{clause['area']}",
        "name": f"{clause['id']} {clause['title']}",
        "time": f"{float(clause.get('duration_s') or 0):.3f}",
    })
    verdict = clause["verdict"]
    reason = clause.get("reason") or ""
    if verdict == "fail":
        regression = clause["id"] in regressions
        el = ET.SubElement(case, "failure", {
            "message": _first_message(clause, "REGRESSION: " if regression else ""),
            "type": "regression" if regression else "contract-violation",
        })
        el.text = _failure_text(doc, clause, regression)
    elif verdict == "waived":
        waiver = clause.get("waiver") or {}
        ET.SubElement(case, "skipped", {
            "message": f"waived until {waiver.get('expires')}: {waiver.get('reason')}"
        }).text = _failure_text(doc, clause, False)
    elif verdict == "skipped":
        ET.SubElement(case, "skipped", {"message": reason or "skipped"})
    elif verdict in ("inconclusive", "error"):
        ET.SubElement(case, "error", {"message": reason or verdict, "type": verdict})
    return case


def _observation_case(obs: Mapping[str, Any], area: str, change: Mapping[str, Any] | None,
                      cause: Mapping[str, Any] | None) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": f"sip_profile.observations.{area}",
        "name": f"{obs['id']} {jsonish(str(obs.get('question', '')))}".strip(),
        "time": "0.000",
    })
    if change is not None:
        before, after = change["before"], change["after"]
        what = "; ".join(f"{p}: {b} -> {a}" for p, b, a in observation_changes(change))
        message = f"observed behaviour changed since the baseline: {what}" + (
            f" (root cause {cause['id']}: {cause['summary']})" if cause else "")
        detail = (f"before: status {before['status']} value {compact(before['value'], 600)}\n"
                  f"after:  status {after['status']} value {compact(after['value'], 600)}")
        if change.get("waived"):
            waiver = change.get("waiver") or {}
            ET.SubElement(case, "skipped", {
                "message": f"drift waived until {waiver.get('expires')}: {waiver.get('reason')}",
            }).text = detail
        else:
            ET.SubElement(case, "failure", {"message": message, "type": "drift"}).text = detail
    out = [f"{obs.get('summary', '')}", f"clause: {obs['clause']}", f"status: {obs.get('status')}",
           f"value: {compact(obs.get('value'), 2000)}"]
    request = obs.get("request")
    if request:
        body = f" {compact(request['body'], 600)}" if request.get("body") is not None else ""
        out.append(f"request: {request['method']} {request['url']}{body}")
    ET.SubElement(case, "system-out").text = "\n".join(out)
    return case


def _suite(name: str, cases: list[ET.Element], doc: Mapping[str, Any], time: float) -> ET.Element:
    suite = ET.Element("testsuite", {
        "name": name,
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)),
        "errors": str(sum(1 for c in cases if c.find("error") is not None)),
        "skipped": str(sum(1 for c in cases if c.find("skipped") is not None)),
        "time": f"{time:.3f}",
        "timestamp": str(doc["run"].get("started_at", "")),
        "hostname": host(doc),
    })
    suite.extend(cases)
    return suite


def _properties(doc: Mapping[str, Any]) -> ET.Element:
    props = ET.Element("properties")
    run = doc["run"]
    base = doc.get("baseline") or {}
    values = {
        "verdict": doc["verdict"], "exit_code": doc["exit_code"], "target": host(doc),
        "target_kind": doc["target"].get("kind"), "profile": run.get("profile"), "seed": run.get("seed"),
        "command": run.get("command"), "requests": doc.get("requests", {}).get("total"),
        "restore": (doc.get("restore") or {}).get("status"), "baseline": base.get("baseline_started_at"),
        "spec_sha256": doc["suite"].get("spec_sha256"), "suite_version": doc["suite"].get("version"),
    }
    found = causes(doc)
    values["root_causes"] = len(found)
    for cause in found:
        values[f"root_cause.{cause['id']}"] = (f"{cause_line(cause)}: "
                                              + ", ".join([*cause["clauses"], *cause["observations"]]))
    for n, warning in enumerate(run_warnings(doc), 1):
        values[f"warning.{n}"] = warning
    values.update(client_properties(doc))
    for name, value in values.items():
        if value is not None:
            ET.SubElement(props, "property", {"name": name, "value": str(value)})
    return props


def write_junit(doc: dict[str, Any], dir: str | Path) -> Path:
    """Write ``junit.xml`` into ``dir``: clauses, observations, and the run's own housekeeping."""
    doc = redact(doc)
    regressions = set(live_regressions(doc))
    clause_cases = [_clause_case(doc, c, regressions) for c in doc["clauses"]]
    clauses_suite = _suite("sip_profile.clauses", clause_cases, doc,
                           sum(float(c.get("duration_s") or 0) for c in doc["clauses"]))
    clauses_suite.insert(0, _properties(doc))

    areas = {c["id"]: c["area"] for c in doc["clauses"]}
    changes = {d["id"]: d for d in drift(doc)}
    explains = cause_of(doc)
    obs_cases = [_observation_case(o, areas.get(o["clause"], "other"), changes.get(o["id"]),
                                   explains.get(o["id"]))
                 for o in doc.get("observations", [])]
    suites = [clauses_suite, _suite("sip_profile.observations", obs_cases, doc, 0.0)]

    restore = doc.get("restore") or {}
    restore_case = ET.Element("testcase", {"classname": "sip_profile.run", "name": "profile restored",
                                           "time": "0.000"})
    if restore.get("status") == "failed":
        ET.SubElement(restore_case, "failure", {
            "message": f"the SIP profile was NOT restored: {restore_subject(doc)}",
            "type": "restore-failed",
        }).text = f"projects: {', '.join(restore.get('projects') or [])}\n{restore.get('detail') or ''}"
    elif restore.get("status") == "not-needed":
        ET.SubElement(restore_case, "skipped", {"message": "no write was made"})
    suites.append(_suite("sip_profile.run", [restore_case], doc, 0.0))
    merged = targets_suite(doc)  # only in a merged report (sip-contracts merge)
    if merged is not None:
        suites.append(merged)
    docs_suite = junit_suite(doc)  # only with run --docs-upstream
    if docs_suite is not None:
        suites.append(docs_suite)

    root = ET.Element("testsuites", {"name": str(doc["suite"].get("name", "sip-profile-contracts"))})
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", f"{float(doc['run'].get('duration_s') or 0):.3f}")
    root.extend(suites)
    ET.indent(root)
    path = Path(dir) / "junit.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
