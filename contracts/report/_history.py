"""history.sqlite: one row per run in the report directory, for the trend chart."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

__all__ = ["HISTORY_FILE", "append_history", "read_history", "row_from_doc"]

HISTORY_FILE = "history.sqlite"
LIMIT = 50
_COUNTS = ("pass", "fail", "inconclusive", "error", "skipped", "waived")

_CREATE = """
CREATE TABLE IF NOT EXISTS runs (
    started_at   TEXT NOT NULL,
    host         TEXT NOT NULL,
    profile      TEXT NOT NULL,
    verdict      TEXT NOT NULL,
    pass         INTEGER NOT NULL DEFAULT 0,
    fail         INTEGER NOT NULL DEFAULT 0,
    inconclusive INTEGER NOT NULL DEFAULT 0,
    error        INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    waived       INTEGER NOT NULL DEFAULT 0,
    requests     INTEGER NOT NULL DEFAULT 0,
    duration_s   REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (started_at, host, profile)
)
"""
_COLUMNS = ("started_at", "host", "profile", "verdict", *_COUNTS, "requests", "duration_s")
_INSERT = f"INSERT OR REPLACE INTO runs ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def row_from_doc(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The history row of a run: started_at, host, profile, verdict, counts, requests, duration_s."""
    counts = doc.get("counts") or {}
    return {
        "started_at": str(doc["run"].get("started_at", "")),
        "host": str(doc["target"].get("host", "")),
        "profile": str(doc["run"].get("profile") or ""),
        "verdict": str(doc.get("verdict", "")),
        "counts": {k: int(counts.get(k, 0)) for k in _COUNTS},
        "requests": int((doc.get("requests") or {}).get("total", 0)),
        "duration_s": float(doc["run"].get("duration_s") or 0.0),
    }


def _to_row(record: sqlite3.Row) -> dict[str, Any]:
    return {
        "started_at": record["started_at"], "host": record["host"], "profile": record["profile"],
        "verdict": record["verdict"], "counts": {k: record[k] for k in _COUNTS},
        "requests": record["requests"], "duration_s": record["duration_s"],
    }


def _select(conn: sqlite3.Connection, host: str, limit: int) -> list[dict[str, Any]]:
    conn.row_factory = sqlite3.Row
    records = conn.execute(
        "SELECT * FROM runs WHERE host = ? ORDER BY started_at DESC LIMIT ?", (host, limit)
    ).fetchall()
    return [_to_row(r) for r in reversed(records)]


def append_history(doc: Mapping[str, Any], dir: str | Path, *, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Record this run in ``dir/history.sqlite`` and return the latest ``limit`` runs against the same
    target host, oldest first. Recording the same run twice replaces its row."""
    path = Path(dir) / HISTORY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    row = row_from_doc(doc)
    values = [row[c] for c in _COLUMNS[:4]] + [row["counts"][k] for k in _COUNTS] + [
        row["requests"], row["duration_s"]]
    with closing(sqlite3.connect(path, timeout=10)) as conn:
        with conn:
            conn.execute(_CREATE)
            conn.execute(_INSERT, values)
        return _select(conn, row["host"], limit)


def read_history(dir: str | Path, host: str, *, limit: int = LIMIT) -> list[dict[str, Any]]:
    """The latest ``limit`` runs against ``host`` recorded in ``dir``, oldest first; [] if there is none.
    Never creates or changes the file."""
    path = Path(dir) / HISTORY_FILE
    if not path.is_file():
        return []
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)) as conn:
            return _select(conn, host, limit)
    except sqlite3.Error:
        return []
