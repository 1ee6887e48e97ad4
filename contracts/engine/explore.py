"""Drive hypothesis against a live target: few requests, minimal failing payloads, reproducible.

A clause hands over a strategy and a *probe* (value -> Violation | None). We use ``hypothesis.find`` to
search for a value whose probe fails and shrink it to a minimal one. Each distinct value is sent at most
once (results are memoised by canonical JSON), so hypothesis' replays and duplicate draws cost nothing;
once the per-clause shrink allowance is spent, unseen candidates count as passing, which ends shrinking at
the smallest failure found so far. Transport trouble aborts the search and the clause is inconclusive.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.database import DirectoryBasedExampleDatabase

from contracts.engine.verdicts import Violation
from contracts.errors import NoAnswer
from contracts.generators import canonical

__all__ = ["Explorer"]

T = TypeVar("T")
SHRINK_ALLOWANCE = 12  #: extra distinct requests a clause may spend shrinking one failure


class _Found(Exception):
    """Raised inside the hypothesis test when the condition holds (as ``hypothesis.find`` does)."""


def _find(strategy: Any, condition: Callable[[Any], bool], *, options: settings, seed: int,
          key: bytes) -> Any | None:
    """``hypothesis.find`` that keeps the example database.

    ``find(random=…)`` applies ``@seed``, and ``@seed`` replaces the settings' database with None: no
    failure was ever saved, so none was replayed the next night. Here the seed is applied the same way and
    the settings are put back afterwards, so the run stays reproducible by ``--seed`` *and* replays the
    saved failures first (``Phase.reuse`` runs before ``Phase.generate``).
    """
    last: list[Any] = []

    @given(strategy)
    def test(value: Any) -> None:
        if condition(value):
            last[:] = [value]
            raise _Found

    test = hypothesis_seed(seed)(test)
    test._hypothesis_internal_use_settings = settings(  # type: ignore[attr-defined]
        options, suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    test._hypothesis_internal_database_key = key  # type: ignore[attr-defined]
    try:
        test()
    except _Found:
        return last[0]
    return None


class Explorer:
    def __init__(self, *, seed: int, example_db: Path | None) -> None:
        self.seed = seed
        self.db = None
        if example_db:
            # Created up front: the nightly workflow caches this directory, found or not.
            example_db.mkdir(parents=True, exist_ok=True)
            self.db = DirectoryBasedExampleDatabase(str(example_db))

    def _random(self, key: str) -> random.Random:
        digest = hashlib.blake2b(f"{self.seed}:{key}".encode(), digest_size=8).digest()
        return random.Random(int.from_bytes(digest, "big"))

    def each(self, values: Iterable[T], probe: Callable[[T], Violation | None]) -> None:
        """Probe every value of a small fixed list (explicit coverage); raise the first violation."""
        for value in values:
            violation = probe(value)
            if violation is not None:
                violation.example = violation.example or canonical(value)
                raise violation

    def search(self, key: str, strategy: Any, probe: Callable[[Any], Violation | None], *,
               examples: int, keyfn: Callable[[Any], str] = canonical, shrink: bool = True) -> None:
        """Look for a failing value among ``examples`` draws; raise the minimal violation found.

        ``shrink=False`` for strategies whose draws are expensive (schemathesis cases: ~10 ms each, so
        shrinking one failure took 20 s); the failing value is then reported as drawn.
        """
        memo: dict[str, Violation | None] = {}
        state: dict[str, Any] = {"found": False, "extra": 0, "abort": None}

        def failing(value: Any) -> bool:
            if state["abort"] is not None:
                return False
            k = keyfn(value)
            if k not in memo:
                if state["found"]:
                    if state["extra"] >= SHRINK_ALLOWANCE:
                        return False
                    state["extra"] += 1
                try:
                    memo[k] = probe(value)
                except NoAnswer as exc:
                    state["abort"] = exc
                    return False
            if memo[k] is not None:
                state["found"] = True
                return True
            return False

        options = settings(
            max_examples=examples, database=self.db, deadline=None, derandomize=False,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else []),
        )
        minimal = _find(strategy, failing, options=options, seed=self._random(key).getrandbits(64),
                        key=key.encode())
        if minimal is None:
            if state["abort"] is not None:
                raise state["abort"]
            return
        violation = memo[keyfn(minimal)]
        assert violation is not None
        violation.example = violation.example or keyfn(minimal)
        raise violation
