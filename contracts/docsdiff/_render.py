"""The command's text output: stale differences first (both sides), then the known ones with their reason."""

from __future__ import annotations

from contracts.docsdiff._result import Result

__all__ = ["render_text"]


def _origin(result: Result) -> str:
    loaded = result.loaded
    if loaded is None:
        return result.upstream
    when = f", fetched {loaded.fetched_at}" if loaded.fetched_at else ""
    return f"{result.upstream} ({loaded.source}{when}, sha256 {loaded.sha256[:12]})"


def render_text(result: Result) -> str:
    if result.status in ("malformed", "unavailable"):
        return f"docs-diff: {result.status}: {result.message}"
    lines = [f"docs-diff: {_origin(result)}"]
    if result.loaded and result.loaded.note:
        lines.append(f"note: {result.loaded.note}")
    for f in result.findings:
        if f.status == "stale":
            lines += [f"STALE {f.id}: {f.what}", f"    upstream: {f.upstream}", f"    fragment: {f.fragment}"]
            if f.reason:
                lines.append(f"    ({f.reason})")
    for f in result.findings:
        if f.status == "known":
            lines += [f"known {f.id}: {f.what}", f"    upstream: {f.upstream}", f"    fragment: {f.fragment}",
                      f"    why: {f.reason}"]
    stale, known = result.count("stale"), result.count("known")
    verdict = "the fragment is stale" if stale else "the fragment is up to date"
    lines.append(f"{verdict}: {stale} stale, {known} known difference(s) ({result.duration_s:.2f} s)")
    return "\n".join(lines)
