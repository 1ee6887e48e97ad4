"""Bounded time on a slow account: when the median PUT is over a second, every exploratory search draws
one example from then on, and the run document says when and why (every format shows it)."""

from __future__ import annotations

from pathlib import Path

from contracts.engine.config import load_config
from contracts.engine.session import SLOW_MIN_PUTS, SLOW_PUT_S
from contracts.report._summary import run_warnings
from contracts.runner import Run


def _run(tmp_path: Path, max_examples: int | None = None) -> Run:
    return Run(load_config(env={}, seed=1, report_dir=tmp_path, example_db="none", max_examples=max_examples))


def test_slow_puts_reduce_the_examples_and_say_why(tmp_path: Path) -> None:
    s = _run(tmp_path).session
    assert s.examples(4) == 4
    s.put_seconds[:] = [SLOW_PUT_S * 2.5] * SLOW_MIN_PUTS
    assert s.examples(4) == 1
    assert s.examples_reduced is not None and "median PUT 2.5 s" in s.examples_reduced
    s.put_seconds[:] = [0.01] * 20  # once reduced, the run stays reduced: its figures stay comparable
    assert s.examples(40) == 1


def test_fast_puts_and_too_few_puts_change_nothing(tmp_path: Path) -> None:
    s = _run(tmp_path).session
    s.put_seconds[:] = [SLOW_PUT_S * 0.9] * 20
    assert s.examples(4) == 4
    s.put_seconds[:] = [SLOW_PUT_S * 10] * (SLOW_MIN_PUTS - 1)
    assert s.examples(4) == 4 and s.examples_reduced is None


def test_max_examples_wins(tmp_path: Path) -> None:
    s = _run(tmp_path, max_examples=7).session
    s.put_seconds[:] = [SLOW_PUT_S * 3] * 10
    assert s.examples(4) == 7


def test_every_format_says_the_run_explored_less() -> None:
    doc = {"target": {}, "run": {"examples_reduced": "answers were slow (median PUT 2.6 s …)"}}
    assert any("fewer exploratory examples: answers were slow" in w for w in run_warnings(doc))
    assert run_warnings({"target": {}, "run": {}}) == []
