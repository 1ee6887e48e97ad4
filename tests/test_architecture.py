"""ARCHITECTURE.md's rules, checked: every import-linter contract in pyproject.toml is kept.

The contracts are the table of ARCHITECTURE.md written as code (layers, forbidden imports, no cycle between
the parts of ``contracts``, lazy imports included: grimp reads every import statement, not just the
module-level ones).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_layering_contract_is_kept() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    proc = subprocess.run([lint_imports, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_there_is_a_contract_for_each_rule_of_the_architecture_table() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    kinds = {c["type"] for c in config}
    assert {"layers", "forbidden", "acyclic_siblings"} <= kinds
    forbidden_sources = {s for c in config if c["type"] == "forbidden" for s in c["source_modules"]}
    for module in ("contracts.report", "contracts.mock", "contracts.engine", "contracts.runner",
                   "contracts.docsdiff", "contracts.document"):
        assert module in forbidden_sources, f"no contract says what {module} may not import"
