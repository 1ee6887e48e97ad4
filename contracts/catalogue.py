"""The clause catalogue and the observation list: views of the declarations in ``contracts.clauses``.

Nothing is declared here. Each clause lives beside its check (``grep SP-CODEC-003 contracts`` finds it),
with its quoted sentence in the fragment's ``x-doc`` and the SignalWire URL it comes from.
"""

from __future__ import annotations

from contracts.clauses import AREAS, Clause, load_all

__all__ = ["AREAS", "CATALOGUE", "OBSERVATION_IDS", "Clause"]

#: Every clause, in catalogue order (area, then number).
CATALOGUE: tuple[Clause, ...] = tuple(load_all().values())
#: Observation ID -> the observed clause that records it.
OBSERVATION_IDS: dict[str, str] = {obs: c.id for c in CATALOGUE for obs in c.observes}
