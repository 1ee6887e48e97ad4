"""Every hypothesis test of this tree is derandomized (17.5: no test depends on chance or machine speed).

A profile loaded before any test module is imported is the parent of every ``@settings`` those modules
build, so a test that names only ``max_examples`` is derandomized too. The suite's own searches
(``contracts.engine.explore``, ``contracts.clauses._stateful``) set ``derandomize=False`` and a seed
explicitly: under test they behave as in a run, reproducibly by ``--seed``.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("sip-contracts-tests", derandomize=True, database=None, deadline=None)
settings.load_profile("sip-contracts-tests")
