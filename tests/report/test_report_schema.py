from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contracts.document import Conformance
from contracts.report import (
    SCHEMA,
    SCHEMA_VERSION,
    ReportError,
    finish,
    load_conformance,
    rerender,
    validate_conformance,
    write_json,
)

from . import _factory as F

#: Written by the previous, hand-described version (a mutant run against a baseline, with waivers), trimmed.
V1 = Path(__file__).parent / "fixtures" / "v1_conformance.json"


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
    assert isinstance(doc, Conformance)
    assert doc.baseline is None and doc.flakiness == []
    plain = doc.dump()
    assert plain["baseline"] is None
    assert plain["waivers"] == {"applied": [], "expired": []}
    assert plain["flakiness"] == []


def test_the_schema_is_version_1_and_generated_from_the_models() -> None:
    assert SCHEMA_VERSION == "1"
    assert SCHEMA["properties"]["schema_version"]["const"] == "1"
    assert {"$schema": "https://json-schema.org/draft/2020-12/schema",
                      **Conformance.model_json_schema(by_alias=True)} == SCHEMA


def test_the_exported_schema_accepts_a_real_document_and_rejects_a_bad_one() -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(SCHEMA)
    d = json.loads(V1.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(d)) == []
    d["clauses"][0]["verdict"] = "maybe"
    assert [list(e.absolute_path) for e in validator.iter_errors(d)] == [["clauses", 0, "verdict"]]


def test_unknown_keys_are_accepted_and_kept_so_additive_changes_keep_version_1(tmp_path: Path) -> None:
    d = F.passing()
    d["something_new"] = {"x": 1}
    d["a_newer_key"] = 2
    d["clauses"][0]["new_field"] = 3
    doc = load_conformance(_write(tmp_path, d))
    written = json.loads(write_json(doc, tmp_path / "out").read_text(encoding="utf-8"))
    assert written["clauses"][0]["new_field"] == 3
    assert list(written)[-2:] == ["a_newer_key", "something_new"]  # after the known keys, alphabetically


def test_a_v1_document_of_the_previous_version_loads_and_is_written_back_unchanged(tmp_path: Path) -> None:
    doc = load_conformance(V1)
    assert (doc.verdict, doc.exit_code, doc.counts["waived"]) == ("fail", 1, 1)
    assert doc.baseline is not None and doc.baseline.path == "/tmp/v1/conformance.json"
    assert [c.id for c in doc.clauses if c.failures and c.failures[0].request is not None] == [
        "SP-PROTO-003", "SP-PROTO-005", "SP-PROTO-007", "SP-CODEC-003"]
    assert write_json(doc, tmp_path).read_text(encoding="utf-8") == V1.read_text(encoding="utf-8")


def test_a_v1_document_finishes_to_the_same_verdict_and_rerenders(tmp_path: Path) -> None:
    doc = load_conformance(V1)
    again = finish(doc)
    assert (again.verdict, again.exit_code, again.counts) == (doc.verdict, doc.exit_code, doc.counts)
    paths = rerender(V1, tmp_path)
    assert "SP-PROTO-003" in paths["markdown"].read_text(encoding="utf-8")


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


def test_missing_nested_key_names_the_place(tmp_path: Path) -> None:
    d = F.failing()
    n = next(i for i, c in enumerate(d["clauses"]) if c["failures"])
    del d["clauses"][n]["failures"][0]["message"]
    message = _error(_write(tmp_path, d))
    assert f"invalid at clauses[{n}].failures[0]: missing key 'message'" in message


def test_validate_a_dict_directly() -> None:
    assert isinstance(validate_conformance(F.failing()), Conformance)
    with pytest.raises(ReportError, match=r"engine: invalid at target\.kind"):
        d = F.passing()
        d["target"]["kind"] = "ftp"
        validate_conformance(d, source="engine")


def test_the_readme_field_reference_is_the_generated_one() -> None:
    from contracts.report._reference import BEGIN, END, field_reference

    readme = (Path(__file__).parents[2] / "reports" / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    assert readme[start:end] + "\n" == field_reference(), "run: python -m contracts.report._reference"
    for key in ("`still-failing`", "`root_causes`", "`documentation`", "`first_failure_after`"):
        assert key in field_reference()


def test_sip_contracts_schema_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from contracts.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA
