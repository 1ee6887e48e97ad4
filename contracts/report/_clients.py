"""The Clients section: the client matrix (one row per request shape and per client profile) in every
format. A cell is ``✓`` (the canonical answer), what breaks (``GET answers 400``), ``observed: …`` for a
shape whose answer is not asserted, ``not sent`` for a write the run could not send, or ``—`` when the row
has no such request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["COLUMNS", "html_context", "junit_properties", "markdown_lines", "rows"]

#: (key in the document's row, column heading)
COLUMNS = (("get", "GET"), ("valid_put", "valid PUT"), ("invalid_put", "invalid PUT"))
OK = "✓"
_QUIET = (OK, "—")


def rows(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Client profiles first (what users run), then the generic shapes."""
    found = list(doc.get("clients") or [])
    return sorted(found, key=lambda r: r.get("kind") == "shape")


def _broken(row: Mapping[str, Any]) -> bool:
    """A cell that says what breaks (not ✓, —, "observed: …" or "not sent")."""
    return any(not (str(row.get(k)) in _QUIET or str(row.get(k)).startswith(("observed", "not sent")))
               for k, _ in COLUMNS)


def markdown_lines(doc: Mapping[str, Any], text: Callable[..., str], code: Callable[..., str]) -> list[str]:
    found = rows(doc)
    if not found:
        return []
    broken = sum(1 for r in found if _broken(r))
    title = f"{broken} of {len(found)} break" if broken else f"all {len(found)} ✓"
    lines = [f"### Clients ({title})", "",
             "| client or shape | " + " | ".join(h for _, h in COLUMNS) + " |", "|---|---|---|---|"]
    for r in found:
        name = code(r["profile"]) if r.get("kind") == "shape" else f"**{text(r['profile'])}**"
        lines.append(f"| {name} | " + " | ".join(text(r.get(k), 120) for k, _ in COLUMNS) + " |")
    return [*lines, ""]


def html_context(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    found = rows(doc)
    if not found:
        return None
    return {"rows": [{"profile": r["profile"], "kind": r.get("kind", ""), "source": r.get("source") or "",
                      "broken": _broken(r), "cells": [str(r.get(k, "")) for k, _ in COLUMNS]}
                     for r in found],
            "columns": [h for _, h in COLUMNS], "broken": sum(1 for r in found if _broken(r)),
            "total": len(found)}


def junit_properties(doc: Mapping[str, Any]) -> dict[str, str]:
    """``client.<profile>`` = ``GET ✓ · valid PUT ✓ · invalid PUT ✓``."""
    return {f"client.{r['profile']}": " · ".join(f"{h} {r.get(k)}" for k, h in COLUMNS) for r in rows(doc)}
