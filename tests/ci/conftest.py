"""Fixtures for the CI-facing pieces: the nightly workflow, multi-target runs and the benchmark."""

from __future__ import annotations

import sys
from pathlib import Path

# Importable however pytest is started, as in tests/mock (the package may not be installed).
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
