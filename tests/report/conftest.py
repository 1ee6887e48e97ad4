from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from contracts.report import apply_waivers, compare_baseline, finalize

from . import _factory as F

TODAY = dt.date(2025, 3, 4)


@pytest.fixture
def passing_doc() -> dict[str, Any]:
    d = F.passing()
    finalize(d)
    return d


@pytest.fixture
def failing_doc() -> dict[str, Any]:
    d = F.failing()
    finalize(d)
    return d


@pytest.fixture
def regression_doc() -> dict[str, Any]:
    """A run compared with a baseline: regressions, a fix, drift, new and gone entries."""
    now, base = F.baseline_pair()
    compare_baseline(now, base, path="reports/previous/conformance.json")
    apply_waivers(now, [], TODAY)
    finalize(now)
    return now
