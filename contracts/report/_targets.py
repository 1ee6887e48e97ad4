"""The optional ``targets`` table of a merged report (``sip-contracts merge``) in every format.

One row per run: its name, host, verdict, exit code, counts and failing clauses. Shape:
:class:`contracts.document.TargetRow`. conformance.json carries it as data; this module renders it for
summary.md, junit.xml and report.html.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

__all__ = ["html_context", "junit_suite", "markdown_lines"]

SUITE = "sip_profile.targets"


def _rows(doc: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    rows = doc.get("targets")
    return rows if isinstance(rows, list) else None


def _counts(row: Mapping[str, Any]) -> str:
    counts = row.get("counts") or {}
    order = ("pass", "fail", "inconclusive", "error", "skipped", "waived")
    return ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))


def markdown_lines(doc: Mapping[str, Any], text: Any, code: Any) -> list[str]:
    """summary.md lines (``text``/``code`` are the Markdown module's escapers)."""
    rows = _rows(doc)
    if rows is None:
        return []
    lines = ["### Targets", "", "| target | host | verdict | exit | clauses | failing | restore |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {code(r['name'], 80)} | {code(r['host'], 80)} | **{text(r['verdict'])}** | "
              f"{r['exit_code']} | {text(_counts(r))} | "
              f"{', '.join(code(c, 40) for c in r.get('failing') or []) or '—'} | "
              f"{text(r.get('restore') or '')} |" for r in rows]
    return [*lines, ""]


def junit_suite(doc: Mapping[str, Any]) -> ET.Element | None:
    """A ``sip_profile.targets`` testsuite: one testcase per run (failure unless its exit code is 0)."""
    rows = _rows(doc)
    if rows is None:
        return None
    cases = []
    for r in rows:
        case = ET.Element("testcase", {"classname": SUITE, "name": str(r["name"]), "time": "0.000"})
        detail = (f"host: {r['host']}\nverdict: {r['verdict']} (exit code {r['exit_code']})\n"
                  f"clauses: {_counts(r)}\nfailing: {', '.join(r.get('failing') or []) or 'none'}\n"
                  f"restore: {r.get('restore')}")
        if r["verdict"] in ("inconclusive",):
            ET.SubElement(case, "skipped", {"message": f"{r['name']}: inconclusive"}).text = detail
        elif int(r["exit_code"]) != 0:
            ET.SubElement(case, "failure", {"message": f"{r['name']}: {r['verdict']} (exit {r['exit_code']})",
                                            "type": "target-verdict"}).text = detail
        else:
            ET.SubElement(case, "system-out").text = detail
        cases.append(case)
    return _with(cases)


def _with(cases: list[ET.Element]) -> ET.Element:
    suite = ET.Element("testsuite", {
        "name": SUITE, "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)), "errors": "0",
        "skipped": str(sum(1 for c in cases if c.find("skipped") is not None)), "time": "0.000",
    })
    suite.extend(cases)
    return suite


def html_context(doc: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The rows report.html shows (None: not a merged report)."""
    rows = _rows(doc)
    if rows is None:
        return None
    return [{"name": r["name"], "host": r["host"], "verdict": r["verdict"], "exit_code": r["exit_code"],
             "counts": _counts(r), "failing": list(r.get("failing") or []), "restore": r.get("restore") or ""}
            for r in rows]
