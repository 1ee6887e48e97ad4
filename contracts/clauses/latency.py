"""Latency drift (SP-PROTO-009, observed): each operation's speed relative to the same run's GETs.

Every answer the run receives anyway is timed (no extra request). An operation's latency is recorded as
the ratio of its median to the median of the run's accepted GETs, so that what the network adds to every
request cancels out: a uniform extra 100 ms, a noisy link or rate limits that stretch the run (the client
times the attempt that was answered, never its waits) leave the ratio near where it was. The baseline
comparison (``contracts.report``) reports drift only when an operation became ``factor`` times slower
relative to the GETs than in the baseline *and* at least 5 ms slower than the GETs in absolute terms
(sub-millisecond wobble of an in-process target is no slow-down anyone would notice).
"""

from __future__ import annotations

import statistics
import weakref
from collections import defaultdict

from contracts.engine.client import Exchange
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.spec import PATH

from ._registry import clause, watches

__all__ = ["MIN_SAMPLES", "OPERATIONS", "latency_value"]

#: The factor comes from the run (``--latency-factor``, RunConfig.latency_factor, default 3) and travels
#: in the value, so that the run compared decides; the judgement itself is contracts.report's.

#: Fewer answers than this give no ratio (a median of two is no measurement).
MIN_SAMPLES = 5
#: Observation ID -> (method, statuses) of the answers it times; the GETs answered 200 are the reference.
OPERATIONS = {"OBS-LATENCY-PUT": ("PUT", range(200, 300)), "OBS-LATENCY-PUT-422": ("PUT", range(422, 423))}
_LABELS = {"OBS-LATENCY-PUT": "an accepted PUT", "OBS-LATENCY-PUT-422": "a PUT refused with 422"}

_TIMES: weakref.WeakKeyDictionary[Session, dict[str, list[float]]] = weakref.WeakKeyDictionary()


def _times(s: Session) -> dict[str, list[float]]:
    return _TIMES.setdefault(s, defaultdict(list))


@clause("SP-PROTO-009", area="protocol", kind="observed",
        title="Latency of each operation relative to the run's GETs (drift against the baseline)",
        reading="Undocumented: how fast the service answers. A write path that became markedly slower than "
                "reads, compared with the baseline run, is worth a look even when every answer is right.",
        observes=tuple(OPERATIONS))
def latency(s: Session) -> None:
    times = _times(s)
    for obs_id, label in _LABELS.items():
        # the operation travels in the value, so that a report can name what became slower
        value = {**latency_value(times["GET"], times[obs_id], factor=s.cfg.latency_factor),
                 "operation": OPERATIONS[obs_id][0]}
        ratio = value["ratio"]
        summary = (f"median {ratio}x the GET median ({value['samples']} answers)" if ratio is not None
                   else f"too few answers to time ({value['samples']})")
        s.observe(obs_id, "SP-PROTO-009", f"How long does {label} take, relative to a GET?", None, value,
                  summary)


@watches("SP-PROTO-009")
def time_answer(s: Session, ex: Exchange) -> Violation | None:
    """Collects; never judges (the judgement is the baseline's)."""
    if not ex.url.endswith(PATH) or ex.auth_ref != s.target.primary.curl_user():
        return None
    times = _times(s)
    if ex.method == "GET" and ex.status == 200:
        times["GET"].append(ex.elapsed_s)
    for obs_id, (method, statuses) in OPERATIONS.items():
        if ex.method == method and ex.status in statuses:
            times[obs_id].append(ex.elapsed_s)
    return None


def latency_value(gets: list[float], op: list[float], *, factor: float) -> dict[str, object]:
    """The observation's value: a measurement, compared with the baseline's by ratio, never exactly."""
    samples = min(len(gets), len(op))
    if samples < MIN_SAMPLES:
        return {"measure": "median-ratio", "ratio": None, "extra_ms": None, "factor": factor,
                "samples": samples}
    reference, median = statistics.median(gets), statistics.median(op)
    ratio = median / reference if reference > 0 else None
    return {"measure": "median-ratio", "ratio": None if ratio is None else round(ratio, 2),
            "extra_ms": round((median - reference) * 1000, 1) + 0.0, "factor": factor, "samples": samples}
