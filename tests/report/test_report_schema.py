from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contracts.report import SCHEMA, SCHEMA_VERSION, ReportError, load_conformance, validate_conformance

from . import _factory as F


def _write(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "conformance.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ReportError) as info:
        load_conformance(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_a_valid_document_loads_and_gets_defaults(tmp_path: Path) -> None:
    d = F.passing()
    del d["baseline"], d["waivers"], d["flakiness"]
    doc = load_conformance(_write(tmp_path, d))
    assert doc["baseline"] is None
    assert doc["waivers"] == {"applied": [], "expired": []}
    assert doc["flakiness"] == []


def test_the_schema_is_version_1() -> None:
    assert SCHEMA_VERSION == "1"
    assert SCHEMA["properties"]["schema_version"] == {"const": "1"}


def test_unknown_keys_are_accepted_so_additive_changes_keep_version_1(tmp_path: Path) -> None:
    d = F.passing()
    d["something_new"] = {"x": 1}
    d["clauses"][0]["new_field"] = 3
    load_conformance(_write(tmp_path, d))


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in _error(tmp_path / "nope.json")


def test_not_json(tmp_path: Path) -> None:
    assert "not valid JSON (line 1" in _error(_write(tmp_path, "{not json"))


def test_truncated_json(tmp_path: Path) -> None:
    assert "not valid JSON" in _error(_write(tmp_path, json.dumps(F.passing())[:500]))


def test_not_an_object(tmp_path: Path) -> None:
    assert "expected a JSON object" in _error(_write(tmp_path, "[1, 2]"))


def test_wrong_schema_version(tmp_path: Path) -> None:
    d = F.passing()
    d["schema_version"] = "2"
    assert "schema_version '2' is not supported (this tool reads '1')" in _error(_write(tmp_path, d))


def test_missing_schema_version(tmp_path: Path) -> None:
    assert "missing key 'schema_version'" in _error(_write(tmp_path, {"hello": 1}))


@pytest.mark.parametrize("key", ["suite", "target", "run", "clauses", "verdict", "restore"])
def test_missing_top_level_key(tmp_path: Path, key: str) -> None:
    d = F.passing()
    del d[key]
    assert f"missing key {key!r}" in _error(_write(tmp_path, d))


def test_missing_clause_key_names_the_place(tmp_path: Path) -> None:
    d = F.passing()
    del d["clauses"][3]["verdict"]
    message = _error(_write(tmp_path, d))
    assert "clauses[3]" in message and "'verdict'" in message


def test_bad_clause_verdict(tmp_path: Path) -> None:
    d = F.passing()
    d["clauses"][0]["verdict"] = "maybe"
    assert "clauses[0].verdict" in _error(_write(tmp_path, d))


def test_duplicate_clause(tmp_path: Path) -> None:
    d = F.passing()
    d["clauses"].append(dict(d["clauses"][0]))
    assert "appears more than once" in _error(_write(tmp_path, d))


def test_validate_a_dict_directly() -> None:
    validate_conformance(F.failing())
    with pytest.raises(ReportError, match=r"engine: invalid at target\.kind"):
        d = F.passing()
        d["target"]["kind"] = "ftp"
        validate_conformance(d, source="engine")
