"""What every renderer says the same way: the status word, the headline sentence, groupings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from contracts.catalogue import AREAS
from contracts.report._verdict import drift, live_regressions, restore_failed, unwaived_drift

__all__ = [
    "STATUS_WORD", "by_area", "compact", "failing", "headline", "host", "plural", "pretty", "trim",
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


def headline(doc: Mapping[str, Any]) -> str:
    """One sentence under the status word: what a QA lead needs to know first."""
    counts = doc["counts"]
    parts: list[str] = []
    if restore_failed(doc):
        projects = ", ".join((doc.get("restore") or {}).get("projects") or []) or "the project"
        parts.append(f"The SIP profile was NOT restored ({projects}): a live project was left modified.")
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
    """Clauses grouped by area, in catalogue order of areas; unknown areas last, alphabetically."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for clause in clauses:
        groups.setdefault(clause["area"], []).append(clause)
    order = [a for a in AREAS if a in groups] + sorted(a for a in groups if a not in AREAS)
    return [(area, groups[area]) for area in order]


def compact(value: Any, limit: int = 160) -> str:
    """A value on one line: strings as they are, everything else as compact JSON; trimmed."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return trim(" ".join(text.split()), limit)


def pretty(value: Any) -> str:
    """A value for a <pre>: JSON pretty-printed, strings that hold JSON too."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if not isinstance(parsed, (dict, list)):
            return value
        value = parsed
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


def trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
