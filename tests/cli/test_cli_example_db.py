"""The hypothesis example database: a failure found one night is the first thing tried the next.

``hypothesis.find(random=…)`` drops the database (``@seed`` sets ``database=None``), so before the fix the
directory was never written. A planted change that only some draws reveal (a PUT of three or more codecs
with PCMA before OPUS answers 200) makes the proof meaningful: a fresh run does not try such a list first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from contracts.engine.config import load_config
from contracts.mock import MockSpace
from contracts.runner import execute

CLAUSE = "SP-CODEC-002"  # subsets and orderings of codecs: found by search only


def _reveals(body: Any) -> bool:
    codecs = body.get("default_codecs") if isinstance(body, dict) else None
    if not (isinstance(codecs, list) and len(codecs) >= 3 and "PCMA" in codecs and "OPUS" in codecs):
        return False
    return codecs.index("PCMA") < codecs.index("OPUS")


class _Planted(httpx.BaseTransport):
    """The faithful mock, except that a PUT revealing the change answers 200; logs each clause's PUTs."""

    def __init__(self) -> None:
        self.inner = MockSpace().transport()
        self.clause = ""
        self.puts: dict[str, list[Any]] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method != "PUT":
            return response
        body = json.loads(request.content or b"null")
        self.puts.setdefault(self.clause, []).append(body)
        if response.status_code == 201 and _reveals(body):
            response.read()
            return httpx.Response(200, headers=response.headers, content=response.content)
        return response


def _run(tmp_path: Path, name: str, *, seed: int, db: Path | None) -> tuple[dict[str, Any], _Planted]:
    cfg = load_config(env={}, seed=seed, report_dir=tmp_path / name, max_examples=25,
                      example_db=str(db) if db else "none")
    transport = _Planted()

    def progress(i: int, n: int, clause: Any, result: Any) -> None:
        transport.clause = clause.id

    outcome = execute(cfg, transport=transport, progress=progress)
    return outcome.doc, transport


def _failure(doc: dict[str, Any]) -> dict[str, Any]:
    clause = next(c for c in doc["clauses"] if c["id"] == CLAUSE)
    assert clause["verdict"] == "fail", clause["reason"]
    return dict(clause["failures"][0])


def test_a_failing_example_is_saved_and_tried_first_in_the_next_run(tmp_path: Path) -> None:
    db = tmp_path / "db"
    first, t1 = _run(tmp_path, "r1", seed=1, db=db)
    example = json.loads(_failure(first)["example"])
    assert _reveals({"default_codecs": example})
    assert not _reveals({"default_codecs": t1.puts[CLAUSE][0]}), "the first draw already revealed it"
    assert any(db.rglob("*")), "nothing was saved in the example database"

    # Another seed, the same database: the saved failure is the clause's first request.
    second, t2 = _run(tmp_path, "r2", seed=2, db=db)
    assert t2.puts[CLAUSE][0] == {"default_codecs": example}
    assert _failure(second)["example"] == _failure(first)["example"]

    # The same seed without the database does not start there: the replay is the database's doing.
    _, t3 = _run(tmp_path, "r3", seed=2, db=None)
    assert t3.puts[CLAUSE][0] != {"default_codecs": example}


def test_the_database_directory_exists_after_any_run(tmp_path: Path) -> None:
    db = tmp_path / "fresh-db"
    _run(tmp_path, "r", seed=3, db=db)
    assert db.is_dir()
