"""The runner: chooses the target (the embedded mock or a real space), runs the clauses through the
engine, restores what it changed, and returns the run's document. Several targets and the kill matrix
are built on the same entry point."""

from __future__ import annotations

from contracts.runner._run import Run, RunOutcome, execute, ordered_clauses

__all__ = ["Run", "RunOutcome", "execute", "ordered_clauses"]
