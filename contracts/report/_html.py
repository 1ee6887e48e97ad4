"""report.html: one self-contained page (inline CSS and SVG, no JavaScript, nothing fetched)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from contracts.redact import redact
from contracts.report._clients import html_context as clients_context
from contracts.report._diff import diff_lines
from contracts.report._documentation import html_context
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
    jsonish,
    observation_changes,
    plural,
    pretty,
    restore_subject,
    run_warnings,
    server_error_note,
    trim,
)
from contracts.report._svg import trend_svg
from contracts.report._targets import html_context as targets_context
from contracts.report._verdict import drift, live_regressions, restore_failed

__all__ = ["render_html", "write_html"]

BODY_LIMIT = 3000
_COUNT_ORDER = ("pass", "fail", "waived", "skipped", "inconclusive", "error")


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("contracts.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _http_request(request: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not request:
        return None
    body = request.get("body")
    return {
        "method": request.get("method", ""),
        "url": request.get("url", ""),
        "headers": sorted((request.get("headers") or {}).items()),
        "body": None if body is None else trim(pretty(body), BODY_LIMIT),
    }


def _http_response(response: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not response:
        return None
    body = response.get("body")
    text = None if body is None else pretty(body)
    return {
        "status": response.get("status"),
        "headers": sorted((response.get("headers") or {}).items()),
        "body": None if text is None else trim(text, BODY_LIMIT),
        "trimmed": text is not None and len(text) > BODY_LIMIT,
    }


def _show(value: Any) -> str:
    return "—" if value is None else pretty(value)


def _failure(f: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "message": jsonish(str(f.get("message", ""))),
        "has_expected": "expected" in f or "actual" in f,
        "expected": _show(f.get("expected")),
        "actual": _show(actual_of(f)),
        "diff": diff_lines(f.get("expected"), f.get("actual")),
        "request": _http_request(f.get("request")),
        "response": _http_response(f.get("response")),
        "reproducer": f.get("reproducer") or "",
        "seed": f.get("seed"),
        "example": compact(f.get("example"), 400) if f.get("example") else "",
    }


def _card(clause: Mapping[str, Any], *, regression: bool, new: bool,
          cause: Mapping[str, Any] | None = None) -> dict[str, Any]:
    failures = [_failure(f) for f in clause.get("failures") or []]
    return {
        "id": clause["id"], "title": clause["title"], "area": clause["area"], "kind": clause["kind"],
        "source": clause.get("source") or "", "where": clause.get("where") or "",
        "check": clause.get("check") or "", "reason": clause.get("reason") or "",
        "regression": regression, "new": new, "waiver": clause.get("waiver"),
        "requests": clause.get("requests"), "first_failure_after": clause.get("first_failure_after"),
        "first": failures[0] if failures else None, "more": failures[1:],
        "cause": {"id": cause["id"], "summary": cause["summary"]} if cause else None,
    }


def _meta(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    run, requests, suite = doc["run"], doc.get("requests") or {}, doc["suite"]
    budget = requests.get("budget")
    req = f"{requests.get('total', 0)}" + (f" of {budget} budget" if budget else "")
    if requests.get("retries"):
        req += f" · {plural(int(requests['retries']), 'retry', 'retries')}"
    started = str(run.get("started_at", "")).replace("T", " ")
    writes = "" if run.get("writes_allowed", True) else ", read only"
    base = doc.get("baseline")
    meta = [
        ("Target", f"{host(doc)} ({doc['target'].get('kind', '?')})"),
        ("Started (UTC)", started),
        ("Profile", str(run.get("profile", "?")) + writes),
        ("Seed", str(run.get("seed"))),
        ("Requests", req),
        ("Duration", f"{float(run.get('duration_s') or 0):.1f} s"),
        ("Exit code", str(doc["exit_code"])),
        ("Baseline", str(base.get("baseline_started_at")).replace("T", " ") if base else "none"),
    ]
    if suite.get("version"):
        meta.append(("Suite", f"{suite.get('name', '')} {suite['version']}"))
    return meta


def _alerts(doc: Mapping[str, Any]) -> list[dict[str, str]]:
    alerts: list[dict[str, str]] = [{"level": "danger", "title": "Credentials over plain http", "text": w}
                                    for w in run_warnings(doc)]
    if restore_failed(doc):
        restore = doc.get("restore") or {}
        detail = str(restore.get("detail") or "").strip()
        if detail and detail[-1] not in ".!?":
            detail += "."
        alerts.append({
            "level": "danger",
            "title": "The SIP profile was NOT restored",
            "text": f"Project(s) {', '.join(restore.get('projects') or []) or '?'} were left with the "
                    f"suite's test values: {restore_subject(doc)}. {detail} "
                    "Restore the profile before the next run.",
        })
    for warning in (doc.get("baseline") or {}).get("warnings", []):
        alerts.append({"level": "warn", "title": "Baseline warning", "text": warning})
    for w in (doc.get("waivers") or {}).get("expired", []):
        alerts.append({"level": "warn", "title": f"Waiver for {w['id']} expired on {w['expires']}",
                       "text": f"It no longer applies ({w['reason']}). Renew it or fix the cause."})
    return alerts


def _baseline(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    base = doc.get("baseline")
    if not base:
        return None
    clauses = {c["id"]: c for c in doc["clauses"]}
    new = set(base["clauses"].get("new", []))
    cause = cause_of(doc)
    shared = {c["id"] for c in causes(doc)
              if len(c.get("clauses") or []) + len(c.get("observations") or []) > 1}
    regressions = []
    for cid in live_regressions(doc):
        c = clauses[cid]
        first = (c.get("failures") or [{}])[0].get("message") or c.get("reason") or ""
        regressions.append({"id": cid, "title": c["title"], "area": c["area"], "message": jsonish(first),
                            "new": cid in new, "cause": cause.get(cid, {}).get("id", "")})
    changes = [{
        "id": d["id"], "clause": d.get("clause") or "", "question": jsonish(d.get("question") or ""),
        "changes": observation_changes(d),
        "waived": bool(d.get("waived")), "waiver": d.get("waiver"),
        "cause": cause.get(d["id"], {}).get("id", ""),
    } for d in drift(doc)]
    obs = base.get("observations", {})
    return {
        "started_at": str(base.get("baseline_started_at") or "").replace("T", " "),
        "target": base.get("baseline_target") or "",
        "verdict": base.get("baseline_verdict") or "",
        "path": base.get("path") or "",
        "regressions": regressions, "drift": changes,
        # Rows a shared cause already says (not a cause of one finding) need not come before the cards.
        "explained": bool(regressions or changes)
        and all(r["cause"] in shared for r in [*regressions, *changes]),
        "fixed": [(cid, clauses[cid]["title"]) for cid in base["clauses"].get("fixed", []) if cid in clauses],
        "still_failing": base["clauses"].get("still-failing", []),
        "new": base["clauses"].get("new", []), "gone": base["clauses"].get("gone", []),
        "obs_new": obs.get("new", []), "obs_gone": obs.get("gone", []),
    }


def _areas(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    regressions = set(live_regressions(doc))
    cause = cause_of(doc)
    out = []
    for area, clauses in by_area(doc["clauses"]):
        tally: dict[str, int] = {}
        for c in clauses:
            tally[c["verdict"]] = tally.get(c["verdict"], 0) + 1
        rows = [{
            "id": c["id"], "title": c["title"], "kind": c["kind"], "verdict": c["verdict"],
            "regression": c["id"] in regressions, "requests": c.get("requests"),
            "duration": f"{float(c.get('duration_s') or 0):.2f}",
            "linked": bool(c["verdict"] in ("fail", "waived")),
            "note": jsonish(_note(c)),
            "cause": cause.get(c["id"], {}).get("id", ""),
        } for c in clauses]
        summary = ", ".join(f"{n} {v}" for v, n in sorted(tally.items(), key=lambda kv: _ORDER.index(kv[0])))
        out.append({"name": area, "summary": summary, "rows": rows,
                    "worst": next(v for v in _ORDER if v in tally)})
    return out


_ORDER = ["fail", "error", "inconclusive", "waived", "skipped", "pass"]


def _note(c: Mapping[str, Any]) -> str:
    if c["verdict"] == "fail":
        failures = c.get("failures") or []
        note = failures[0]["message"] if failures else (c.get("reason") or "")
        if c.get("first_failure_after") is not None:
            note += f" (after {c['first_failure_after']} requests)"
        return note
    if c["verdict"] == "waived" and c.get("waiver"):
        return f"waived until {c['waiver']['expires']}: {c['waiver']['reason']}"
    return str(c.get("reason") or "")


def _observations(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    base = doc.get("baseline") or {}
    changes = {d["id"]: d for d in drift(doc)}
    cause = cause_of(doc)
    new = set(base.get("observations", {}).get("new", [])) if base else set()
    out = []
    for o in doc.get("observations", []):
        change = changes.get(o["id"])
        if change:
            marker = "waived" if change.get("waived") else "changed"
        else:
            marker = "new" if o["id"] in new else ""
        request = o.get("request") or {}
        out.append({
            "id": o["id"], "clause": o["clause"], "question": jsonish(o.get("question") or ""),
            "summary": jsonish(str(o.get("summary") or "")), "status": o.get("status"),
            "value": trim(json.dumps(o.get("value"), ensure_ascii=False, sort_keys=True), 400),
            "request": (f"{request.get('method', '')} " + (compact(request.get("body"), 200)
                        if request.get("body") is not None else "")).strip(),
            "marker": marker,
            "changes": observation_changes(change) if change else [],
            "cause": cause.get(o["id"], {}).get("id", ""),
        })
    return out


def _health(doc: Mapping[str, Any]) -> dict[str, Any]:
    requests = doc.get("requests") or {}
    restore = doc.get("restore") or {}
    flaky = [(k, v) for k, v in (requests.get("flaky") or {}).items() if v]
    return {
        "restore": restore.get("status", "unknown"),
        "restore_projects": ", ".join(restore.get("projects") or []),
        "restore_detail": restore.get("detail") or "",
        "by_method": sorted((requests.get("by_method") or {}).items()),
        "total": requests.get("total", 0), "budget": requests.get("budget"),
        "retries": requests.get("retries", 0), "flaky": flaky,
        "events": [{"kind": f.get("kind", ""), "count": f.get("count", 0),
                    "recovered": f.get("recovered")} for f in doc.get("flakiness") or []],
        "writes_allowed": doc["run"].get("writes_allowed"),
        "operations": sorted(((doc.get("health") or {}).get("operations") or {}).items()),
        "server_errors": server_error_note(doc), "busy": busy_note(doc),
        "known": doc.get("health") is not None,
    }


def _mutants(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    mutants = doc.get("mutants")
    if mutants is None:
        return None
    rows = []
    for m in mutants:
        caught = m.get("caught_by")
        caught_text = ", ".join(caught) if isinstance(caught, list) else (caught or "")
        killed = str(m.get("verdict", "")).lower() in ("killed", "caught", "detected")
        rows.append({"mutant": m.get("mutant", ""), "verdict": m.get("verdict", ""), "killed": killed,
                     "caught_by": caught_text, "requests": m.get("requests_to_first_failure"),
                     "causes": m.get("causes")})
    return {"rows": rows, "killed": sum(r["killed"] for r in rows), "total": len(rows)}


def context(doc: dict[str, Any], history_rows: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The view model of the page: plain values only, everything the template shows."""
    import markupsafe

    regressions = set(live_regressions(doc))
    base = doc.get("baseline") or {}
    new = set(base.get("clauses", {}).get("new", [])) if base else set()
    explains = cause_of(doc)
    cards = [_card(c, regression=c["id"] in regressions, new=c["id"] in new, cause=explains.get(c["id"]))
             for c in failing(doc)]
    waived = [_card(c, regression=False, new=False) for c in doc["clauses"] if c["verdict"] == "waived"]
    unchecked = [
        {"id": c["id"], "title": c["title"], "verdict": c["verdict"], "reason": c.get("reason") or ""}
        for c in doc["clauses"] if c["verdict"] in ("error", "inconclusive")
    ]
    counts = doc["counts"]
    nav = [("clauses", "Clauses"), ("observations", "Observations"), ("health", "Run health"),
           ("trend", "Trend")]
    if cards or waived or unchecked:
        nav.insert(0, ("failures", f"Failures ({len(cards)})" if cards or waived else
                       f"Not checked ({len(unchecked)})"))
    if doc.get("baseline"):
        nav.insert(0, ("regressions", "Regressions & drift"))
    found = causes(doc)
    if found:
        nav.insert(0, ("causes", f"Root causes ({len(found)})"))
    if doc.get("targets") is not None:
        nav.insert(0, ("targets", f"Targets ({len(doc['targets'])})"))
    matrix = clients_context(doc)
    if matrix is not None:
        nav.append(("clients", f"Clients ({matrix['broken']} break)" if matrix["broken"] else "Clients"))
    if doc.get("mutants") is not None:
        nav.append(("mutants", "Kill matrix"))
    if doc.get("documentation") is not None:
        nav.append(("documentation", "Documentation"))
    return {
        "verdict": doc["verdict"],
        "status_word": STATUS_WORD[doc["verdict"]],
        "headline": headline(doc),
        "host": host(doc),
        "started_at": str(doc["run"].get("started_at", "")),
        "meta": _meta(doc),
        "alerts": _alerts(doc),
        "counts": [(k, counts.get(k, 0)) for k in _COUNT_ORDER],
        "nav": nav,
        "baseline": _baseline(doc),
        "causes": [{"id": c["id"], "summary": c["summary"], "line": cause_line(c),
                    "clauses": c.get("clauses") or [], "observations": c.get("observations") or [],
                    "linked": {cid for cid in c.get("clauses") or [] if cid in {x["id"] for x in cards}}}
                   for c in found],
        "cards": cards, "waived_cards": waived, "unchecked": unchecked,
        "areas": _areas(doc),
        "observations": _observations(doc),
        "health": _health(doc),
        "trend": markupsafe.Markup(trend_svg(history_rows)),
        "history_n": len(history_rows),
        "mutants": _mutants(doc),
        "clients": matrix,
        "documentation": html_context(doc),
        "targets": targets_context(doc),
        "command": doc["run"].get("command") or "",
        "suite": {"name": doc["suite"].get("name", ""), "version": doc["suite"].get("version", ""),
                  "spec_sha256": doc["suite"].get("spec_sha256") or ""},
    }


def render_html(doc: dict[str, Any], history_rows: Sequence[Mapping[str, Any]] = ()) -> str:
    doc = redact(doc)
    template = _environment().get_template("report.html.j2")
    return str(template.render(**context(doc, history_rows)))


def write_html(doc: dict[str, Any], dir: str | Path, history_rows: Sequence[Mapping[str, Any]] = ()) -> Path:
    """Write ``report.html`` into ``dir``; ``history_rows`` (oldest first) feed the trend chart."""
    path = Path(dir) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(doc, history_rows), encoding="utf-8")
    return path
