"""17.4: every observed point has fixed representatives that every run sends, so its drift is seen every
night. The same observations — values, not only IDs — in ten runs with ten seeds; hypothesis draws only
add to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contracts.engine.config import load_config
from contracts.runner import execute

#: Latency is a measurement of this machine, not a fixed representative's answer: its drift is judged
#: against a baseline with a tolerance (tests/engine/test_latency_drift.py), never by equality.
TIMING = ("OBS-LATENCY-",)
#: Counts of a rate measurement: how many requests a run sent depends on its draws; the rate's findings
#: (the server errors and their kinds) must not.
COUNTS = ("requests",)


def _value(value: Any) -> Any:
    if isinstance(value, dict) and value.get("measure") == "5xx-rate":
        return {k: v for k, v in value.items() if k not in COUNTS}
    return value


def _observations(seed: int, tmp_path: Path) -> dict[str, Any]:
    cfg = load_config(env={}, seed=seed, report_dir=tmp_path / str(seed), example_db="none")
    doc = execute(cfg).doc
    return {o["id"]: _value(o["value"]) for o in doc["observations"] if not o["id"].startswith(TIMING)}


@pytest.mark.slow
def test_ten_seeds_see_the_same_observations(tmp_path: Path) -> None:
    first = _observations(1, tmp_path)
    assert {"OBS-ID-LENGTH", "OBS-CODEC-CASE", "OBS-CIPHER-ORDER", "OBS-SENDAS-UNOWNED"} <= set(first)
    for seed in range(2, 11):
        assert _observations(seed, tmp_path) == first, f"seed {seed}"


def test_the_identifier_ladder_sees_every_usual_limit_move() -> None:
    from contracts import generators as gen

    prefix = "sipcabcdef"
    lengths = {n: gen.identifier_of_length(prefix, n) for n in gen.LENGTH_LADDER}
    assert all(v is not None and len(v) == n and v.startswith(prefix) for n, v in lengths.items())
    for limit in (16, 32, 63, 64):
        # a limit that moves from a usual one, by any amount either way, changes what the ladder sees
        seen = {n: n <= limit for n in lengths}
        for moved in range(10, 80):
            if moved != limit:
                assert {n: n <= moved for n in lengths} != seen, (limit, moved)
