"""The quality tier: the suite fails on the right clause, and only on it, against a broken mock.

For every documented clause there is at least one mutant of the embedded mock (``MockSpace(mutant=…)``)
whose run fails exactly the expected set of clauses: the clause itself plus the consequences the docs
make unavoidable (e.g. a widened vocabulary also puts an undocumented value into every later answer, which
SP-PROTO-007 flags). Mutants of undocumented behaviour fail nothing on their own; they are caught by the
baseline comparison (tests/report and the kill matrix).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.catalogue import CATALOGUE
from contracts.engine.config import load_config
from contracts.mock import MUTANTS
from contracts.runner import execute

SEED = 1
#: The schemathesis clauses are generic nets: whether their random cases hit a planted bug depends on the
#: draw, so they may join any failing set but are never required by it.
GENERIC = {"SP-PROTO-005", "SP-PROTO-006"}

#: The one table of what each mutant fails: the mutants' own ``catches`` (contracts/mock/_mutants.py).
#: Mutants of undocumented behaviour (``baseline:…``) and of timing fail no clause on their own.
EXPECTED: list[tuple[str, set[str]]] = [
    (name, {c for c in m.catches if c.startswith("SP-")})
    for name, m in sorted(MUTANTS.items()) if any(c.startswith("SP-") for c in m.catches)
]


def _failing(mutant: str | None, tmp_path: Path,
             max_examples: int | None = None) -> tuple[set[str], dict[str, object]]:
    cfg = load_config(env={}, seed=SEED, report_dir=tmp_path, mutant=mutant,
                      example_db="none", max_examples=max_examples)
    doc = execute(cfg).doc
    return {c["id"] for c in doc["clauses"] if c["verdict"] == "fail"}, doc


@pytest.mark.parametrize(("mutant", "expected"), EXPECTED, ids=[m for m, _ in EXPECTED])
def test_fails_on_the_matching_clause_only(mutant: str, expected: set[str], tmp_path: Path) -> None:
    failing, doc = _failing(mutant, tmp_path)
    assert expected - GENERIC <= failing, f"missed {sorted(expected - GENERIC - failing)}"
    assert failing <= expected | GENERIC, f"also failed {sorted(failing - expected - GENERIC)}"
    assert not [c["id"] for c in doc["clauses"] if c["verdict"] in ("error", "inconclusive")]
    assert doc["requests"]["total"] <= 200  # issue 18: a broken service costs at most 200 requests too
    for clause in doc["clauses"]:
        if clause["verdict"] == "fail":
            failure = clause["failures"][0]
            assert failure["reproducer"].startswith("curl ")
            assert failure["seed"] == SEED


def test_every_documented_clause_has_a_mutant_that_fails_it() -> None:
    caught = set().union(*(expected for _, expected in EXPECTED))
    documented = {c.id for c in CATALOGUE if c.documented}
    assert documented - GENERIC <= caught, f"no mutant fails {sorted(documented - GENERIC - caught)}"


@pytest.mark.parametrize(("mutant", "clause"), [("put-answers-200", "SP-PROTO-005"),
                                                ("codecs-empty-500", "SP-PROTO-006")])
def test_the_generic_nets_catch_what_they_are_for(mutant: str, clause: str, tmp_path: Path) -> None:
    """The schemathesis clauses are listed in no mutant's catches (their hits depend on the draw), but
    with this seed and five examples (quick draws three negative ones: a sample, not the net's reach) each
    catches a mutant of the kind it is there for."""
    failing, _ = _failing(mutant, tmp_path, max_examples=5)
    assert clause in failing


def test_mutants_of_undocumented_behaviour_fail_nothing_on_their_own(tmp_path: Path) -> None:
    for mutant in sorted(n for n, m in MUTANTS.items() if m.catches and m.catches[0].startswith("baseline:")):
        failing, doc = _failing(mutant, tmp_path)
        assert failing == set(), mutant
        assert doc["observations"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 21))
def test_faithful_mock_passes_every_clause(seed: int, tmp_path: Path) -> None:
    cfg = load_config(env={}, seed=seed, report_dir=tmp_path, example_db="none")
    doc = execute(cfg).doc
    bad = {c["id"]: c["reason"] for c in doc["clauses"] if c["verdict"] != "pass"}
    assert bad == {}
    # issue 18's target, per seed: at most 150 requests (267 before issue 18, 229 with the shape clauses
    # before the combined rejections); a guard against creeping cost
    assert doc["requests"]["total"] <= 150
    assert doc["restore"]["status"] == "restored"
