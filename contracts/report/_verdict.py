"""Finishing a run document: baseline comparison, waivers, root causes, then counts, verdict and exit code.

:func:`finish` is the one way every path (``sip-contracts run``, the kill matrix, the tests) finishes a
document. The verdict rules themselves live beside the models (:func:`contracts.document.judge`), so the
runner can judge a document it builds without importing the report.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from contracts.document import Conformance, drift, judge, live_regressions, restore_failed, unwaived_drift
from contracts.report._baseline import compare_baseline
from contracts.report._schema import validate_conformance
from contracts.report._waivers import Waiver, apply_waivers

__all__ = ["drift", "finalize", "finish", "live_regressions", "restore_failed", "unwaived_drift"]


def _root_causes(doc: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The root-cause grouping of ``contracts.report._causes``, if that module is installed."""
    try:
        causes = importlib.import_module("contracts.report._causes")
    except ModuleNotFoundError as exc:
        if exc.name != "contracts.report._causes":
            raise
        return None
    group = getattr(causes, "root_causes", None)
    return list(group(doc)) if callable(group) else None


def finalize(doc: dict[str, Any]) -> None:
    """Group root causes and recompute ``counts``, ``verdict`` and ``exit_code`` of a plain document, in
    place (the last step of :func:`finish`; rules: :func:`contracts.document.judge`)."""
    grouped = _root_causes(doc)
    if grouped is not None:
        doc["root_causes"] = grouped
    doc["counts"], doc["verdict"], code = judge(doc)
    doc["exit_code"] = int(code)


def finish(doc: Conformance | Mapping[str, Any], *, baseline: Conformance | Mapping[str, Any] | None = None,
           baseline_path: str | Path | None = None, waivers: Iterable[Waiver] = (),
           today: dt.date | None = None) -> Conformance:
    """The finished document: compared with ``baseline`` (if any), ``waivers`` applied as of ``today``
    (default: today), root causes grouped, counts, verdict and exit code computed.

    Raises :class:`ReportError` naming the first problem if ``doc`` or ``baseline`` is not a valid
    version-1 document.
    """
    data = validate_conformance(doc, source="run result").dump()
    if baseline is not None:
        base = validate_conformance(baseline, source="baseline").dump()
        compare_baseline(data, base, path=baseline_path)
    apply_waivers(data, list(waivers), today or dt.date.today())
    finalize(data)
    return validate_conformance(data, source="run result")
