"""The model of the profile (SP-STATE-005) judges the answers the run already has.

Each planted regression is driven by a short hand-written request sequence through a real session
against the in-process mock; the model must catch it on the answer that shows it, and its reproducer must
list the requests since the model last agreed with the service, in order. The faithful mock, sent the
same sequence, raises nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from contracts.engine.config import load_config
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.runner import Run

FULL = {"domain_identifier": "sipc-model-a", "default_codecs": ["OPUS", "PCMU"],
        "default_ciphers": ["AEAD_AES_256_GCM_8"], "default_encryption": "required",
        "default_send_as": "+12015550123"}


@contextmanager
def _session(mutant: str | None, tmp_path: Path) -> Iterator[Session]:
    cfg = load_config(env={}, seed=1, report_dir=tmp_path, mutant=mutant, example_db="none")
    with Run(cfg) as run:
        run.client.recorder.clause = "SP-STATE-001"  # traffic of a documented clause: judged in full
        yield run.session


def _read_after_write(s: Session) -> None:
    s.put(FULL)
    s.put({**FULL, "default_codecs": ["G722"]})
    s.get()


def _echo(s: Session) -> None:
    s.put(FULL)
    s.put({"default_encryption": "optional"})  # omits four set fields
    s.get()


def _atomicity(s: Session) -> None:
    s.put(FULL)
    s.put({"default_codecs": ["PCMA"], "default_encryption": "disabled"})  # 422: nothing may change
    s.get()


def _random_then_number(s: Session) -> None:
    s.put({"default_send_as": None})  # "random": may read back as any number of the project
    s.put({"default_send_as": "+878101234567890"})  # 15 digits: from now on exactly this number
    s.get()


CASES: list[tuple[str, Callable[[Session], None], str, list[str]]] = [
    ("stale-get", _read_after_write, "GET does not answer", ["PUT", "GET"]),
    ("put-echo-omitted-null", _echo, "GET does not answer", ["PUT", "GET"]),
    ("non-atomic-rejection", _atomicity, "GET does not answer", ["PUT", "PUT", "GET"]),
    ("sendas-truncated-on-read", _random_then_number, "default_send_as", ["PUT", "GET"]),
]


def _seen(s: Session) -> list[Violation]:
    return list(s.monitor.seen.get("SP-STATE-005", []))


@pytest.mark.parametrize(("mutant", "drive", "message", "tail"), CASES, ids=[c[0] for c in CASES])
def test_the_model_catches_it_and_lists_the_sequence(mutant: str, drive: Callable[[Session], None],
                                                     message: str, tail: list[str],
                                                     tmp_path: Path) -> None:
    with _session(mutant, tmp_path) as s:
        drive(s)
        seen = _seen(s)
    assert seen, f"{mutant} not caught by the model"
    first = seen[0]
    assert message in first.message
    steps = [line.split("-X ", 1)[1].split()[0] for line in (first.example or "").splitlines()
             if line.startswith("curl")]
    assert steps[-len(tail):] == tail  # the reproducer ends with the requests that showed it, in order
    assert first.exchange is not None


@pytest.mark.parametrize("drive", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_the_faithful_mock_agrees_with_the_model(drive: Callable[[Session], None], tmp_path: Path) -> None:
    with _session(None, tmp_path) as s:
        drive(s)
        assert _seen(s) == []


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 5, 7])
def test_truncation_on_read_is_caught_whatever_the_clause_order(seed: int, tmp_path: Path) -> None:
    # These seeds order SP-SENDAS-002 (null, "random") before SP-SENDAS-001: the model used to keep
    # "random" through the explicit numbers sent after it and so accepted any number read back.
    cfg = load_config(env={}, seed=seed, report_dir=tmp_path, mutant="sendas-truncated-on-read",
                      example_db="none")
    with Run(cfg) as run:
        for clause in run.clauses:
            run.run(clause)
    failed = {c["id"] for c in run.finish().doc["clauses"] if c["verdict"] == "fail"}
    assert failed == {"SP-STATE-005"}
