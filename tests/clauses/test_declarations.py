"""Each clause is declared once, beside its check: the module named by ``check`` holds the literal ID, and
every source is an https URL into SignalWire's documentation or says it is the project's own reading."""

from __future__ import annotations

import importlib
import inspect

import pytest

from contracts.catalogue import CATALOGUE, OBSERVATION_IDS

IDS = [c.id for c in CATALOGUE]


@pytest.mark.parametrize("clause", CATALOGUE, ids=IDS)
def test_the_checking_module_holds_the_literal_id(clause: object) -> None:
    module = importlib.import_module(clause.check.__module__)  # type: ignore[attr-defined]
    assert f'"{clause.id}"' in inspect.getsource(module)  # type: ignore[attr-defined]


@pytest.mark.parametrize("clause", CATALOGUE, ids=IDS)
def test_every_source_is_a_signalwire_url_or_the_projects_reading(clause: object) -> None:
    where: str = clause.where  # type: ignore[attr-defined]
    assert where.startswith(("https://signalwire.com/docs/", "https://github.com/signalwire/docs/")) \
        or where.startswith("The project's own reading"), where
    assert clause.source  # type: ignore[attr-defined]


def test_ids_are_unique_and_observations_belong_to_observed_or_documented_clauses() -> None:
    assert len(IDS) == len(set(IDS))
    assert set(OBSERVATION_IDS.values()) <= set(IDS)
