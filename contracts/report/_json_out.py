"""conformance.json: the machine-readable record, keys in the models' field order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.document import Conformance
from contracts.redact import redact
from contracts.report._schema import validate_conformance

__all__ = ["dumps", "write_json"]


def dumps(doc: Conformance | Mapping[str, Any]) -> str:
    model = doc if isinstance(doc, Conformance) else validate_conformance(doc, source="run result")
    return json.dumps(redact(model.dump()), indent=2, ensure_ascii=False) + "\n"


def write_json(doc: Conformance | Mapping[str, Any], dir: str | Path) -> Path:
    """Write ``conformance.json`` into ``dir`` (created if needed) and return its path."""
    path = Path(dir) / "conformance.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(doc), encoding="utf-8")
    return path
