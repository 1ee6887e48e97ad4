from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from contracts.report import append_history, finish, read_history, rerender, write_all
from contracts.report._svg import trend_svg

from . import _factory as F
from ._html import Page


def _run(day: int, host: str = "127.0.0.1:8080", **kw: Any) -> dict[str, Any]:
    d = F.doc(started_at=f"2025-01-{day:02d}T02:00:00Z", host=host, **kw)
    d = finish(d).dump()
    return d


def test_append_returns_the_runs_of_the_same_host_oldest_first(tmp_path: Path) -> None:
    append_history(_run(2), tmp_path)
    append_history(_run(1, verdicts={"SP-CODEC-003": "fail"}), tmp_path)
    append_history(_run(3, host="other.signalwire.com"), tmp_path)
    rows = append_history(_run(4), tmp_path)
    assert [r["started_at"][:10] for r in rows] == ["2025-01-01", "2025-01-02", "2025-01-04"]
    assert rows[0]["verdict"] == "fail" and rows[0]["counts"]["fail"] == 1
    assert set(rows[0]) == {"started_at", "host", "profile", "verdict", "counts", "requests", "duration_s"}
    assert rows[-1]["requests"] == 212 and rows[-1]["duration_s"] == 12.3


def test_history_keeps_the_latest_50(tmp_path: Path) -> None:
    for n in range(55):
        d = _run(1)
        d["run"]["started_at"] = f"2025-01-01T00:{n:02d}:00Z"
        rows = append_history(d, tmp_path)
    assert len(rows) == 50
    assert rows[0]["started_at"] == "2025-01-01T00:05:00Z"
    assert rows[-1]["started_at"] == "2025-01-01T00:54:00Z"


def test_recording_the_same_run_twice_keeps_one_row(tmp_path: Path) -> None:
    append_history(_run(1), tmp_path)
    assert len(append_history(_run(1), tmp_path)) == 1


def test_read_history_never_creates_the_file(tmp_path: Path) -> None:
    assert read_history(tmp_path, "127.0.0.1:8080") == []
    assert not (tmp_path / "history.sqlite").exists()


def test_rerender_reads_history_but_does_not_append(tmp_path: Path) -> None:
    for day in (1, 2):
        write_all(_run(day), tmp_path)
    latest = _run(3, verdicts={"SP-CODEC-003": "fail"})
    stored = tmp_path / "stored"
    stored.mkdir()
    (stored / "conformance.json").write_text(json.dumps(latest))
    paths = rerender(stored / "conformance.json", tmp_path)
    assert set(paths) == {"json", "junit", "markdown", "html"}
    with sqlite3.connect(tmp_path / "history.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone() == (2,)
    html = paths["html"].read_text()
    assert "Last 3 runs against 127.0.0.1:8080" in html  # two stored + the re-rendered one
    assert json.loads(paths["json"].read_text())["verdict"] == "fail"


def test_rerender_in_place(tmp_path: Path) -> None:
    write_all(_run(1), tmp_path)
    before = (tmp_path / "conformance.json").read_text()
    paths = rerender(tmp_path / "conformance.json")
    assert paths["json"].read_text() == before
    assert "Last 1 run against" in paths["html"].read_text()


def test_trend_chart_with_zero_one_and_many_rows() -> None:
    assert trend_svg([]) == ""
    rows = [{"started_at": "2025-01-01T02:00:00Z", "verdict": "pass", "requests": 1, "duration_s": 0,
             "counts": {"pass": 0, "fail": 0}}]
    one = trend_svg(rows)
    assert one.startswith("<svg") and "<polyline" not in one
    Page(one)
    many = trend_svg(rows * 30)
    assert many.count("<g>") == 30 and "<polyline" in many


def test_trend_chart_escapes_its_labels() -> None:
    rows = [{"started_at": "<x>", "verdict": "<b>", "requests": 1, "duration_s": 1.0, "counts": {"pass": 1}}]
    assert "<x>" not in trend_svg(rows) and "<b>" not in trend_svg(rows)


def test_html_without_history_says_so(tmp_path: Path) -> None:
    from contracts.report import write_html
    html = write_html(_run(1), tmp_path).read_text()
    assert "No history yet" in html and "<svg" not in html
