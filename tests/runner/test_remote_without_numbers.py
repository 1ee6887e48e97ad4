"""A remote target without SIGNALWIRE_TEST_NUMBERS: what SP-SENDAS-001 may and may not assert."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.engine.config import Credentials, Target, load_config
from contracts.mock import MockConfig, MockSpace
from contracts.runner import execute


def _run(space: MockSpace, tmp_path: Path) -> dict[str, str]:
    p = space.projects
    target = Target(kind="http", base_url=space.base_url, host="staging.test",
                    primary=Credentials(p["primary"].project_id, p["primary"].token),
                    secondary=Credentials(p["secondary"].project_id, p["secondary"].token),
                    novoice=Credentials(p["novoice"].project_id, p["novoice"].token))
    cfg = load_config(env={}, target=target, seed=2, report_dir=tmp_path, allow_writes="staging.test",
                      example_db="none", pace_rps=0)
    doc = execute(cfg, transport=space.transport()).doc
    return {c["id"]: c["verdict"] for c in doc["clauses"]}


def test_faithful_target_passes(tmp_path: Path) -> None:
    verdicts = _run(MockSpace(), tmp_path)
    assert verdicts["SP-SENDAS-001"] == "pass"
    assert set(verdicts.values()) == {"pass"}


def test_only_some_valid_numbers_accepted_is_a_violation(tmp_path: Path) -> None:
    assert _run(MockSpace(mutant="sendas-only-nanp"), tmp_path)["SP-SENDAS-001"] == "fail"


@pytest.mark.parametrize("owned", [("+12025550100",)])
def test_a_target_that_requires_owned_numbers_is_skipped_not_failed(owned: tuple[str, ...],
                                                                      tmp_path: Path) -> None:
    verdicts = _run(MockSpace(MockConfig(owned_numbers=owned)), tmp_path)
    assert verdicts["SP-SENDAS-001"] == "skipped"
    assert "fail" not in verdicts.values()
