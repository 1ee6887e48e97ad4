"""The run document (``conformance.json``, schema "1"): one typed description, filled by the runner and
read by the report, the baseline and the tests.

Field order is the key order of ``conformance.json``. The JSON Schema is generated from these models
(:func:`json_schema`, ``sip-contracts schema``), and a document is validated on read by them.

Versioning: additive changes (new optional keys) keep ``"1"``; renaming, removing or retyping a key, or
adding a required one, bumps it. Unknown keys are allowed and kept, so an older reader opens a newer "1".

Written form: an optional key that was never set (absent in the JSON read, or not given by the runner) is
left out again on write, so a document read and written again keeps its keys; the keys listed in a
model's ``_always`` are written with their default (a reader may rely on them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from contracts.outcomes import EXIT_FOR_VERDICT, ClauseVerdict, ExitCode, RunVerdict

__all__ = [
    "SCHEMA_VERSION", "BaselineComparison", "Clause", "Conformance", "Documentation", "Drift", "Failure",
    "HttpRequest", "HttpResponse", "MutantRow", "Observation", "RootCause", "Waivers", "drift",
    "json_schema", "judge", "live_regressions", "recount", "restore_failed", "unwaived_drift",
]

SCHEMA_VERSION = "1"

Count = Annotated[int, Field(ge=0)]
Seconds = Annotated[float, Field(ge=0)]
IdText = Annotated[str, Field(min_length=1)]


class _Part(BaseModel):
    """A part of the document: unknown keys kept; optional keys never set are not written."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)
    _always: ClassVar[frozenset[str]] = frozenset()

    def dump(self) -> dict[str, Any]:
        """Plain JSON data, exactly as ``conformance.json`` holds it."""
        return self.model_dump(mode="json", by_alias=True)

    @model_serializer(mode="wrap")
    def _written(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name, info in type(self).model_fields.items():
            if not info.is_required() and name not in self.model_fields_set and name not in self._always:
                data.pop(info.alias or name, None)
        # Unknown keys after the known ones, alphabetically (the order the hand-written writer used).
        known = [k for k in data if k not in (self.__pydantic_extra__ or {})]
        return {**{k: data[k] for k in known}, **{k: data[k] for k in sorted(data) if k not in known}}


class Suite(_Part):
    name: str
    version: str
    spec_sha256: str | None = None
    python: str | None = None


class Target(_Part):
    kind: Literal["mock", "http"]
    host: str
    base_url: str | None = None
    insecure_http: bool | None = None  #: plain http to a public host was allowed (--insecure-http)
    mutant: str | None = None  #: set for the embedded mock only (null: the faithful mock)


class Run(_Part):
    seed: int | None = None
    profile: str | None = None
    started_at: str
    finished_at: str | None = None
    duration_s: Seconds | None = None
    writes_allowed: bool | None = None
    command: str | None = None
    interrupted: str | None = None  #: why the run stopped early, if it did


class Requests(_Part):
    total: Count
    by_method: dict[str, Count] = {}
    budget: Count | None = None
    retries: Count | None = None
    flaky: dict[str, Count] = {}


class HttpRequest(_Part):
    method: str
    url: str
    headers: dict[str, str] = {}
    body: Any = None


class HttpResponse(_Part):
    status: int | None = None
    headers: dict[str, str] = {}
    body: Any = None


class Failure(_Part):
    """One counter-example: what was sent, what came back, and how to replay it."""

    message: str
    expected: Any = None
    actual: Any = None
    request: HttpRequest | None = None
    response: HttpResponse | None = None
    reproducer: str | None = None
    seed: int | None = None
    example: str | None = None


class WaiverRef(_Part):
    reason: str
    expires: str


class Clause(_Part):
    _always = frozenset({"failures", "waiver"})

    id: IdText
    title: str
    area: str
    kind: Literal["documented", "observed"]
    source: str | None = None
    where: str | None = None
    check: str | None = None
    verdict: ClauseVerdict
    reason: str | None = None
    requests: Count | None = None
    first_failure_after: Count | None = None
    duration_s: Seconds | None = None
    failures: list[Failure] = []
    waiver: WaiverRef | None = None


class Observation(_Part):
    """What an undocumented point did (compared with the baseline, never judged)."""

    id: IdText
    clause: str
    question: str | None = None
    request: HttpRequest | None = None
    status: int | None
    value: Any
    summary: str | None = None


class Flaky(_Part):
    kind: str
    count: Count
    recovered: bool | None = None


class Restore(_Part):
    status: Literal["restored", "failed", "not-needed"]
    projects: list[str] = []
    detail: str | None = None


class BaselineClauses(_Part):
    regression: list[str] = []
    fixed: list[str] = []
    still_failing: list[str] = Field(default=[], alias="still-failing")
    unchanged: list[str] = []
    new: list[str] = []
    gone: list[str] = []


class Observed(_Part):
    status: int | None = None
    value: Any = None
    summary: str | None = None


class Drift(_Part):
    """An observation whose status or value changed since the baseline."""

    id: str
    clause: str | None = None
    question: str | None = None
    before: Observed
    after: Observed
    waived: bool = False
    waiver: WaiverRef | None = None


class BaselineObservations(_Part):
    changed: list[Drift] = []
    unchanged: list[str] = []
    new: list[str] = []
    gone: list[str] = []


class BaselineComparison(_Part):
    path: str | None = None
    baseline_started_at: str | None = None
    baseline_target: str | None = None
    baseline_verdict: str | None = None
    clauses: BaselineClauses = Field(default_factory=BaselineClauses)
    observations: BaselineObservations = Field(default_factory=BaselineObservations)
    warnings: list[str] = []


class WaiverEntry(_Part):
    id: str
    reason: str
    expires: str


class Waivers(_Part):
    _always = frozenset({"applied", "expired"})

    applied: list[WaiverEntry] = []
    expired: list[WaiverEntry] = []
    unused: list[WaiverEntry] = []  #: live waivers that matched nothing


class MutantRow(_Part):
    """One row of the kill matrix (``sip-contracts mutants``)."""

    mutant: str
    verdict: str
    exit_code: int | None = None
    caught_by: list[str] | None = None
    requests_to_first_failure: int | None = None
    requests: Count | None = None
    duration_s: Seconds | None = None


class DocumentationDifference(_Part):
    id: str
    status: Literal["known", "stale"]
    what: str | None = None
    upstream: str
    fragment: str
    reason: str | None = None


class Documentation(_Part):
    """``run --docs-upstream``: the fragment against SignalWire's published description (informational)."""

    status: Literal["ok", "stale", "malformed", "unavailable"]
    exit_code: int | None = None
    upstream: str
    source: str | None = None
    fetched_at: str | None = None
    sha256: str | None = None
    message: str | None = None
    counts: dict[str, Any] | None = None
    differences: list[DocumentationDifference]
    duration_s: Seconds | None = None


class RootCause(_Part):
    """Findings that share one distinguishing fact: one change to fix, reported once."""

    id: str
    summary: str  #: one line
    clauses: list[str] = []
    observations: list[str] = []


class Conformance(_Part):
    """A whole run document, schema version "1"."""

    _always = frozenset({"flakiness", "baseline", "waivers"})
    model_config = ConfigDict(title="sip-profile-contracts conformance document")

    schema_version: Literal["1"]
    suite: Suite
    target: Target
    run: Run
    requests: Requests
    verdict: RunVerdict
    exit_code: ExitCode
    counts: dict[str, Count]
    clauses: list[Clause]
    observations: list[Observation]
    flakiness: list[Flaky] = []
    restore: Restore
    baseline: BaselineComparison | None = None
    waivers: Waivers = Field(default_factory=Waivers)
    mutants: list[MutantRow] | None = None
    documentation: Documentation | None = None
    root_causes: list[RootCause] = []


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a conformance document, generated from :class:`Conformance`."""
    schema = Conformance.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# The verdict rules read the plain form (the renderers share them), so they are written once, here.

def live_regressions(doc: Mapping[str, Any]) -> list[str]:
    """Clause IDs that regressed since the baseline and still fail now (a waiver takes them out)."""
    baseline = doc.get("baseline") or {}
    verdicts = {c["id"]: c["verdict"] for c in doc["clauses"]}
    return [cid for cid in baseline.get("clauses", {}).get("regression", []) if verdicts.get(cid) == "fail"]


def drift(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every changed observation (waived or not), as stored by the baseline comparison."""
    baseline = doc.get("baseline") or {}
    changed: list[dict[str, Any]] = baseline.get("observations", {}).get("changed", [])
    return changed


def unwaived_drift(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [d for d in drift(doc) if not d.get("waived")]


def restore_failed(doc: Mapping[str, Any]) -> bool:
    return bool((doc.get("restore") or {}).get("status") == "failed")


def recount(doc: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(("pass", "fail", "inconclusive", "error", "skipped", "waived"), 0)
    for clause in doc["clauses"]:
        counts[clause["verdict"]] = counts.get(clause["verdict"], 0) + 1
    return counts


def judge(doc: Mapping[str, Any]) -> tuple[dict[str, int], RunVerdict, ExitCode]:
    """``counts``, run verdict and exit code of a document.

    Order: a failing clause, a regression or unwaived drift -> ``fail`` (1); else an erroring clause ->
    ``error`` (4, a bug in the suite); else an inconclusive one -> ``inconclusive`` (3); else ``pass``
    (0). A run in which no clause could be checked at all (none passed, failed or was waived) is
    ``inconclusive`` (3). A failed restore of the profile overrides everything: ``error`` with exit 1,
    because a live project was left modified.
    """
    counts = recount(doc)
    verdict: RunVerdict
    if counts["fail"] or live_regressions(doc) or unwaived_drift(doc):
        verdict = "fail"
    elif counts["error"]:
        verdict = "error"
    elif counts["inconclusive"] or not (counts["pass"] or counts["waived"]):
        verdict = "inconclusive"
    else:
        verdict = "pass"
    if restore_failed(doc):
        return counts, "error", ExitCode.FAIL
    return counts, verdict, EXIT_FOR_VERDICT[verdict]
