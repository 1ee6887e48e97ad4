"""The trend chart: hand-drawn inline SVG (no JavaScript, no external resources).

Stacked bars of clause verdicts per run (pass, fail, inconclusive/error, skipped/waived) and a line of
run time on a second axis, for the latest runs against the same target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

__all__ = ["SERIES", "trend_svg"]

W, H = 960, 250
LEFT, RIGHT, TOP, BOTTOM = 44, 56, 30, 44

#: (label, count keys, fill colour) from the bottom of each bar up.
SERIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("pass", ("pass",), "#2da44e"),
    ("fail", ("fail",), "#cf222e"),
    ("inconclusive / error", ("inconclusive", "error"), "#d4a72c"),
    ("skipped / waived", ("skipped", "waived"), "#afb8c1"),
)
_LINE = "#0969da"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _label(started_at: str) -> str:
    """'2025-03-04T02:00:00Z' -> '03-04 02:00'."""
    date, _, time = started_at.partition("T")
    return f"{date[5:]} {time[:5]}".strip() if date else started_at[:11]


def _legend() -> list[str]:
    out, x = [], LEFT
    for label, _, colour in SERIES:
        out.append(f'<rect x="{x}" y="8" width="12" height="12" rx="2" fill="{colour}"/>'
                   f'<text x="{x + 17}" y="18" class="lg">{escape(label)}</text>')
        x += 30 + 7 * len(label)
    out.append(f'<line x1="{x}" y1="14" x2="{x + 18}" y2="14" stroke="{_LINE}" stroke-width="2.5"/>'
               f'<text x="{x + 23}" y="18" class="lg">run time (s)</text>')
    return out


def trend_svg(rows: Sequence[Mapping[str, Any]]) -> str:
    """SVG markup for ``rows`` (oldest first, as :func:`append_history` returns them); '' if empty."""
    if not rows:
        return ""
    n = len(rows)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    slot = plot_w / n
    bar_w = max(4.0, min(38.0, slot * 0.68))
    totals = [sum(int(r["counts"].get(k, 0)) for _, keys, _ in SERIES for k in keys) for r in rows]
    # Clause counts are whole numbers: the top of the axis is even, so the middle tick is an integer too.
    y_max = max(1, *totals)
    y_max += y_max % 2
    d_max = max(0.001, *(float(r.get("duration_s") or 0) for r in rows))
    base_y = TOP + plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
             f'aria-label="Trend of clause verdicts and run time over the last {n} runs" class="trend">',
             "<style>text{font:11px system-ui,-apple-system,'Segoe UI',sans-serif;fill:#57606a}"
             ".lg{fill:#24292f}.ax{stroke:#d0d7de;stroke-width:1}</style>"]
    parts += _legend()
    for frac in (0.0, 0.5, 1.0):
        y = base_y - frac * plot_h
        parts.append(f'<line class="ax" x1="{LEFT}" y1="{_num(y)}" x2="{W - RIGHT}" y2="{_num(y)}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{_num(y + 4)}" text-anchor="end">{round(frac * y_max)}</text>')
        parts.append(f'<text x="{W - RIGHT + 6}" y="{_num(y + 4)}" fill="{_LINE}">'
                     f"{_num(frac * d_max)} s</text>")
    parts.append(f'<text x="{LEFT - 6}" y="{base_y + 32}" text-anchor="end">verdict</text>')
    label_every = max(1, -(-n // 10))
    points: list[tuple[float, float]] = []
    for i, row in enumerate(rows):
        cx = LEFT + slot * (i + 0.5)
        x = cx - bar_w / 2
        y = float(base_y)
        counts = row["counts"]
        tip = (f"{row['started_at']} · {str(row.get('verdict', '')).upper()} · "
               + ", ".join(f"{counts.get(k, 0)} {k}" for _, keys, _ in SERIES for k in keys)
               + f" · {row.get('requests', 0)} requests · {_num(float(row.get('duration_s') or 0))} s")
        parts.append(f"<g><title>{escape(tip)}</title>")
        for _, keys, colour in SERIES:
            value = sum(int(counts.get(k, 0)) for k in keys)
            if not value:
                continue
            h = value / y_max * plot_h
            y -= h
            parts.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" '
                         f'fill="{colour}"/>')
        if i == n - 1:
            parts.append(f'<rect x="{_num(x - 2)}" y="{_num(y - 2)}" width="{_num(bar_w + 4)}" '
                         f'height="{_num(base_y - y + 2)}" fill="none" stroke="#24292f" stroke-width="1.5"/>')
        parts.append("</g>")
        if i % label_every == 0 or i == n - 1:
            weight = ' font-weight="bold"' if i == n - 1 else ""
            parts.append(f'<text x="{_num(cx)}" y="{base_y + 16}" text-anchor="middle"{weight}>'
                         f"{escape(_label(str(row['started_at'])))}</text>")
        verdict_colour = {"pass": "#2da44e", "fail": "#cf222e", "error": "#8250df"}.get(
            str(row.get("verdict")), "#d4a72c")
        parts.append(f'<circle cx="{_num(cx)}" cy="{base_y + 28}" r="4" fill="{verdict_colour}"/>')
        points.append((cx, base_y - float(row.get("duration_s") or 0) / d_max * plot_h))
    if len(points) > 1:
        path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_LINE}" stroke-width="2.5"/>')
    for px, py in points:
        parts.append(f'<circle cx="{_num(px)}" cy="{_num(py)}" r="3.5" fill="#fff" stroke="{_LINE}" '
                     'stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)
