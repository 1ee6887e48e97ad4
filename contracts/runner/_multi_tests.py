"""One pytest item per target of a ``--targets`` file; collected only by :func:`contracts.runner.multi.run_targets`.

The plan (written by the controller, named by ``SIP_CONTRACTS_MULTI_PLAN``) holds each target's name, its
xdist group and the *names* of its variables; every worker reads the same plan, so ``--dist loadgroup``
sends all targets of a group to one worker.
"""

from __future__ import annotations

from typing import Any

import pytest

from contracts.runner.multi import load_plan, run_planned

_PLAN = load_plan()
if _PLAN is None:  # pragma: no cover - imported outside run_targets
    pytest.skip("run by contracts.runner.multi.run_targets only", allow_module_level=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames and _PLAN is not None:
        metafunc.parametrize("target", [
            pytest.param(t, id=t["name"], marks=pytest.mark.xdist_group(name=t["group"]))
            for t in _PLAN["targets"]
        ])


def test_target(target: dict[str, Any]) -> None:
    assert _PLAN is not None
    code = run_planned(_PLAN, target)
    assert code == 0, f"{target['name']}: sip-contracts run exited {code}; see {_report_dir(target)}"


def _report_dir(target: dict[str, Any]) -> str:
    argv: list[str] = target["argv"]
    return argv[argv.index("--report-dir") + 1]
