"""The clauses: each declared once, by ``@clause("SP-…")`` on the function that checks it.

A check is ``fn(session) -> None``: it returns when the clause holds and raises ``Violation`` when it does
not (``SkipClause``/``NoAnswer`` for skipped/inconclusive). Observed clauses record ``Observation`` values
and never raise ``Violation``. Monitors add a per-answer judgement (``@watches``). One module per area;
``_lists`` holds what the codec and cipher clauses share.
"""

from __future__ import annotations

from contracts.clauses._registry import AREAS, REGISTRY, Area, Clause, Kind, Needs

__all__ = ["AREAS", "Area", "Clause", "Kind", "Needs", "load_all"]


def load_all() -> dict[str, Clause]:
    """Import every area module (each declares its clauses) and return the registry, in catalogue order."""
    from contracts.clauses import (  # noqa: F401
        auth,
        ciphers,
        codecs,
        encryption,
        identifier,
        latency,
        model,
        monitors,
        protocol,
        send_as,
        shapes,
        state,
        stateless,
    )

    def order(c: Clause) -> tuple[int, int]:
        return AREAS.index(c.area), int(c.id.rsplit("-", 1)[1])

    return {c.id: c for c in sorted(REGISTRY.values(), key=order)}
