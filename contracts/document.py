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
    "SCHEMA_VERSION", "BaselineComparison", "Clause", "ClientRow", "Conformance", "Documentation", "Drift",
    "Failure", "Health", "HttpRequest", "HttpResponse", "MutantRow", "Observation", "RootCause", "Traffic",
    "Waivers", "drift", "json_schema", "judge", "live_regressions", "recount", "restore_failed",
    "unwaived_drift",
]

SCHEMA_VERSION = "1"

Count = Annotated[int, Field(ge=0)]
Seconds = Annotated[float, Field(ge=0)]
IdText = Annotated[str, Field(min_length=1)]


class _Part(BaseModel):
    """A part of the document: unknown keys kept; optional keys never set are not written."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True,
                              use_attribute_docstrings=True)
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
    """The suite that produced the document."""

    name: str
    version: str
    spec_sha256: str | None = None
    """SHA-256 of the OpenAPI fragment the run used"""
    python: str | None = None
    """the Python version of the run"""


class Target(_Part):
    """What was tested. Never credentials."""

    kind: Literal["mock", "http"]
    host: str
    """e.g. `example.signalwire.com`, `127.0.0.1:8080`, `embedded-mock`"""
    base_url: str | None = None
    insecure_http: bool | None = None
    """plain http to a public host was allowed (`--insecure-http`)"""
    mutant: str | None = None
    """the embedded mock's mutant (null: the faithful mock); present for the embedded mock only"""


class Run(_Part):
    """When and how the run was made."""

    seed: int | None = None
    profile: str | None = None
    """`quick` or `deep`"""
    started_at: str
    """ISO-8601, UTC"""
    finished_at: str | None = None
    duration_s: Seconds | None = None
    writes_allowed: bool | None = None
    command: str | None = None
    """the command line that reproduces the run"""
    interrupted: str | None = None
    """why the run stopped early (Ctrl-C, the target stopped answering), or null"""
    examples_reduced: str | None = None
    """when and why the run spent fewer exploratory examples than its profile (slow answers), or null"""


class Requests(_Part):
    """Requests the run made."""

    total: Count
    by_method: dict[str, Count] = {}
    """e.g. `{"GET": 80, "PUT": 130}`"""
    budget: Count | None = None
    retries: Count | None = None
    flaky: dict[str, Count] = {}
    """transient faults by kind: `429`, `503`, `connect`, `timeout`, `dropped`, `500-recovered`"""


class HttpRequest(_Part):
    """A request as sent (credentials redacted)."""

    method: str
    url: str
    headers: dict[str, str] = {}
    body: Any = None


class HttpResponse(_Part):
    """A response as received (body trimmed text)."""

    status: int | None = None
    """null: no answer"""
    headers: dict[str, str] = {}
    body: Any = None


class Failure(_Part):
    """One counter-example: what was sent, what came back, and how to replay it."""

    message: str
    """one line"""
    expected: Any = None
    actual: Any = None
    request: HttpRequest | None = None
    response: HttpResponse | None = None
    reproducer: str | None = None
    """a `curl` command; credentials by variable name only"""
    seed: int | None = None
    example: str | None = None
    """the minimal example, as text"""
    recorded: str | None = None
    """`file#entry` of the recorded exchange judged (`check-traffic`, `proxy`): the entry is 0-based"""


class WaiverRef(_Part):
    """The waiver that applied to a clause or a drift."""

    reason: str
    expires: str
    """YYYY-MM-DD, live up to and including that day"""


class Clause(_Part):
    """One clause of the catalogue and its verdict."""

    _always = frozenset({"failures", "waiver"})

    id: IdText
    """stable clause ID, e.g. `SP-CODEC-003`"""
    title: str
    area: str
    """`protocol`, `auth`, `codecs`, `ciphers`, `encryption`, `send_as`, `identifier`, `state`"""
    kind: Literal["documented", "observed"]
    """`documented` (asserted) or `observed` (recorded, compared with the baseline)"""
    source: str | None = None
    """the documentation sentence the clause enforces, quoted"""
    where: str | None = None
    """the document it is quoted from"""
    check: str | None = None
    """the implementing function, `module:function`"""
    verdict: ClauseVerdict
    reason: str | None = None
    """one line: why skipped, inconclusive or erroring (for an observed clause: what it recorded)"""
    requests: Count | None = None
    first_failure_after: Count | None = None
    """requests made before the first failure was seen"""
    duration_s: Seconds | None = None
    failures: list[Failure] = []
    """kept when the clause is waived"""
    waiver: WaiverRef | None = None


class Observation(_Part):
    """What an undocumented point did (compared with the baseline, never judged)."""

    id: IdText
    """stable ID, e.g. `OBS-CODEC-CASE`"""
    clause: str
    """the observed clause it belongs to"""
    question: str | None = None
    request: HttpRequest | None = None
    status: int | None
    """HTTP status seen (null: no answer)"""
    value: Any
    """what was observed; compared with the baseline as canonical JSON"""
    summary: str | None = None
    """the answer in a few words, e.g. `lower-case 'opus' rejected (422)`"""


class Flaky(_Part):
    """One kind of transient fault seen during the run."""

    kind: str
    count: Count
    recovered: bool | None = None


class OperationHealth(_Part):
    """One method's requests and 5xx answers (every attempt, replays included)."""

    requests: Count
    server_errors: Count = 0
    """5xx answers but 503, recovered on replay or not"""
    unavailable: Count = 0
    """503 answers without Retry-After (a load balancer's page, often)"""
    recovered: Count = 0
    """of those, how many belonged to a request whose final answer was below 500"""
    by_status: dict[str, Count] = {}


class ServerErrorSeen(_Part):
    """One 5xx answer, with its request (credentials redacted)."""

    method: str
    status: int
    clause: str | None = None
    """the clause that sent it (null: setup or the restore)"""
    recovered: bool = False
    request: HttpRequest | None = None


class Health(_Part):
    """Run health: what the target answered besides the contract (every 5xx, busy answers)."""

    operations: dict[str, OperationHealth] = {}
    """per method, e.g. `{"PUT": {"requests": 224, "server_errors": 28, ...}}`"""
    busy: dict[str, Count] = {}
    """busy answers waited on: `429`, `503-retry-after`"""
    server_errors: list[ServerErrorSeen] = []
    """the first 5xx answers with their requests (all are counted in `operations`)"""
    outside_clauses: Count = 0
    """of the 5xx counted in `operations`, those answering requests no clause sent (the restore): they are
    not in SP-PROTO-010's rates"""


class Restore(_Part):
    """Whether every profile written was put back as found."""

    status: Literal["restored", "failed", "not-needed"]
    projects: list[str] = []
    """which projects were written to"""
    detail: str | None = None


class BaselineClauses(_Part):
    """Each clause of this run in exactly one of the first four lists; `new`/`gone` in addition."""

    regression: list[str] = []
    fixed: list[str] = []
    still_failing: list[str] = Field(default=[], alias="still-failing")
    unchanged: list[str] = []
    new: list[str] = []
    gone: list[str] = []


class Observed(_Part):
    """One side of a drift."""

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
    """Observations compared on `status` and `value` as canonical JSON."""

    changed: list[Drift] = []
    unchanged: list[str] = []
    new: list[str] = []
    gone: list[str] = []


class BaselineComparison(_Part):
    """This run compared with a baseline run (`run --baseline`)."""

    path: str | None = None
    baseline_started_at: str | None = None
    baseline_target: str | None = None
    baseline_verdict: str | None = None
    clauses: BaselineClauses = Field(default_factory=BaselineClauses)
    observations: BaselineObservations = Field(default_factory=BaselineObservations)
    warnings: list[str] = []
    """another target host, OpenAPI fragment or profile than the baseline's"""


class WaiverEntry(_Part):
    """One entry of the waiver file."""

    id: str
    reason: str
    expires: str


class Waivers(_Part):
    """What the waiver file did in this run."""

    _always = frozenset({"applied", "expired"})

    applied: list[WaiverEntry] = []
    expired: list[WaiverEntry] = []
    unused: list[WaiverEntry] = []
    """live waivers that matched nothing (the clause passes again, the observation did not drift)"""


class MutantRow(_Part):
    """One row of the kill matrix (`sip-contracts mutants`)."""

    mutant: str
    verdict: str
    """`killed` or `survived`"""
    exit_code: int | None = None
    caught_by: list[str] | None = None
    """clause IDs (failing first), `drift:OBS-…`, or why the run was inconclusive"""
    requests_to_first_failure: int | None = None
    causes: Count | None = None
    """root causes the run against the mutant gave (one planted change: ideally 1)"""
    requests: Count | None = None
    duration_s: Seconds | None = None


class DocumentationDifference(_Part):
    """One difference between the fragment and the published description."""

    id: str
    status: Literal["known", "stale"]
    what: str | None = None
    upstream: str
    fragment: str
    reason: str | None = None
    """why the difference is known"""


class Documentation(_Part):
    """`run --docs-upstream`: the fragment against SignalWire's published description (what
    `docs-diff --json` prints). Informational: never changes `verdict` or `exit_code`."""

    status: Literal["ok", "stale", "malformed", "unavailable"]
    """ok: every difference known"""
    exit_code: int | None = None
    """docs-diff's own: 0 ok, 1 stale, 2 malformed, 3 unavailable"""
    upstream: str
    source: str | None = None
    """`file`, `network`, `cache` (the fetch failed; the cached copy was used) or null"""
    fetched_at: str | None = None
    sha256: str | None = None
    message: str | None = None
    counts: dict[str, Any] | None = None
    """`{"known": 20, "stale": 0}`"""
    differences: list[DocumentationDifference]
    duration_s: Seconds | None = None


class RootCause(_Part):
    """Findings that share one distinguishing fact: one change to fix, reported once."""

    id: str
    summary: str
    """one line"""
    clauses: list[str] = []
    observations: list[str] = []
    entries: list[str] = []
    """recorded traffic: the `file#entry` of every exchange it explains, in file order"""


class Traffic(_Part):
    """Recorded exchanges judged by `check-traffic` or the proxy (the suite itself sent no request)."""

    files: list[str] = []
    exchanges: Count = 0
    """every exchange the files hold"""
    judged: Count = 0
    """GET and PUT exchanges of the endpoint with an answer"""
    not_judged: dict[str, Count] = {}
    """why -> how many: `other path`, `other method`, `no answer`"""
    projects: list[str] = []
    """one recorded sequence per file and project ID (`file: project`), each with its own model"""
    ambiguous: list[str] = []
    """orderings that could not be settled (equal or missing timestamps with conflicting answers)"""


class ClientRow(_Part):
    """One row of the client matrix: a request shape or a client (its requests are shapes), and what its
    GET, valid PUT and invalid PUT got: `✓` (the canonical answer), what breaks (`GET answers 400`),
    `observed: 411` for a shape whose answer is not asserted, `—` when the row has no such request."""

    profile: str
    kind: Literal["shape", "client", "har"]
    source: str | None = None
    """where its headers come from (a client's source, a capture, an RFC)"""
    get: str
    valid_put: str
    invalid_put: str


class TargetRow(_Part):
    """One run of a merged report (`sip-contracts merge`): a target and how it ended."""

    name: str
    """the run's name: the directory its conformance.json came from"""
    kind: Literal["mock", "http"]
    host: str
    verdict: RunVerdict
    exit_code: int
    counts: dict[str, Count] = {}
    failing: list[str] = []
    """clause IDs that failed on this target"""
    restore: str | None = None
    """the run's restore status"""
    started_at: str | None = None
    mutant: str | None = None


class Conformance(_Part):
    """A whole run document, schema version "1"."""

    _always = frozenset({"flakiness", "baseline", "waivers"})
    model_config = ConfigDict(title="sip-profile-contracts conformance document")

    schema_version: Literal["1"]
    """this format"""
    suite: Suite
    target: Target
    run: Run
    requests: Requests
    verdict: RunVerdict
    """see Exit status for the order in which it is computed"""
    exit_code: ExitCode
    """0, 1, 3 or 4 (see Exit status)"""
    counts: dict[str, Count]
    """clauses per verdict: `pass`, `fail`, `inconclusive`, `error`, `skipped`, `waived`"""
    clauses: list[Clause]
    """one entry per clause, in catalogue order"""
    observations: list[Observation]
    """one entry per observation"""
    flakiness: list[Flaky] = []
    """one entry per kind of transient fault (default `[]`)"""
    health: Health | None = None
    """run health: 5xx answers per operation and busy answers (absent in documents before it existed)"""
    restore: Restore
    baseline: BaselineComparison | None = None
    """the comparison with `run --baseline` (default null)"""
    waivers: Waivers = Field(default_factory=Waivers)
    """what the waiver file did"""
    mutants: list[MutantRow] | None = None
    """the kill matrix of a mutation run"""
    documentation: Documentation | None = None
    """only with `run --docs-upstream`"""
    root_causes: list[RootCause] = []
    """failures and drift grouped by the one change that explains them"""
    traffic: Traffic | None = None
    """only for `check-traffic` and the proxy: what was judged"""
    clients: list[ClientRow] | None = None
    """the client matrix (clauses SP-SHAPE-*): one row per request shape and per client profile"""
    targets: list[TargetRow] | None = None
    """a merged report (`sip-contracts merge`): one row per run; clause and observation IDs are then
    prefixed with the run's name (`staging-eu/SP-CODEC-003`)"""


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
