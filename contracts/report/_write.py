"""Write every format at once, and re-render them later from a stored conformance.json."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.document import Conformance
from contracts.report._history import append_history, read_history, row_from_doc
from contracts.report._html import write_html
from contracts.report._json_out import write_json
from contracts.report._junit import write_junit
from contracts.report._markdown import write_markdown
from contracts.report._schema import load_conformance, validate_conformance
from contracts.report._summary import host

__all__ = ["rerender", "write_all"]


def write_all(doc: Conformance | Mapping[str, Any], dir: str | Path, *,
              history: bool = True) -> dict[str, Path]:
    """Write conformance.json, junit.xml, summary.md and report.html into ``dir``.

    Call :func:`finish` first. With ``history`` the run is appended to ``dir/history.sqlite`` and the
    trend chart shows the latest runs against the same host; without it, only this run. Returns the paths
    by format name: ``json``, ``junit``, ``markdown``, ``html`` (and ``history``). Raises
    :class:`ReportError` naming the first problem if ``doc`` does not follow schema "1".
    """
    model = validate_conformance(doc, source="run result")
    data = model.dump()  # the renderers read the plain form
    out = Path(dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": write_json(model, out),
        "junit": write_junit(data, out),
        "markdown": write_markdown(data, out),
    }
    if history:
        rows = append_history(data, out)
        paths["history"] = out / "history.sqlite"
    else:
        rows = [row_from_doc(data)]
    paths["html"] = write_html(data, out, rows)
    return paths


def rerender(conformance_path: str | Path, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Re-render every format from a stored conformance.json, without contacting any target.

    ``out_dir`` defaults to the document's directory. History rows are read (from ``out_dir``, else from
    the document's directory) for the trend chart, never appended. Raises :class:`ReportError` when the
    document cannot be used.
    """
    source = Path(conformance_path)
    model = load_conformance(source)
    doc = model.dump()
    out = Path(out_dir) if out_dir is not None else source.parent
    out.mkdir(parents=True, exist_ok=True)
    rows = read_history(out, host(doc)) or read_history(source.parent, host(doc))
    current = row_from_doc(doc)
    if not any(r["started_at"] == current["started_at"] and r["profile"] == current["profile"] for r in rows):
        rows = sorted([*rows, current], key=lambda r: str(r["started_at"]))
    paths = {
        "json": write_json(model, out),
        "junit": write_junit(doc, out),
        "markdown": write_markdown(doc, out),
        "html": write_html(doc, out, rows),
    }
    return paths
