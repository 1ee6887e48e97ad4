"""summary.md: the CI job summary (GitHub/GitLab). Short: verdict, counts, regressions, failures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.redact import redact
from contracts.report import _clients as clients
from contracts.report import _documentation as documentation
from contracts.report import _targets as targets
from contracts.report._summary import (
    STATUS_WORD,
    actual_of,
    busy_note,
    by_area,
    cause_line,
    cause_of,
    causes,
    compact,
    failing,
    headline,
    host,
    observation_changes,
    plural,
    restore_subject,
    run_warnings,
    server_error_note,
)
from contracts.report._verdict import drift, live_regressions, restore_failed

__all__ = ["render_markdown", "write_markdown"]

#: Failures shown in full (with reproducer); the rest are listed one per line.
MAX_DETAILED = 5
MAX_ROWS = 12

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def text(value: Any, limit: int = 160) -> str:
    """Plain text safe in a Markdown paragraph or table cell."""
    out = _MD_SPECIAL.sub(r"\\\1", compact(value, limit))
    return out.replace("<", "&lt;").replace(">", "&gt;")


def code(value: Any, limit: int = 160) -> str:
    """An inline code span (pipes escaped so it is safe in a table cell)."""
    raw = compact(value, limit).replace("|", "\\|")
    fence = "``" if "`" in raw else "`"
    return f"{fence}{raw}{fence}" if fence == "`" else f"{fence} {raw} {fence}"


def _fenced(body: str, lang: str = "sh") -> list[str]:
    fence = "~~~~" if "```" in body else "```"
    return [f"{fence}{lang}", body, fence]


def _head(doc: Mapping[str, Any]) -> list[str]:
    run, requests = doc["run"], doc.get("requests") or {}
    meta = [
        f"{code(host(doc))} ({doc['target'].get('kind', '?')})",
        f"profile {code(run.get('profile', '?'))}",
        f"seed {code(run.get('seed'))}",
        text(run.get("started_at", "")),
        plural(int(requests.get("total", 0)), "request"),
        f"{float(run.get('duration_s') or 0):.1f} s",
        f"exit {doc['exit_code']}",
    ]
    lines = [f"## SIP profile contracts: {STATUS_WORD[doc['verdict']]}", "",
             f"**{STATUS_WORD[doc['verdict']]}**: {text(headline(doc), 400)}", "", " · ".join(meta), ""]
    for warning in run_warnings(doc):
        lines += [f"> **WARNING:** {text(warning, 400)}", ""]
    if restore_failed(doc):
        restore = doc.get("restore") or {}
        lines += [f"> **WARNING: the SIP profile was NOT restored** on "
                  f"{text(', '.join(restore.get('projects') or []) or 'the project')}: "
                  f"{text(restore.get('detail') or 'see report.html', 300)}; {text(restore_subject(doc))}. "
                  "Restore it before the next run.", ""]
    for warning in (doc.get("baseline") or {}).get("warnings", []):
        lines += [f"> **Baseline warning:** {text(warning, 300)}", ""]
    for w in (doc.get("waivers") or {}).get("expired", []):
        lines += [f"> **Expired waiver:** {code(w['id'])} expired {text(w['expires'])} "
                  f"({text(w['reason'], 120)}); it no longer applies.", ""]
    counts = doc["counts"]
    keys = ("pass", "fail", "waived", "skipped", "inconclusive", "error")
    lines += ["| " + " | ".join(keys) + " |", "|" + "---:|" * len(keys),
              "| " + " | ".join(str(counts.get(k, 0)) for k in keys) + " |", ""]
    return lines


def _causes(doc: Mapping[str, Any]) -> list[str]:
    found = causes(doc)
    if not found:
        return []
    lines = [f"### {plural(len(found), 'root cause')}", ""]
    for c in found[:MAX_DETAILED]:
        ids = [*(c.get("clauses") or []), *(c.get("observations") or [])]
        shown = ", ".join(code(i) for i in ids[:MAX_ROWS]) + (f", … {len(ids) - MAX_ROWS} more"
                                                              if len(ids) > MAX_ROWS else "")
        lines += [f"- **{text(c['id'])}: {text(cause_line(c), 300)}** — {shown}"]
    if len(found) > MAX_DETAILED:
        rest = found[MAX_DETAILED:]
        lines.append(f"- … {len(rest)} more, explaining "
                     f"{plural(sum(len(c['clauses']) + len(c['observations']) for c in rest), 'finding')} "
                     "(report.html lists them)")
    return [*lines, ""]


def _drift_cell(values: list[str]) -> str:
    return "<br>".join(values)


def _regressions(doc: Mapping[str, Any]) -> list[str]:
    base = doc.get("baseline")
    if not base:
        return []
    clauses = {c["id"]: c for c in doc["clauses"]}
    regressions, changed = live_regressions(doc), drift(doc)
    cause = cause_of(doc)
    fixed = base["clauses"].get("fixed", [])
    lines = [f"### Regressions and drift since the baseline ({text(base.get('baseline_started_at'))}, "
             f"{code(base.get('baseline_target'))})", ""]
    if not regressions and not changed:
        lines += ["No regression and no drift.", ""]
    if regressions:
        lines += ["| regression | cause | title | first failure |", "|---|---|---|---|"]
        for cid in regressions[:MAX_ROWS]:
            c = clauses[cid]
            first = (c.get("failures") or [{}])[0].get("message", c.get("reason") or "")
            lines.append(f"| **{text(cid)}** | {text(cause.get(cid, {}).get('id', ''))} | "
                         f"{text(c['title'], 90)} | {text(first, 90)} |")
        if len(regressions) > MAX_ROWS:
            lines.append(f"| … | | {len(regressions) - MAX_ROWS} more in report.html | |")
        lines.append("")
    if changed:
        explained = all(d["id"] in cause for d in changed)
        if explained:  # each row is already said by its root cause: keep the failures in view
            lines += [f"<details><summary>{plural(len(changed), 'changed observation')} "
                      "(each explained by a root cause above)</summary>", ""]
        lines += ["| drifted observation | cause | what changed | before | after |", "|---|---|---|---|---|"]
        for d in changed[:MAX_ROWS]:
            name = f"**{text(d['id'])}**" + (" (waived)" if d.get("waived") else "")
            diff = observation_changes(d)
            lines.append(f"| {name} | {text(cause.get(d['id'], {}).get('id', ''))} | "
                         f"{_drift_cell([text(p_) for p_, _, _ in diff])} | "
                         f"{_drift_cell([code(b, 60) for _, b, _ in diff])} | "
                         f"{_drift_cell([code(a, 60) for _, _, a in diff])} |")
        if len(changed) > MAX_ROWS:
            lines.append(f"| … | | {len(changed) - MAX_ROWS} more in report.html | | |")
        lines.append("")
        if explained:
            lines += ["</details>", ""]
    if fixed:
        lines += [f"Fixed since the baseline: {', '.join(code(f) for f in fixed)}", ""]
    return lines


def _failures(doc: Mapping[str, Any]) -> list[str]:
    fails = failing(doc)
    if not fails:
        return []
    regressions = set(live_regressions(doc))
    cause = cause_of(doc)
    lines = [f"### Failures ({len(fails)})", ""]
    for c in fails[:MAX_DETAILED]:
        tag = " (REGRESSION)" if c["id"] in regressions else ""
        lines += [f"#### {text(c['id'])}: {text(c['title'], 120)}{tag}", ""]
        if c["id"] in cause:
            lines += [f"Root cause {text(cause[c['id']]['id'])}: {text(cause[c['id']]['summary'], 200)}", ""]
        if c.get("source"):
            lines += [f"> {text(c['source'], 300)} ({text(c.get('where', ''))})", ""]
        failures = c.get("failures") or []
        if not failures:
            lines += [text(c.get("reason") or "no detail recorded", 300), ""]
            continue
        f = failures[0]
        lines.append(f"- {text(f['message'], 200)}")
        if "expected" in f:
            lines.append(f"- expected: {code(f['expected'], 140)}")
        if "actual" in f:
            lines.append(f"- actual: {code(actual_of(f), 140)}")
        if len(failures) > 1:
            lines.append(f"- {len(failures) - 1} more failing example(s) in report.html")
        lines.append("")
        if f.get("reproducer"):
            lines += [*_fenced(str(f["reproducer"])), ""]
    rest = fails[MAX_DETAILED:]
    if rest:
        lines += [f"Also failing: {', '.join(code(c['id']) for c in rest)} (details in report.html)", ""]
    return lines


def _areas(doc: Mapping[str, Any]) -> list[str]:
    keys = ("pass", "fail", "waived", "skipped")
    lines = ["### By area", "", "| area | " + " | ".join(keys) + " | other |", "|---|" + "---:|" * 5]
    for area, clauses in by_area(doc["clauses"]):
        n = [sum(1 for c in clauses if c["verdict"] == k) for k in keys]
        lines.append(f"| {text(area)} | " + " | ".join(map(str, n)) + f" | {len(clauses) - sum(n)} |")
    return [*lines, ""]


def _footer(doc: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    restore = doc.get("restore") or {}
    flaky = {k: v for k, v in ((doc.get("requests") or {}).get("flaky") or {}).items() if v}
    lines.append(f"Profile restore: **{text(restore.get('status', 'unknown'))}**"
                 + (f" · transient faults retried: {text(', '.join(f'{k}×{v}' for k, v in flaky.items()))}"
                    if flaky else ""))
    lines += [f"\nRun health: {text(note)}" for note in (server_error_note(doc) or "no server error (5xx)",
                                                         busy_note(doc)) if note]
    applied = (doc.get("waivers") or {}).get("applied", [])
    if applied:
        lines.append("")
        lines.append("Waivers applied: " + ", ".join(f"{code(w['id'])} (until {text(w['expires'])})"
                                                     for w in applied))
    command = doc["run"].get("command")
    lines += ["", "Full report with request/response detail: `report.html`"
              + (f" · re-run: {code(command, 200)}" if command else "")]
    return lines


def render_markdown(doc: dict[str, Any]) -> str:
    doc = redact(doc)
    lines = (_head(doc) + targets.markdown_lines(doc, text, code) + _causes(doc) + _regressions(doc)
             + _failures(doc) + clients.markdown_lines(doc, text, code) + _areas(doc)
             + documentation.markdown_lines(doc, text, code) + _footer(doc))
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(doc: dict[str, Any], dir: str | Path) -> Path:
    """Write ``summary.md`` into ``dir`` (append it to ``$GITHUB_STEP_SUMMARY`` in CI)."""
    path = Path(dir) / "summary.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_markdown(doc), encoding="utf-8")
    return path
