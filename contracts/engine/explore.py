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

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.errors import NoSuchExample

from contracts.engine.verdicts import Violation
from contracts.errors import NoAnswer
from contracts.generators import canonical

__all__ = ["Explorer"]

T = TypeVar("T")
SHRINK_ALLOWANCE = 12  #: extra distinct requests a clause may spend shrinking one failure


class Explorer:
    def __init__(self, *, seed: int, example_db: Path | None) -> None:
        self.seed = seed
        self.db = DirectoryBasedExampleDatabase(str(example_db)) if example_db else None

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
        try:
            minimal = find(strategy, failing, settings=options, random=self._random(key),
                           database_key=key.encode())
        except NoSuchExample:
            minimal = None
        if minimal is None:
            if state["abort"] is not None:
                raise state["abort"]
            return
        violation = memo[keyfn(minimal)]
        assert violation is not None
        violation.example = violation.example or keyfn(minimal)
        raise violation
