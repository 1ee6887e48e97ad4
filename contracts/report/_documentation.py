"""The optional ``documentation`` section (``sip-contracts run --docs-upstream``) in every format.

It is informational: the run's verdict and exit code never depend on it (``docs-diff`` has its own exit
code in the nightly workflow). Shape: :class:`contracts.document.Documentation`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

__all__ = ["html_context", "junit_suite", "markdown_lines"]

_HEADLINE = {
    "ok": "the fragment matches SignalWire's published description (every difference is known)",
    "stale": "the fragment is stale against SignalWire's published description",
    "malformed": "the published description could not be read",
    "unavailable": "the published description was unavailable (not a failure of the run)",
}


def _section(doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
    section = doc.get("documentation")
    return section if isinstance(section, Mapping) else None


def headline(section: Mapping[str, Any]) -> str:
    counts = section.get("counts") or {}
    text = _HEADLINE.get(str(section.get("status")), str(section.get("status")))
    if section.get("status") in ("ok", "stale"):
        text += f": {counts.get('stale', 0)} stale, {counts.get('known', 0)} known"
    return text


def markdown_lines(doc: Mapping[str, Any], text: Any, code: Any) -> list[str]:
    """summary.md lines (``text``/``code`` are the Markdown module's escapers)."""
    section = _section(doc)
    if section is None:
        return []
    lines = ["### Documentation", "", f"**{text(headline(section), 300)}** — {code(section['upstream'], 120)}"
             + (f" (fetched {text(section['fetched_at'])})" if section.get("fetched_at") else ""), ""]
    if section.get("message"):
        lines += [f"> {text(section['message'], 300)}", ""]
    rows = section.get("differences") or []
    if rows:
        lines += ["| difference | status | upstream | fragment | why known / note |", "|---|---|---|---|---|"]
        lines += [f"| {code(d['id'], 80)} | {'**stale**' if d['status'] == 'stale' else 'known'} | "
                  f"{code(d['upstream'], 80)} | {code(d['fragment'], 80)} | "
                  f"{text(d.get('reason', ''), 160)} |"
                  for d in rows]
        lines.append("")
    return lines


def junit_suite(doc: Mapping[str, Any]) -> ET.Element | None:
    """A ``sip_profile.documentation`` testsuite: one testcase per difference (stale = failure)."""
    section = _section(doc)
    if section is None:
        return None
    cases = []
    for d in section.get("differences") or []:
        case = ET.Element("testcase", {"classname": "sip_profile.documentation", "name": str(d["id"]),
                                       "time": "0.000"})
        detail = (f"{d.get('what', '')}\nupstream: {d['upstream']}\nfragment: {d['fragment']}\n"
                  f"{d.get('reason', '')}")
        if d["status"] == "stale":
            ET.SubElement(case, "failure", {"message": f"stale: {d.get('what', d['id'])}",
                                            "type": "documentation-drift"}).text = detail
        else:
            ET.SubElement(case, "system-out").text = f"known: {detail}"
        cases.append(case)
    if section.get("status") in ("malformed", "unavailable"):
        case = ET.Element("testcase", {"classname": "sip_profile.documentation", "name": "upstream",
                                       "time": "0.000"})
        ET.SubElement(case, "skipped", {"message": str(section.get("message") or section["status"])})
        cases.append(case)
    suite = ET.Element("testsuite", {
        "name": "sip_profile.documentation", "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)), "errors": "0",
        "skipped": str(sum(1 for c in cases if c.find("skipped") is not None)), "time": "0.000",
    })
    props = ET.SubElement(suite, "properties")
    for key in ("status", "upstream", "source", "fetched_at", "sha256"):
        if section.get(key) is not None:
            ET.SubElement(props, "property", {"name": f"documentation.{key}", "value": str(section[key])})
    suite.extend(cases)
    return suite


def html_context(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    section = _section(doc)
    if section is None:
        return None
    return {"headline": headline(section), "status": section.get("status"), "upstream": section["upstream"],
            "fetched_at": section.get("fetched_at") or "", "source": section.get("source") or "",
            "message": section.get("message") or "", "rows": list(section.get("differences") or [])}
