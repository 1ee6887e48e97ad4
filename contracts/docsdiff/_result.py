"""Judging the differences against the fragment's known ones, and the result's exit code and section."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from contracts.docsdiff._compare import Difference
from contracts.docsdiff._config import Known
from contracts.docsdiff._load import Loaded

__all__ = ["EXIT_MALFORMED", "EXIT_OK", "EXIT_STALE", "EXIT_UNREACHABLE", "Finding", "Result", "judge"]

EXIT_OK, EXIT_STALE, EXIT_MALFORMED, EXIT_UNREACHABLE = 0, 1, 2, 3
NO_LONGER = "(no longer differs)"

Status = Literal["known", "stale"]


@dataclass(frozen=True)
class Finding:
    id: str
    status: Status
    what: str
    upstream: str
    fragment: str
    reason: str = ""  #: why it is known; for a stale finding, what the fragment recorded (if anything)

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "what": self.what, "upstream": self.upstream,
                "fragment": self.fragment, "reason": self.reason}


def judge(differences: Iterable[Difference], known: Iterable[Known]) -> list[Finding]:
    """Known when the fragment records the same id with the same two sides; stale otherwise.

    A recorded difference that is no longer seen is stale too: the record (and probably the fragment)
    no longer matches the upstream.
    """
    recorded = {k.id: k for k in known}
    out: list[Finding] = []
    seen: set[str] = set()
    for d in differences:
        seen.add(d.id)
        k = recorded.get(d.id)
        if k is not None and (k.upstream, k.fragment) == (d.upstream, d.fragment):
            out.append(Finding(d.id, "known", d.what, d.upstream, d.fragment, k.reason))
        elif k is not None:
            out.append(Finding(d.id, "stale", d.what, d.upstream, d.fragment,
                               f"recorded as known with upstream {k.upstream!r} and fragment {k.fragment!r}"))
        else:
            out.append(Finding(d.id, "stale", d.what, d.upstream, d.fragment))
    for k in recorded.values():
        if k.id not in seen:
            out.append(Finding(k.id, "stale", f"recorded known difference no longer seen: {k.what or k.id}",
                               NO_LONGER, k.fragment, f"recorded upstream side was {k.upstream!r}"))
    return out


@dataclass(frozen=True)
class Result:
    """What ``docs-diff`` found, or why it could not look (``status`` unavailable/malformed)."""

    status: Literal["ok", "stale", "malformed", "unavailable"]
    upstream: str
    message: str = ""
    loaded: Loaded | None = None
    findings: tuple[Finding, ...] = field(default=())
    duration_s: float = 0.0

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "stale": EXIT_STALE, "malformed": EXIT_MALFORMED,
                "unavailable": EXIT_UNREACHABLE}[self.status]

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status == status)

    def as_section(self) -> dict[str, Any]:
        """The conformance document's ``documentation`` section (shape: reports/README.md)."""
        loaded = self.loaded
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "upstream": self.upstream,
            "source": loaded.source if loaded else None,
            "fetched_at": loaded.fetched_at if loaded else None,
            "sha256": loaded.sha256 if loaded else None,
            "message": self.message or (loaded.note if loaded and loaded.note else ""),
            "counts": {"known": self.count("known"), "stale": self.count("stale")},
            "differences": [f.as_dict() for f in sorted(self.findings, key=_order)],
            "duration_s": round(self.duration_s, 3),
        }


def _order(f: Finding) -> tuple[int, str]:
    return (0 if f.status == "stale" else 1, f.id)
