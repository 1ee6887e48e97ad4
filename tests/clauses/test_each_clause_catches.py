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
from contracts.runner import execute

SEED = 1
#: The schemathesis clauses are generic nets: whether their random cases hit a planted bug depends on the
#: draw, so they may join any failing set but are never required by it.
GENERIC = {"SP-PROTO-005", "SP-PROTO-006"}

EXPECTED: list[tuple[str, set[str]]] = [
    ("auth-401-body-message", {"SP-AUTH-001", "SP-AUTH-002", "SP-AUTH-003", "SP-AUTH-005", "SP-PROTO-007"}),
    ("auth-any-token", {"SP-AUTH-002", "SP-AUTH-004", "SP-AUTH-005"}),
    ("auth-cross-project", {"SP-AUTH-005"}),
    ("auth-get-without-credentials", {"SP-AUTH-001", "SP-AUTH-003"}),
    ("auth-scope-ignored", {"SP-AUTH-004"}),
    ("cipher-accepts-aes-128-gcm", {"SP-CIPHER-003", "SP-PROTO-007"}),
    ("ciphers-not-persisted", {"SP-STATE-001"}),
    ("codec-accepts-g729", {"SP-CODEC-003", "SP-PROTO-003", "SP-PROTO-005", "SP-PROTO-007"}),
    ("codec-rejects-video", {"SP-CODEC-001", "SP-CODEC-002", "SP-PROTO-005", "SP-STATE-001"}),
    ("codecs-empty-500", {"SP-PROTO-004", "SP-PROTO-006"}),
    ("codecs-non-list-500", {"SP-CODEC-004", "SP-PROTO-004"}),
    ("domain-not-recomputed", {"SP-ID-001"}),
    ("encryption-accepts-none", {"SP-ENC-002", "SP-PROTO-003", "SP-PROTO-005", "SP-PROTO-007"}),
    ("error-status-number", {"SP-PROTO-003", "SP-PROTO-007"}),
    ("get-ciphers-null", {"SP-STATE-001"}),
    ("get-text-plain", {"SP-PROTO-005", "SP-PROTO-007"}),
    ("get-without-domain", {"SP-PROTO-001", "SP-PROTO-005", "SP-PROTO-007", "SP-STATE-001"}),
    ("identifier-not-unique", {"SP-ID-002"}),
    ("non-atomic-rejection", {"SP-STATE-003"}),
    ("put-without-send-as", {"SP-PROTO-002", "SP-PROTO-005", "SP-PROTO-007", "SP-SENDAS-001"}),
    ("sendas-accepts-16-digits", {"SP-SENDAS-003", "SP-PROTO-007"}),
    ("sendas-empty-rejected", {"SP-SENDAS-002"}),
    ("sendas-only-nanp", {"SP-PROTO-005", "SP-SENDAS-001"}),
    ("stale-get", {"SP-STATE-001"}),
    ("codecs-sorted-on-read", {"SP-STATE-001"}),
    ("error-400-not-422", {"SP-CIPHER-003", "SP-CIPHER-004", "SP-CODEC-003", "SP-CODEC-004", "SP-ENC-002",
                           "SP-ID-002", "SP-ID-003", "SP-PROTO-003", "SP-SENDAS-003", "SP-SENDAS-004"}),
    ("put-answers-200", {"SP-CIPHER-001", "SP-CIPHER-002", "SP-CODEC-001", "SP-CODEC-002", "SP-ENC-001",
                         "SP-ID-001", "SP-PROTO-002", "SP-PROTO-005", "SP-SENDAS-001", "SP-SENDAS-002",
                         "SP-STATE-001", "SP-STATE-002"}),
]


def _failing(mutant: str | None, tmp_path: Path) -> tuple[set[str], dict[str, object]]:
    cfg = load_config(env={}, seed=SEED, report_dir=tmp_path, mutant=mutant,
                      example_db="none")
    doc = execute(cfg).doc
    return {c["id"] for c in doc["clauses"] if c["verdict"] == "fail"}, doc


@pytest.mark.parametrize(("mutant", "expected"), EXPECTED, ids=[m for m, _ in EXPECTED])
def test_fails_on_the_matching_clause_only(mutant: str, expected: set[str], tmp_path: Path) -> None:
    failing, doc = _failing(mutant, tmp_path)
    assert expected - GENERIC <= failing, f"missed {sorted(expected - GENERIC - failing)}"
    assert failing <= expected | GENERIC, f"also failed {sorted(failing - expected - GENERIC)}"
    assert not [c["id"] for c in doc["clauses"] if c["verdict"] in ("error", "inconclusive")]
    for clause in doc["clauses"]:
        if clause["verdict"] == "fail":
            failure = clause["failures"][0]
            assert failure["reproducer"].startswith("curl ")
            assert failure["seed"] == SEED


def test_every_documented_clause_has_a_mutant_that_fails_it() -> None:
    caught = set().union(*(expected for _, expected in EXPECTED))
    documented = {c.id for c in CATALOGUE if c.documented}
    assert documented <= caught, f"no mutant fails {sorted(documented - caught)}"


def test_mutants_of_undocumented_behaviour_fail_nothing_on_their_own(tmp_path: Path) -> None:
    for mutant in ("codec-case-insensitive", "codecs-deduped", "omitted-fields-reset", "post-acts-as-put"):
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
    assert doc["requests"]["total"] < 300
    assert doc["restore"]["status"] == "restored"
