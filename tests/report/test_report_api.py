from __future__ import annotations

import contracts.report as report


def test_public_names_stay_exactly_these() -> None:
    assert sorted(report.__all__) == [
        "ReportError", "SCHEMA", "SCHEMA_VERSION", "Waiver", "append_history", "apply_waivers",
        "compare_baseline", "finish", "load_conformance", "load_waivers", "read_history", "redact",
        "rerender", "validate_conformance", "write_all", "write_html", "write_json", "write_junit",
        "write_markdown",
    ]
    for name in report.__all__:
        assert getattr(report, name) is not None


def test_templates_ship_as_package_data() -> None:
    from importlib import resources

    templates = resources.files("contracts.report") / "templates"
    assert {"report.html.j2", "_macros.html.j2", "_style.css"} <= {p.name for p in templates.iterdir()}
