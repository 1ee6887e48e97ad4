"""Expected versus actual: a unified diff of pretty JSON when both sides are structured."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

__all__ = ["DiffLine", "diff_lines"]


@dataclass(frozen=True)
class DiffLine:
    kind: str  #: "same", "add", "del" or "hunk"
    text: str


def _structured(value: Any) -> Any | None:
    if isinstance(value, (dict, list)):
        return value
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, (dict, list)) else None
    return None


def diff_lines(expected: Any, actual: Any, *, context: int = 3) -> list[DiffLine]:
    """Unified diff lines (expected -> actual) when both are JSON objects/arrays and differ, else []."""
    left, right = _structured(expected), _structured(actual)
    if left is None or right is None or left == right:
        return []
    a = json.dumps(left, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
    b = json.dumps(right, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
    out: list[DiffLine] = []
    for line in difflib.unified_diff(a, b, "expected", "actual", n=context, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "add", "-": "del"}.get(line[:1], "same")
        out.append(DiffLine(kind, line))
    return out
