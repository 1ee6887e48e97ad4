"""Where mutants switch on, and the crash a mutant can simulate."""

from __future__ import annotations

from ._mutants import MUTANTS

__all__ = ["Hooks", "InternalError"]


class InternalError(Exception):
    """A mutant's simulated crash; answered 500 with the documented body."""


class Hooks:
    """Where a mutant switches on. ``on()`` refuses unknown names so a typo cannot silently do nothing."""

    def __init__(self, mutant: str | None) -> None:
        if mutant is not None and mutant not in MUTANTS:
            raise ValueError(f"unknown mutant {mutant!r}; known: {', '.join(sorted(MUTANTS))}")
        self.mutant = mutant

    def on(self, name: str) -> bool:
        if name not in MUTANTS:
            raise KeyError(f"hook for unknown mutant {name!r}")
        return self.mutant == name
