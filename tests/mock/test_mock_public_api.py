"""The public face of contracts.mock: exactly the curated names, immutable values, readable credentials."""

from __future__ import annotations

import dataclasses
import re

import httpx
import pytest

import contracts.mock as mock
from contracts.mock import MUTANTS, Faults, MockConfig, MockSpace, Project
from contracts.spec import load_spec


def test_exports_exactly_the_curated_names() -> None:
    assert sorted(mock.__all__) == sorted(
        ["MUTANTS", "Faults", "MockConfig", "MockSpace", "Mutant", "Project", "describe", "serve", "serving"])
    # "@py_…" names are pytest's assertion-rewriting helpers: the package is a pytest plugin's distribution.
    public = {n for n in vars(mock) if not n.startswith(("_", "@")) and n not in {"annotations"}}
    assert public == set(mock.__all__)


@pytest.mark.parametrize("cls", [MockConfig, Faults])
def test_options_are_frozen_and_keyword_only(cls: type) -> None:
    value = cls()
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.space = "x"
    with pytest.raises(TypeError):
        cls("positional")


def test_mockconfig_defaults() -> None:
    c = MockConfig()
    assert (c.space, c.omitted, c.owned_numbers, c.case_insensitive, c.keep_order, c.allow_empty_lists,
            c.dedupe, c.null_values, c.unknown_fields, c.max_body_bytes) == (
        "example", "merge", None, False, True, True, False, "reset", "ignore", 65536)
    assert re.fullmatch(c.identifier_pattern, "a" * 63) and not re.fullmatch(c.identifier_pattern, "a" * 64)


@pytest.mark.parametrize("kwargs", [
    {"omitted": "patch"}, {"null_values": "drop"}, {"unknown_fields": "warn"}, {"space": "Not A Label"},
    {"identifier_pattern": "("}, {"max_body_bytes": 0},
])
def test_mockconfig_rejects_bad_values_naming_the_field(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        MockConfig(**kwargs)  # type: ignore[arg-type]


def test_owned_numbers_must_be_valid_e164() -> None:
    with pytest.raises(ValueError, match="owned_numbers"):
        MockSpace(MockConfig(owned_numbers=("12015550123",)))


def test_projects_and_credentials_are_fixed_and_readable() -> None:
    space = MockSpace()
    assert set(space.projects) >= {"primary", "secondary", "novoice"}
    assert all(isinstance(p, Project) and p.name == name for name, p in space.projects.items())
    assert space.projects["primary"].voice and space.projects["secondary"].voice
    assert not space.projects["novoice"].voice
    # novoice is a second token of the primary project: the only difference is the scope.
    assert space.projects["novoice"].project_id == space.projects["primary"].project_id
    assert space.projects["primary"].project_id != space.projects["secondary"].project_id
    assert len({p.token for p in space.projects.values()}) == len(space.projects)
    for p in space.projects.values():
        assert not re.search(r"PT[0-9a-fA-F]{20,}", p.token + p.project_id)
    assert MockSpace().projects == space.projects  # the same every time


def test_initial_profiles_are_distinct_and_well_formed() -> None:
    spec = load_spec()
    space = MockSpace()
    primary, secondary = space.profile("primary"), space.profile("secondary")
    assert primary != secondary and primary["domain_identifier"] != secondary["domain_identifier"]
    for profile in (primary, secondary):
        assert set(profile) == set(spec.profile_fields)
        assert profile["domain"] == spec.domain_template.format(
            space="example", domain_identifier=profile["domain_identifier"])
        assert set(profile["default_codecs"]) <= set(spec.codecs)
        assert set(profile["default_ciphers"]) <= set(spec.ciphers)
        assert profile["default_encryption"] == "optional" and profile["default_send_as"] is None
    assert space.profile("novoice") == primary


def test_space_attributes() -> None:
    space = MockSpace()
    assert space.base_url.startswith("http://") and space.base_url.endswith(".invalid")
    transport = space.transport()
    assert isinstance(transport, httpx.BaseTransport)
    transport.close()
    transport.close()  # closing twice is harmless
    assert callable(space.app)
    assert space.request_log == [] and space.fault_log == []
    assert "example" in repr(space)


def test_profile_returns_a_copy() -> None:
    space = MockSpace()
    space.profile("primary")["default_codecs"].clear()
    assert space.profile("primary")["default_codecs"]


def test_unknown_mutant_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="stale-get"):
        MockSpace(mutant="no-such-mutant")
    assert MockSpace(mutant="stale-get").mutant == MUTANTS["stale-get"]
