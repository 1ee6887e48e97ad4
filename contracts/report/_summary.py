"""What every renderer says the same way: the status word, the headline sentence, groupings."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from contracts.report._causes import parse_value, root_causes
from contracts.report._verdict import drift, live_regressions, restore_failed, unwaived_drift

__all__ = [
    "STATUS_WORD",
    "actual_of",
    "busy_note",
    "by_area",
    "cause_line",
    "cause_of",
    "causes",
    "causes_sentence",
    "changes",
    "compact",
    "failing",
    "headline",
    "host",
    "jsonish",
    "observation_changes",
    "plural",
    "pretty",
    "restore_subject",
    "run_warnings",
    "server_error_note",
    "server_errors_seen",
    "trim",
]

STATUS_WORD = {"pass": "PASS", "fail": "FAIL", "inconclusive": "INCONCLUSIVE", "error": "ERROR"}


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def host(doc: Mapping[str, Any]) -> str:
    return str(doc["target"].get("host") or "unknown target")


def failing(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Failing clauses, regressions first, then in document order."""
    regressions = set(live_regressions(doc))
    fails = [c for c in doc["clauses"] if c["verdict"] == "fail"]
    return sorted(fails, key=lambda c: c["id"] not in regressions)


def causes(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's root causes (derived here for a document written before they existed)."""
    stored = doc.get("root_causes")
    return list(stored) if isinstance(stored, list) else root_causes(doc)


def cause_line(cause: Mapping[str, Any]) -> str:
    """'PUT answers 200 instead of 201 — explains 11 clauses and 14 observations'."""
    parts = [plural(len(cause.get("clauses") or []), "clause"),
             plural(len(cause.get("observations") or []), "observation")]
    parts = [p for p in parts if not p.startswith("0 ")]
    return f"{cause['summary']} — explains {' and '.join(parts)}"


def causes_sentence(doc: Mapping[str, Any]) -> str:
    """'1 root cause: PUT answers 200 instead of 201 — explains …' ('' when nothing failed or changed)."""
    found = causes(doc)
    if not found:
        return ""
    return f"{plural(len(found), 'root cause')}: " + "; ".join(cause_line(c) for c in found[:3]) + (
        f"; {len(found) - 3} more" if len(found) > 3 else "")


def cause_of(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Clause or observation ID -> the root cause that explains it."""
    return {fid: c for c in causes(doc)
            for fid in [*(c.get("clauses") or []), *(c.get("observations") or [])]}


def restore_subject(doc: Mapping[str, Any]) -> str:
    """What a failed restore left modified: the embedded mock is not a live project."""
    if doc["target"].get("kind") == "mock":
        return "the embedded mock was left modified (no live project was touched)"
    return "a live project was left modified"


def server_errors_seen(doc: Mapping[str, Any]) -> int:
    """Every 5xx answer of the run (503 without Retry-After included), recovered on replay or not."""
    operations = (doc.get("health") or {}).get("operations") or {}
    return sum(int(o.get("server_errors") or 0) + int(o.get("unavailable") or 0) for o in operations.values())


def server_error_note(doc: Mapping[str, Any]) -> str:
    """'5 server errors (5xx) seen: PUT 5 of 224 (5 recovered on replay)' ('' when none was seen)."""
    operations = (doc.get("health") or {}).get("operations") or {}
    parts = []
    for method, o in operations.items():
        errors, unavailable = int(o.get("server_errors") or 0), int(o.get("unavailable") or 0)
        if not errors + unavailable:
            continue
        statuses = ", ".join(f"{k}×{v}" for k, v in (o.get("by_status") or {}).items())
        text = f"{method} {errors + unavailable} of {o.get('requests', 0)} ({statuses}"
        if unavailable:
            text += f"; {unavailable} of them 503 without Retry-After: busy, never a regression"
        if o.get("recovered"):
            text += f"; {o['recovered']} recovered on replay"
        parts.append(text + ")")
    if not parts:
        return ""
    outside = int((doc.get("health") or {}).get("outside_clauses") or 0)
    restore = f" — {outside} of them to the restore's own requests (not in the rates)" if outside else ""
    return f"{plural(server_errors_seen(doc), 'server error')} (5xx) seen: " + ", ".join(parts) + restore


def busy_note(doc: Mapping[str, Any]) -> str:
    """'busy answers waited on: 429×3, 503 with Retry-After×1' ('' when none)."""
    busy = {k: v for k, v in ((doc.get("health") or {}).get("busy") or {}).items() if v}
    names = {"429": "429", "503-retry-after": "503 with Retry-After"}
    if not busy:
        return ""
    return "busy answers waited on: " + ", ".join(f"{names.get(k, k)}×{v}" for k, v in busy.items())


def run_warnings(doc: Mapping[str, Any]) -> list[str]:
    """Warnings about how the run itself was made, said first in every format (also when it passes: every
    5xx answer of the run is said, recovered on replay or not)."""
    out: list[str] = []
    if server_error_note(doc):
        out.append(server_error_note(doc))
    if doc["target"].get("insecure_http"):
        out.append(f"--insecure-http: Basic credentials were sent over plain http to {host(doc)}, which is "
                   "not loopback; anyone on the path could read them. Rotate the token if the network is "
                   "not trusted.")
    if doc["run"].get("examples_reduced"):
        out.append(f"fewer exploratory examples: {doc['run']['examples_reduced']}")
    return out


def headline(doc: Mapping[str, Any]) -> str:
    """One sentence under the status word: what a QA lead needs to know first."""
    counts = doc["counts"]
    parts: list[str] = []
    if restore_failed(doc):
        projects = ", ".join((doc.get("restore") or {}).get("projects") or []) or "the project"
        parts.append(f"The SIP profile was NOT restored ({projects}): {restore_subject(doc)}.")
    if causes_sentence(doc):
        parts.append(causes_sentence(doc) + ".")
    fails, regressions, changed = counts.get("fail", 0), len(live_regressions(doc)), len(unwaived_drift(doc))
    if fails or changed:
        bits = []
        if fails:
            text = f"{plural(fails, 'clause')} {'fails' if fails == 1 else 'fail'}"
            if regressions:
                text += f" ({regressions} regressed since the baseline)"
            bits.append(text)
        if changed:
            bits.append(f"{plural(changed, 'observed behaviour')} changed since the baseline")
        parts.append("; ".join(bits) + ".")
    elif counts.get("error", 0) or counts.get("inconclusive", 0):
        bits = []
        if counts.get("error", 0):
            bits.append(f"{plural(counts['error'], 'clause')} could not be checked (error)")
        if counts.get("inconclusive", 0):
            bits.append(f"{plural(counts['inconclusive'], 'clause')} inconclusive")
        parts.append("; ".join(bits) + "; nothing failed.")
    elif not counts.get("pass", 0) and not counts.get("waived", 0):
        parts.append("No clause could be checked.")
    else:
        text = f"All {plural(counts.get('pass', 0), 'checked clause')} pass"
        extra = [f"{counts[k]} {k}" for k in ("waived", "skipped") if counts.get(k)]
        parts.append(text + (f" ({', '.join(extra)})" if extra else "") + ".")
    waived_drift = len(drift(doc)) - changed
    if counts.get("waived", 0) and (fails or changed):
        parts.append(f"{plural(counts['waived'], 'waived failure')}.")
    if waived_drift:
        parts.append(f"{plural(waived_drift, 'drifted observation')} waived.")
    return " ".join(parts)


def by_area(clauses: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Clauses grouped by area, areas in the order the document lists them (the catalogue's order: the
    report renders the document and knows no catalogue of its own)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for clause in clauses:
        groups.setdefault(clause["area"], []).append(clause)
    return list(groups.items())


_PY_LITERAL = re.compile(r"\[[^\[\]]*\]|\{[^{}]*\}|\bNone\b|\bTrue\b|\bFalse\b")


def jsonish(text: str) -> str:
    """A message in JSON notation: Python literals that clauses quote (``['OPUS']``, ``None``) become JSON."""
    def convert(match: re.Match[str]) -> str:
        if match.group(0)[0] in "[{":
            try:
                json.loads(match.group(0))
                return match.group(0)  # already JSON: left exactly as written
            except ValueError:
                pass
        parsed = parse_value(match.group(0)) if match.group(0)[0] in "[{" else \
            {"None": None, "True": True, "False": False}[match.group(0)]
        if isinstance(parsed, str) and parsed == match.group(0):
            return parsed
        return json.dumps(parsed, ensure_ascii=False)
    return _PY_LITERAL.sub(convert, text)


def compact(value: Any, limit: int = 160) -> str:
    """A value on one line: strings as they are (Python literals as JSON), the rest compact JSON; trimmed."""
    parsed = parse_value(value)
    if isinstance(parsed, str):
        text = jsonish(parsed)
    else:
        text = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
    return trim(" ".join(text.split()), limit)


def pretty(value: Any) -> str:
    """A value for a <pre>: JSON pretty-printed, strings that hold JSON (or a Python literal) too."""
    parsed = parse_value(value)
    if isinstance(parsed, str):
        return jsonish(parsed)
    if not isinstance(parsed, (dict, list)) and isinstance(value, str):
        return value
    return json.dumps(parsed, indent=2, ensure_ascii=False, sort_keys=False)


def actual_of(failure: Mapping[str, Any]) -> Any:
    """A failure's ``actual``, with an ellipsis where a check cut the answer's body short (the whole body
    is the failure's response)."""
    actual = failure.get("actual")
    body = (failure.get("response") or {}).get("body")
    if not (isinstance(actual, str) and isinstance(body, str)):
        return actual
    for cut in range(min(len(body) - 1, len(actual)), 40, -1):
        if actual.endswith(body[:cut]):
            return actual + "…"
    return actual


def changes(before: Any, after: Any, path: str = "") -> list[tuple[str, str, str]]:
    """Where two observed values differ: (path, before, after) in compact JSON; never identical texts."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[tuple[str, str, str]] = []
        for key in [*before, *(k for k in after if k not in before)]:
            missing = "(absent)"
            b = compact(before[key], 80) if key in before else missing
            a = compact(after[key], 80) if key in after else missing
            if key in before and key in after:
                out += changes(before[key], after[key], f"{path}.{key}" if path else str(key))
            elif b != a:
                out.append((f"{path}.{key}" if path else str(key), b, a))
        return out
    if before == after:
        return []
    return [(path or "value", compact(before, 80), compact(after, 80))]


def observation_changes(change: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """What changed in a drifted observation; a status repeated inside the value is said once."""
    before, after = change.get("before") or {}, change.get("after") or {}
    found = changes({"status": before.get("status"), "value": before.get("value")},
                    {"status": after.get("status"), "value": after.get("value")})
    status = [(b, a) for p, b, a in found if p == "status"]
    return [(p, b, a) for p, b, a in found if not (p == "value.status" and status == [(b, a)])]


def trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
