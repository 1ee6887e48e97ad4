"""The conformance document (``conformance.json``), schema version "1": its JSON schema and loader.

Versioning: additive changes (new optional keys) keep ``"1"``; renaming, removing or retyping a key, or
adding a required one, bumps it. Readers accept unknown keys, so an older reader can open a newer "1".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.report._documentation import SECTION_SCHEMA
from contracts.report._errors import ReportError

__all__ = ["SCHEMA", "SCHEMA_VERSION", "load_conformance", "validate_conformance"]

SCHEMA_VERSION = "1"

CLAUSE_VERDICTS = ["pass", "fail", "inconclusive", "error", "skipped", "waived"]
RUN_VERDICTS = ["pass", "fail", "inconclusive", "error"]

_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_SECONDS = {"type": "number", "minimum": 0}

_HTTP_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["method", "url"],
    "properties": {
        "method": _STR,
        "url": _STR,
        "headers": {"type": "object", "additionalProperties": _STR},
        "body": {},
    },
}
_HTTP_RESPONSE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "status": {"type": ["integer", "null"]},
        "headers": {"type": "object", "additionalProperties": _STR},
        "body": {},
    },
}
_FAILURE: dict[str, Any] = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": _STR,
        "expected": {},
        "actual": {},
        "request": {"oneOf": [_HTTP_REQUEST, {"type": "null"}]},
        "response": {"oneOf": [_HTTP_RESPONSE, {"type": "null"}]},
        "reproducer": _OPT_STR,
        "seed": {"type": ["integer", "null"]},
        "example": _OPT_STR,
    },
}
_WAIVER_REF: dict[str, Any] = {
    "type": "object",
    "required": ["reason", "expires"],
    "properties": {"reason": _STR, "expires": _STR},
}
_CLAUSE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "area", "kind", "verdict"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "title": _STR,
        "area": _STR,
        "kind": {"enum": ["documented", "observed"]},
        "source": _STR,
        "where": _STR,
        "check": _STR,
        "verdict": {"enum": CLAUSE_VERDICTS},
        "reason": _OPT_STR,
        "requests": _COUNT,
        "first_failure_after": {"type": ["integer", "null"], "minimum": 0},
        "duration_s": _SECONDS,
        "failures": {"type": "array", "items": _FAILURE},
        "waiver": {"oneOf": [_WAIVER_REF, {"type": "null"}]},
    },
}
_OBSERVATION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "clause", "status", "value"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "clause": _STR,
        "question": _STR,
        "request": {"oneOf": [_HTTP_REQUEST, {"type": "null"}]},
        "status": {"type": ["integer", "null"]},
        "value": {},
        "summary": _STR,
    },
}

#: JSON schema (draft 2020-12) of a conformance document, version "1".
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "sip-profile-contracts conformance document",
    "type": "object",
    "required": [
        "schema_version", "suite", "target", "run", "requests", "verdict", "exit_code", "counts",
        "clauses", "observations", "restore",
    ],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "suite": {
            "type": "object",
            "required": ["name", "version"],
            "properties": {"name": _STR, "version": _STR, "spec_sha256": _STR},
        },
        "target": {
            "type": "object",
            "required": ["kind", "host"],
            "properties": {"kind": {"enum": ["mock", "http"]}, "host": _STR, "base_url": _STR},
        },
        "run": {
            "type": "object",
            "required": ["started_at"],
            "properties": {
                "seed": {"type": ["integer", "null"]},
                "profile": _STR,
                "started_at": _STR,
                "finished_at": _OPT_STR,
                "duration_s": _SECONDS,
                "writes_allowed": {"type": "boolean"},
                "command": _STR,
            },
        },
        "requests": {
            "type": "object",
            "required": ["total"],
            "properties": {
                "total": _COUNT,
                "by_method": {"type": "object", "additionalProperties": _COUNT},
                "budget": {"type": ["integer", "null"], "minimum": 0},
                "retries": _COUNT,
                "flaky": {"type": "object", "additionalProperties": _COUNT},
            },
        },
        "verdict": {"enum": RUN_VERDICTS},
        "exit_code": {"enum": [0, 1, 2, 3, 4]},
        "counts": {"type": "object", "additionalProperties": _COUNT},
        "clauses": {"type": "array", "items": _CLAUSE},
        "observations": {"type": "array", "items": _OBSERVATION},
        "flakiness": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "count"],
                "properties": {"kind": _STR, "count": _COUNT, "recovered": {"type": "boolean"}},
            },
        },
        "restore": {
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"enum": ["restored", "failed", "not-needed"]},
                "projects": {"type": "array", "items": _STR},
                "detail": _OPT_STR,
            },
        },
        "baseline": {"type": ["object", "null"]},
        "documentation": SECTION_SCHEMA,
        "waivers": {
            "type": "object",
            "properties": {
                "applied": {"type": "array"},
                "expired": {"type": "array"},
                "unused": {"type": "array"},
            },
        },
        "mutants": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["mutant", "verdict"],
                "properties": {
                    "mutant": _STR,
                    "verdict": _STR,
                    "caught_by": {"type": ["array", "string", "null"]},
                    "requests_to_first_failure": {"type": ["integer", "null"]},
                },
            },
        },
    },
}


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def validate_conformance(doc: Any, *, source: str = "conformance document") -> None:
    """Raise :class:`ReportError` naming the first problem if ``doc`` is not a valid version-1 document."""
    import jsonschema  # deferred: only needed when a document is read

    if not isinstance(doc, dict):
        raise ReportError(f"{source}: expected a JSON object, got {type(doc).__name__}")
    version = doc.get("schema_version")
    if version is None:
        raise ReportError(f"{source}: missing key 'schema_version' (is this a conformance.json?)")
    if version != SCHEMA_VERSION:
        raise ReportError(
            f"{source}: schema_version {version!r} is not supported (this tool reads {SCHEMA_VERSION!r})"
        )
    validator = jsonschema.Draft202012Validator(SCHEMA)
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        if error.validator == "required":
            missing = [k for k in error.validator_value if k not in error.instance]
            detail = f"missing key {missing[0]!r}" if missing else error.message
        else:
            detail = error.message
        if len(detail) > 160:
            detail = detail[:157] + "..."
        raise ReportError(f"{source}: invalid at {_where(error.absolute_path)}: {detail}")
    ids = [c["id"] for c in doc["clauses"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ReportError(f"{source}: clause {duplicates[0]} appears more than once")


def normalise(doc: dict[str, Any]) -> dict[str, Any]:
    """Fill the optional keys with their defaults so that every reader sees the same shape."""
    doc.setdefault("flakiness", [])
    doc.setdefault("baseline", None)
    waivers = doc.setdefault("waivers", {})
    for key in ("applied", "expired"):
        waivers.setdefault(key, [])
    for clause in doc["clauses"]:
        clause.setdefault("failures", [])
        clause.setdefault("waiver", None)
    return doc


def load_conformance(path: str | Path) -> dict[str, Any]:
    """Read and validate a conformance.json; raise :class:`ReportError` (one line) when it cannot be used."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise ReportError(f"{p}: is a directory, expected a conformance.json file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{p}: cannot be read ({exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    validate_conformance(doc, source=str(p))
    return normalise(doc)
