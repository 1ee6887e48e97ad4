"""Reading a conformance document: the models of :mod:`contracts.document` validate it on the way in.

``SCHEMA`` is the JSON Schema generated from those models (also printed by ``sip-contracts schema``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contracts.document import SCHEMA_VERSION, Conformance, json_schema
from contracts.report._errors import ReportError

__all__ = ["SCHEMA", "SCHEMA_VERSION", "load_conformance", "validate_conformance"]

#: JSON schema (draft 2020-12) of a conformance document, version "1", generated from the models.
SCHEMA: dict[str, Any] = json_schema()


def _where(path: Sequence[int | str]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    loc = list(error["loc"])
    if error["type"] == "missing":
        detail, loc = f"missing key {loc[-1]!r}", loc[:-1]
    else:
        detail = error["msg"]
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return f"invalid at {_where(loc)}: {detail}"


def validate_conformance(doc: Conformance | Any, *, source: str = "conformance document") -> Conformance:
    """The document as a :class:`Conformance`; :class:`ReportError` naming the first problem if ``doc``
    (a model or plain JSON data) is not a valid version-1 document."""
    if isinstance(doc, Conformance):
        doc = doc.dump()  # re-checked: a model can be changed after it was built
    if not isinstance(doc, Mapping):
        raise ReportError(f"{source}: expected a JSON object, got {type(doc).__name__}")
    version = doc.get("schema_version")
    if version is None:
        raise ReportError(f"{source}: missing key 'schema_version' (is this a conformance.json?)")
    if version != SCHEMA_VERSION:
        raise ReportError(
            f"{source}: schema_version {version!r} is not supported (this tool reads {SCHEMA_VERSION!r})"
        )
    try:
        model = Conformance.model_validate(doc)
    except ValidationError as exc:
        raise ReportError(f"{source}: {_first_problem(exc)}") from None
    ids = [c.id for c in model.clauses]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ReportError(f"{source}: clause {duplicates[0]} appears more than once")
    return model


def load_conformance(path: str | Path) -> Conformance:
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
    return validate_conformance(doc, source=str(p))
