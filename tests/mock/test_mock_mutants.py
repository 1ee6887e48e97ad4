"""Every mutant really changes behaviour: a small table of witness requests per mutant, run against the
faithful mock and the mutant; the answers or the resulting state must differ."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from contracts.catalogue import CATALOGUE, OBSERVATION_IDS
from contracts.env import MOCK_PROJECTS
from contracts.mock import MUTANTS, MockSpace
from contracts.spec import PATH, load_spec

SPEC = load_spec()
PRIMARY_ID = next(p.project_id for p in MOCK_PROJECTS if p.who == "primary")

OBSERVATIONS = frozenset(OBSERVATION_IDS)  #: declared by the observed clauses


@dataclass(frozen=True)
class Step:
    method: str = "GET"
    body: Any = ...
    who: str | tuple[str, str] | None = "primary"
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    omit: tuple[str, ...] = ()  #: headers the request must not carry (httpx's defaults included)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def put(body: Any, who: str | tuple[str, str] | None = "primary") -> Step:
    return Step("PUT", body, who)


def get(who: str | tuple[str, str] | None = "primary") -> Step:
    return Step("GET", who=who)


WITNESSES: dict[str, tuple[Step, ...]] = {
    "codec-accepts-g729": (put({"default_codecs": ["G729"]}),),
    "cipher-accepts-aes-128-gcm": (put({"default_ciphers": ["AES_128_GCM"]}),),
    "encryption-accepts-none": (put({"default_encryption": "none"}),),
    "codec-rejects-video": (put({"default_codecs": ["VP8"]}), put({"default_codecs": ["H264"]})),
    "cipher-rejects-gcm8": (put({"default_ciphers": ["AEAD_AES_256_GCM_8"]}),),
    "codec-case-insensitive": (put({"default_codecs": ["opus"]}),),
    "codecs-sorted": (put({"default_codecs": ["PCMU", "OPUS"]}),),
    "codecs-sorted-on-read": (put({"default_codecs": ["PCMU", "OPUS"]}), get()),
    "codecs-deduped": (put({"default_codecs": ["OPUS", "OPUS"]}),),
    "codecs-empty-rejected": (put({"default_codecs": []}),),
    "sendas-accepts-no-plus": (put({"default_send_as": "12015550123"}),),
    "sendas-accepts-16-digits": (put({"default_send_as": "+1234567890123456"}),),
    "sendas-accepts-national-format": (put({"default_send_as": "(201) 555-0123"}),),
    "sendas-only-nanp": (put({"default_send_as": "+447400123456"}),),
    "sendas-empty-rejected": (put({"default_send_as": ""}),),
    "sendas-null-rejected": (put({"default_send_as": None}),),
    "sendas-null-reads-back-empty": (put({"default_send_as": None}), get()),
    "codecs-empty-500": (put({"default_codecs": []}),),
    "codecs-non-list-500": (put({"default_codecs": "OPUS"}),),
    "malformed-json-500": (Step("PUT", content=b"{", headers={"Content-Type": "application/json"}),),
    "ciphers-not-persisted": (put({"default_ciphers": [SPEC.ciphers[-1]]}), get()),
    "get-ciphers-null": (get(),),
    "stale-get": (put({"default_encryption": "required"}), get()),
    "omitted-fields-reset": (put({"default_encryption": "required"}),),
    "non-atomic-rejection": (put({"default_encryption": "required", "default_codecs": ["G729"]}), get()),
    "put-answers-200": (put({}),),
    "error-status-number": (put({"default_codecs": ["G729"]}),),
    "error-400-not-422": (put({"default_codecs": ["G729"]}),),
    "get-without-domain": (get(),),
    "put-without-send-as": (put({}),),
    "get-text-plain": (get(),),
    "unknown-fields-rejected": (put({"colour": "blue"}),),
    "post-acts-as-put": (Step("POST", {"default_encryption": "required"}),),
    "auth-any-token": (get(("primary", "not-the-token")),),
    "auth-get-without-credentials": (get(None),),
    "auth-scope-ignored": (get("novoice"), put({"default_encryption": "required"}, "novoice")),
    "auth-novoice-403": (get("novoice"),),
    "auth-cross-project": (get(("primary", "secondary")),
                           put({"default_encryption": "required"}, ("primary", "secondary"))),
    "auth-401-body-message": (get(None),),
    "identifier-not-unique": (put({"domain_identifier": "secondary-sip"}),),
    "domain-not-recomputed": (put({"domain_identifier": "renamed"}), get()),
    "identifier-accepts-underscore": (put({"domain_identifier": "new_id"}),),
    "slow-responses": (get(),),
    # -- the regressions only the model, near-miss credentials, E.164 edges and the rehearsal see -------
    "sendas-truncated-on-read": (put({"default_send_as": "+878101234567890"}), get()),
    "put-echo-omitted-null": (put({"default_encryption": "required"}),),
    "sendas-max-14-digits": (put({"default_send_as": "+878101234567890"}),),
    "auth-token-case-insensitive": (get(("primary", "MOCK-TOKEN-PRIMARY")),),
    "auth-token-prefix": (get(("primary", "mock-token-primarX")),),
    "auth-token-stripped": (get(("primary", " mock-token-primary ")),),
    "auth-swapped-accepted": (Step(who=None, headers={"Authorization": basic("mock-token-primary",
                                                                              PRIMARY_ID)}),),
    "auth-empty-password": (get(("primary", "")),),
    "auth-project-id-prefix": (Step(who=None, headers={"Authorization": basic(PRIMARY_ID[:-1] + "0",
                                                                               "mock-token-primary")}),),
    "identifier-taken-by-itself": (put({"domain_identifier": "primary-sip"}),),
    "full-put-sorts-ciphers": (put({"domain_identifier": "primary-sip", "default_codecs": ["OPUS"],
                                    "default_ciphers": list(reversed(SPEC.ciphers)),
                                    "default_encryption": "optional", "default_send_as": None}),),
    "slow-put": (put({}),),  # a timing regression: see test_slow_put_is_slower_than_get
    # the 8th PUT is answered 500 and not applied: the profile keeps "optional"
    "put-500-one-in-eight": (*(put({"default_encryption": "optional"}),) * 7,
                             put({"default_encryption": "required"})),
    "sendas-stored-with-space": (put({"default_send_as": "+447400123456"}),),
    # -- request shapes: the same request as another client puts it on the wire ----------------------
    "accept-absent-406": (Step(omit=("Accept",)),),
    "accept-wildcard-406": (Step(headers={"Accept": "*/*"}),),
    "accept-q-values-406": (Step(headers={"Accept": "text/html;q=0.9, application/json;q=0.8"}),),
    "charset-415": (Step("PUT", content=b'{"default_encryption":"required"}',
                         headers={"Content-Type": "application/json; charset=utf-8"}),),
    "get-content-type-400": (Step(headers={"Content-Type": "application/json"}),),
    "spaced-json-400": (Step("PUT", content=b'{"default_encryption": "required"}',
                             headers={"Content-Type": "application/json"}),),
    "reordered-keys-ignored": (put({"default_encryption": "required", "default_codecs": ["PCMU"]}),),
    "large-body-413": (put({"domain_identifier": "primary-sip", "default_codecs": list(SPEC.codecs),
                            "default_ciphers": list(SPEC.ciphers), "default_encryption": "optional",
                            "default_send_as": "+878101234567890"}),),
    "fetch-metadata-403": (Step(headers={"sec-fetch-mode": "cors"}),),
    "readonly-domain-stored": (put({"default_encryption": "required", "domain": "other.example.invalid"}),),
    "sendas-line-anchored": (put({"default_send_as": "+12015550123\n"}),
                             put({"default_send_as": "junk\n+12015550123"})),
}


def observe(space: MockSpace, steps: tuple[Step, ...]) -> list[Any]:
    """What a client sees (status, content type, body, or the exception), then the stored profiles."""
    seen: list[Any] = []
    with httpx.Client(transport=space.transport(), base_url=space.base_url, timeout=1.0) as client:
        for step in steps:
            auth: Any = httpx.USE_CLIENT_DEFAULT
            if isinstance(step.who, str):
                p = space.projects[step.who]
                auth = (p.project_id, p.token)
            elif isinstance(step.who, tuple):
                user, token = step.who
                auth = (space.projects[user].project_id,
                        space.projects[token].token if token in space.projects else token)
            kwargs: dict[str, Any] = {"headers": step.headers, "auth": auth}
            if step.content is not None:
                kwargs["content"] = step.content
            elif step.body is not ...:
                kwargs["json"] = step.body
            try:
                auth = kwargs.pop("auth")
                request = client.build_request(step.method, PATH, **kwargs)
                for name in step.omit:
                    del request.headers[name]
                r = client.send(request, auth=auth)
                seen.append((r.status_code, r.headers.get("content-type"), r.text))
            except httpx.HTTPError as exc:
                seen.append(type(exc).__name__)
    seen.append({name: space.profile(name) for name in ("primary", "secondary")})
    return seen


def test_there_are_enough_mutants_and_every_one_has_witnesses() -> None:
    assert len(MUTANTS) >= 34
    assert set(WITNESSES) == set(MUTANTS)


def test_every_area_is_covered() -> None:
    areas = {m.area for m in MUTANTS.values()}
    assert {c.area for c in CATALOGUE} <= areas and "timing" in areas


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_metadata(name: str) -> None:
    mutant = MUTANTS[name]
    assert mutant.name == name and mutant.description and mutant.catches
    clause_ids = {c.id for c in CATALOGUE}
    for target in mutant.catches:
        if target.startswith("baseline:"):
            assert target.removeprefix("baseline:") in OBSERVATIONS
        elif target == "timing":
            assert mutant.area == "timing"
        else:
            assert target in clause_ids, target
            # A documented clause can only catch a mutant if it is asserted, not merely observed.
            assert next(c for c in CATALOGUE if c.id == target).documented, target


def test_mutants_of_removed_names_still_refer_to_the_vocabulary() -> None:
    # Two mutants narrow the vocabulary by name; if the fragment ever drops those names, they would be
    # no-ops, and this says so instead of the witness test failing mysteriously.
    from contracts.mock import _mutants as m

    assert set(SPEC.codecs) >= m.REMOVED_CODECS and set(SPEC.ciphers) >= m.REMOVED_CIPHERS
    assert m.ADDED_CODEC not in SPEC.codecs and m.ADDED_CIPHER not in SPEC.ciphers
    assert m.ADDED_ENCRYPTION not in SPEC.encryption_values


@pytest.mark.parametrize("name", sorted(set(MUTANTS) - {"slow-put"}))
def test_each_mutant_changes_behaviour(name: str) -> None:
    steps = WITNESSES[name]
    faithful, mutated = observe(MockSpace(), steps), observe(MockSpace(mutant=name), steps)
    assert faithful != mutated, f"mutant {name!r} behaves like the faithful mock on its witnesses"


@pytest.mark.parametrize("name", sorted(set(MUTANTS) - {"slow-responses"}))
def test_mutants_change_nothing_else(name: str) -> None:
    """A mutant is a single regression: the plain GET and a plain valid PUT of another project still work
    (unless the regression is about exactly that)."""
    space = MockSpace(mutant=name)
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as client:
        p = space.projects["secondary"]
        # The canonical request (the suite's own shape): a shape mutant refuses only other shapes.
        r = client.put(PATH, json={"default_encryption": "required"}, auth=(p.project_id, p.token),
                       headers={"Accept": "application/json"})
    assert r.status_code in (200, 201)
    assert space.profile("secondary")["default_encryption"] == "required"


#: Caught only by reading back (read-after-write, and the model that judges every GET).
READ_BACK = {"SP-STATE-001", "SP-STATE-005"}


@pytest.mark.parametrize("name", sorted(n for n, m in MUTANTS.items()
                                        if m.catches[0] == "SP-STATE-001" and set(m.catches) <= READ_BACK))
def test_read_after_write_mutants_answer_the_put_faithfully(name: str) -> None:
    """Only a GET after the PUT can see these: the PUT's own answer is what the faithful mock answers."""
    steps = tuple(s for s in WITNESSES[name] if s.method == "PUT")
    steps = steps or (put({"default_encryption": "required"}),)
    steps += (get(),)
    faithful, mutated = observe(MockSpace(), steps), observe(MockSpace(mutant=name), steps)
    assert faithful[:-2] == mutated[:-2]  # every PUT answer
    put_answer, get_answer = mutated[-3][2], mutated[-2][2]
    assert httpx.Response(200, content=put_answer).json() != httpx.Response(200, content=get_answer).json()


def test_slow_put_is_slower_than_get() -> None:
    """slow-put changes only timing: its PUTs take far longer than its GETs (medians of a few, in-process)."""
    space = MockSpace(mutant="slow-put")
    p = space.projects["primary"]
    auth = (p.project_id, p.token)
    with httpx.Client(transport=space.transport(), base_url=space.base_url, auth=auth) as c:
        def median(method: str) -> float:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                c.request(method, PATH, **({"json": {}} if method == "PUT" else {}))
                times.append(time.perf_counter() - started)
            return sorted(times)[2]

        assert median("PUT") > 5 * median("GET")


def test_one_put_in_eight_answers_500_and_its_replay_succeeds() -> None:
    """Deterministic: PUTs 8, 16, 24 … are answered 500 (nothing stored); the next PUT, a replay, is taken."""
    space = MockSpace(mutant="put-500-one-in-eight")
    p = space.projects["primary"]
    auth = (p.project_id, p.token)
    with httpx.Client(transport=space.transport(), base_url=space.base_url, auth=auth) as c:
        statuses = [c.put(PATH, json={"default_encryption": "required"}).status_code for _ in range(24)]
        assert c.get(PATH).status_code == 200  # GETs are not counted and never fail
    assert [n for n, status in enumerate(statuses, 1) if status == 500] == [8, 16, 24]
    assert set(statuses) - {500} == {201}
