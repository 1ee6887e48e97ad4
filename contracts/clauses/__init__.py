"""Clause implementations, one module per area, registered under their catalogue IDs.

A clause implementation is ``fn(session) -> None``: it returns when the clause holds and raises
``Violation`` when it does not (``SkipClause``/``NoAnswer`` for skipped/inconclusive). Observed clauses
record ``Observation`` values and never raise ``Violation``.
"""

from __future__ import annotations

from collections.abc import Callable

from contracts.engine.session import Session

__all__ = ["REGISTRY", "implements", "load_all"]

ClauseFn = Callable[[Session], None]
REGISTRY: dict[str, ClauseFn] = {}


def implements(clause_id: str) -> Callable[[ClauseFn], ClauseFn]:
    def register(fn: ClauseFn) -> ClauseFn:
        if clause_id in REGISTRY:
            raise RuntimeError(f"{clause_id} implemented twice")
        REGISTRY[clause_id] = fn
        return fn

    return register


def load_all() -> dict[str, ClauseFn]:
    """Import every area module (each registers its clauses) and return the registry."""
    from . import auth, encryption, identifier, lists, protocol, send_as, state, stateless  # noqa: F401

    return REGISTRY
