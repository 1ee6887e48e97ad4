from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from contracts.report import finish

from . import _factory as F

TODAY = dt.date(2025, 3, 4)


@pytest.fixture
def passing_doc() -> dict[str, Any]:
    return finish(F.passing(), today=TODAY).dump()


@pytest.fixture
def failing_doc() -> dict[str, Any]:
    return finish(F.failing(), today=TODAY).dump()


@pytest.fixture
def regression_doc() -> dict[str, Any]:
    """A run compared with a baseline: regressions, a fix, drift, new and gone entries."""
    now, base = F.baseline_pair()
    return finish(now, baseline=base, baseline_path="reports/previous/conformance.json", today=TODAY).dump()
