"""The report layer: read, compare, waive, judge and render a run's conformance document.

The runner builds a :class:`contracts.document.Conformance` (schema version "1", the models are its one
description); every path then calls::

    doc = finish(doc, baseline=load_conformance(baseline_path), baseline_path=baseline_path,
                 waivers=load_waivers(waiver_path, known_ids))
    write_all(doc, report_dir)          # conformance.json, junit.xml, summary.md, report.html
    return doc.exit_code

Every input problem is a :class:`ReportError` with a one-line message (exit status 2).
"""

from __future__ import annotations

from contracts.redact import redact
from contracts.report._baseline import compare_baseline
from contracts.report._errors import ReportError
from contracts.report._history import append_history, read_history
from contracts.report._html import write_html
from contracts.report._json_out import write_json
from contracts.report._junit import write_junit
from contracts.report._markdown import write_markdown
from contracts.report._schema import SCHEMA, SCHEMA_VERSION, load_conformance, validate_conformance
from contracts.report._verdict import finish
from contracts.report._waivers import Waiver, apply_waivers, load_waivers
from contracts.report._write import rerender, write_all

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "ReportError",
    "Waiver",
    "append_history",
    "apply_waivers",
    "compare_baseline",
    "finish",
    "load_conformance",
    "load_waivers",
    "read_history",
    "redact",
    "rerender",
    "validate_conformance",
    "write_all",
    "write_html",
    "write_json",
    "write_junit",
    "write_markdown",
]
