"""conformance.json: the machine-readable record, in a stable key order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.report._redact import redact

__all__ = ["dumps", "write_json"]

_TOP = ("schema_version", "suite", "target", "run", "requests", "verdict", "exit_code", "counts", "clauses",
        "observations", "flakiness", "restore", "baseline", "waivers", "mutants")
_CLAUSE = ("id", "title", "area", "kind", "source", "where", "check", "verdict", "reason", "requests",
           "first_failure_after", "duration_s", "failures", "waiver")
_FAILURE = ("message", "expected", "actual", "request", "response", "reproducer", "seed", "example")
_OBSERVATION = ("id", "clause", "question", "request", "status", "value", "summary")


def _ordered(obj: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """Known keys in the documented order, then any others alphabetically."""
    out = {k: obj[k] for k in order if k in obj}
    out.update({k: obj[k] for k in sorted(obj) if k not in out})
    return out


def dumps(doc: dict[str, Any]) -> str:
    doc = redact(doc)
    doc["clauses"] = [
        _ordered({**c, "failures": [_ordered(f, _FAILURE) for f in c.get("failures", [])]}, _CLAUSE)
        for c in doc.get("clauses", [])
    ]
    doc["observations"] = [_ordered(o, _OBSERVATION) for o in doc.get("observations", [])]
    return json.dumps(_ordered(doc, _TOP), indent=2, ensure_ascii=False) + "\n"


def write_json(doc: dict[str, Any], dir: str | Path) -> Path:
    """Write ``conformance.json`` into ``dir`` (created if needed) and return its path."""
    path = Path(dir) / "conformance.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(doc), encoding="utf-8")
    return path
