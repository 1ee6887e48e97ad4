"""The catalogue of mutants: realistic regressions of the API, each one switchable alone.

A mutant is only a name here; the service checks ``hooks.on("name")`` at the one place where the
regression lives, so a mutant is a few lines in the faithful code path, never a copy of it. ``catches``
names the clauses of ``contracts/catalogue.py`` expected to fail against it, or ``baseline:OBS-…`` when
the change is to an undocumented behaviour that only a comparison with a recorded baseline reveals, or
``timing`` for changes no clause asserts (area ``timing``, kept out of the kill matrix).

The first ID is the clause aimed at; the others are consequences the docs make unavoidable (a value
outside the vocabulary, once accepted, is echoed in answers that then violate the response schema:
SP-PROTO-007). Consequences that depend on which values the suite happens to send are not listed, nor are
the generic schemathesis nets (SP-PROTO-005/006).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["MUTANTS", "Mutant"]

# The names the vocabulary mutants add or remove. The faithful mock reads its vocabularies from the
# fragment; these are the regressions, so they are written out (tests check the removed ones are still
# in the fragment and the added ones are not, so a spec change cannot turn a mutant into a no-op).
ADDED_CODEC = "G729"
ADDED_CIPHER = "AES_128_GCM"
ADDED_ENCRYPTION = "none"
REMOVED_CODECS = frozenset({"VP8", "H264"})
REMOVED_CIPHERS = frozenset({"AEAD_AES_256_GCM_8"})


@dataclass(frozen=True)
class Mutant:
    name: str
    area: str
    description: str
    catches: tuple[str, ...]


def _m(name: str, area: str, description: str, *catches: str) -> Mutant:
    return Mutant(name=name, area=area, description=description, catches=catches)


#: Every clause that expects a 422 for a rejected value: a 400 fails them all. (The shape clauses do not:
#: they compare each shape with the canonical request, which gets the same 400.)
_REJECTED_422 = ("SP-PROTO-003", "SP-CODEC-003", "SP-CODEC-004", "SP-CIPHER-003", "SP-CIPHER-004",
                 "SP-ENC-002", "SP-SENDAS-003", "SP-SENDAS-004", "SP-ID-002", "SP-ID-003")
#: Every clause that expects the 201 of an accepted PUT.
_ACCEPTED_201 = ("SP-PROTO-002", "SP-CODEC-001", "SP-CODEC-002", "SP-CIPHER-001", "SP-CIPHER-002",
                 "SP-ENC-001", "SP-SENDAS-001", "SP-SENDAS-002", "SP-ID-001", "SP-STATE-001", "SP-STATE-002")

_ALL: tuple[Mutant, ...] = (
    # -- vocabularies widened and narrowed ----------------------------------------------------------------
    _m("codec-accepts-g729", "codecs", "G729 is accepted as a codec (vocabulary widened).",
       "SP-CODEC-003", "SP-PROTO-003", "SP-PROTO-007"),
    _m("cipher-accepts-aes-128-gcm", "ciphers", "AES_128_GCM is accepted as a cipher (vocabulary widened).",
       "SP-CIPHER-003", "SP-PROTO-007"),
    _m("encryption-accepts-none", "encryption", 'default_encryption accepts a third value, "none".',
       "SP-ENC-002", "SP-PROTO-003", "SP-PROTO-007"),
    _m("codec-rejects-video", "codecs", "VP8 and H264 are rejected with 422 (vocabulary narrowed).",
       "SP-CODEC-001", "SP-CODEC-002", "SP-STATE-001", "SP-SHAPE-005"),
    _m("cipher-rejects-gcm8", "ciphers", "AEAD_AES_256_GCM_8 is rejected with 422 (vocabulary narrowed).",
       "SP-STATE-006"),
    # -- undocumented list behaviour changed --------------------------------------------------------------
    _m("codec-case-insensitive", "codecs", "Codec names are matched case-insensitively and stored in upper "
       "case.", "baseline:OBS-CODEC-CASE"),
    _m("codecs-sorted", "codecs", "Codecs are stored sorted alphabetically; PUT and GET both answer the "
       "sorted list.",
       "SP-STATE-006", "baseline:OBS-CODEC-ORDER"),
    _m("codecs-sorted-on-read", "state", "PUT echoes codecs as sent, but GET answers them sorted.",
       "SP-STATE-001", "SP-STATE-005"),
    _m("codecs-deduped", "codecs", "Duplicate codecs are collapsed on store.", "baseline:OBS-CODEC-DUP"),
    _m("codecs-empty-rejected", "codecs", "An empty default_codecs list is rejected with 422.",
       "baseline:OBS-CODEC-EMPTY"),
    # -- E.164 loosened and tightened, null/"" semantics ----------------------------------------------------
    _m("sendas-accepts-no-plus", "send_as", 'E.164 digits without the leading "+" are accepted.',
       "SP-SENDAS-003", "SP-PROTO-007"),
    _m("sendas-accepts-16-digits", "send_as", '"+" followed by 16 or more digits is accepted.',
       "SP-SENDAS-003", "SP-PROTO-007"),
    _m("sendas-accepts-national-format", "send_as", 'Nationally formatted numbers such as "(201) 555-0123" '
       "are accepted.", "SP-SENDAS-003", "SP-PROTO-007"),
    _m("sendas-only-nanp", "send_as", "Only +1 numbers are accepted; other valid E.164 numbers get 422.",
       "SP-SENDAS-001", "SP-SHAPE-005"),
    _m("sendas-empty-rejected", "send_as", 'default_send_as "" is rejected with 422.', "SP-SENDAS-002"),
    _m("sendas-null-rejected", "send_as", "default_send_as null is rejected with 422.",
       "SP-STATE-006"),
    _m("sendas-null-reads-back-empty", "send_as", 'null (and "") for default_send_as are stored and read '
       'back as "".', "baseline:OBS-SENDAS-NULL-READBACK"),
    # -- server errors on edge inputs -------------------------------------------------------------------
    _m("codecs-empty-500", "codecs", "An empty default_codecs list is answered 500.", "SP-PROTO-004"),
    _m("codecs-non-list-500", "codecs", "A default_codecs that is not a list is answered 500.",
       "SP-PROTO-004", "SP-CODEC-004"),
    _m("malformed-json-500", "protocol", "A body that is not JSON is answered 500 instead of 400.",
       "SP-PROTO-004"),
    # -- persistence ------------------------------------------------------------------------------------
    _m("ciphers-not-persisted", "state", "PUT answers 201 echoing new ciphers, but they are never stored.",
       "SP-STATE-001", "SP-STATE-005"),
    _m("get-ciphers-null", "state", "PUT echoes default_ciphers, but GET answers default_ciphers: null.",
       "SP-STATE-001", "SP-STATE-005"),
    _m("stale-get", "state", "GET answers the profile as it was before the last successful PUT.",
       "SP-STATE-001", "SP-STATE-005"),
    _m("omitted-fields-reset", "state", "Replace semantics: fields omitted from a PUT are reset to null.",
       "baseline:OBS-STATE-OMITTED"),
    _m("non-atomic-rejection", "state", "A rejected PUT (422) still applies its valid fields.",
       "SP-STATE-003", "SP-STATE-005"),
    # -- protocol and answer format ----------------------------------------------------------------------
    _m("put-answers-200", "protocol", "A successful PUT answers 200 instead of 201.", *_ACCEPTED_201),
    _m("error-status-number", "protocol", 'Items of a 422 body carry "status": 422 as a number.',
       "SP-PROTO-003", "SP-PROTO-007"),
    _m("error-400-not-422", "protocol", "Invalid attributes are answered 400 instead of 422 (same body).",
       *_REJECTED_422),
    _m("get-without-domain", "protocol", "GET answers lack the domain member.",
       "SP-PROTO-001", "SP-PROTO-007", "SP-STATE-001", "SP-STATE-005"),
    _m("put-without-send-as", "protocol", "PUT answers lack the default_send_as member.",
       "SP-PROTO-002", "SP-PROTO-007", "SP-SENDAS-001", "SP-STATE-005", "SP-SHAPE-005"),
    _m("get-text-plain", "protocol", "GET answers carry Content-Type: text/plain (the body is still JSON).",
       "SP-PROTO-007"),
    _m("unknown-fields-rejected", "protocol", "Unknown request members are rejected with 422.",
       "baseline:OBS-PROTO-UNKNOWN-FIELD"),
    _m("post-acts-as-put", "protocol", "POST on the path behaves like PUT instead of answering 405.",
       "baseline:OBS-PROTO-POST"),
    # -- authentication and scope -------------------------------------------------------------------------
    _m("auth-any-token", "auth", "Any token is accepted for a known project id.",
       "SP-AUTH-002", "SP-AUTH-004", "SP-AUTH-005", "SP-AUTH-006"),
    _m("auth-get-without-credentials", "auth", "GET without Authorization answers the primary project's "
       "profile.", "SP-AUTH-001", "SP-AUTH-003"),
    _m("auth-scope-ignored", "auth", "A token without the Voice scope can read and write the profile.",
       "SP-AUTH-004"),
    _m("auth-novoice-403", "auth", "A token without the Voice scope gets 403 Forbidden instead of 401.",
       "baseline:OBS-AUTH-NOVOICE-STATUS"),
    _m("auth-cross-project", "auth", "Any Voice token of the space works with another project's id and acts "
       "on that project.",
       "SP-AUTH-005", "SP-AUTH-006"),
    _m("auth-401-body-message", "auth", '401 bodies read {"message": "Unauthorized"}.',
       "SP-AUTH-001", "SP-AUTH-002", "SP-AUTH-003", "SP-AUTH-005", "SP-AUTH-006", "SP-PROTO-007"),
    # -- identifier and domain ----------------------------------------------------------------------------
    _m("identifier-not-unique", "identifier", "An identifier held by another project is accepted.",
       "SP-ID-002"),
    _m("domain-not-recomputed", "identifier", "domain keeps its old value after domain_identifier changes.",
       "SP-ID-001"),
    _m("identifier-accepts-underscore", "identifier", "Underscores are accepted in domain_identifier.",
       "baseline:OBS-ID-UNDERSCORE"),
    # -- what only the model of the profile, near-miss credentials, E.164 edges and the rehearsal see ------
    _m("sendas-truncated-on-read", "state", "GET answers a 15-digit default_send_as cut to 14 digits (the "
       "PUT echo is right).", "SP-STATE-005"),
    _m("put-echo-omitted-null", "state", "The PUT answer shows omitted fields as null although they are kept "
       "(merge): echo and GET disagree.",
       "SP-STATE-005", "SP-STATE-001"),
    _m("sendas-max-14-digits", "send_as", "E.164 length limit off by one: a number of 15 digits is "
       "refused.", "SP-SENDAS-001", "SP-SHAPE-005"),
    _m("auth-token-case-insensitive", "auth", "Tokens are compared case-insensitively.", "SP-AUTH-006"),
    _m("auth-token-prefix", "auth", "Only the token's characters but the last are compared (one character "
       "changed, added or removed at the end still passes).", "SP-AUTH-006"),
    _m("auth-token-stripped", "auth", "Whitespace around the token is stripped before comparing.",
       "SP-AUTH-006"),
    _m("auth-swapped-accepted", "auth", "Project ID and token given the wrong way round are accepted.",
       "SP-AUTH-006"),
    _m("auth-empty-password", "auth", "A known project ID with an empty password is accepted.",
       "SP-AUTH-006"),
    _m("auth-project-id-prefix", "auth", "Only a project ID's characters but the last are compared.",
       "SP-AUTH-006"),
    _m("identifier-taken-by-itself", "identifier", "The uniqueness check counts the project's own profile: "
       "PUT of the domain_identifier it holds is refused.", "SP-STATE-006"),
    _m("full-put-sorts-ciphers", "state", "A PUT naming all five fields stores (and answers) default_ciphers "
       "sorted: the service alters the very profile it holds.", "SP-STATE-006"),
    _m("slow-put", "timing", "Every PUT takes 100 times longer than a GET (a slow write path).",
       "baseline:OBS-LATENCY-PUT", "baseline:OBS-LATENCY-PUT-422"),
    # -- timing -------------------------------------------------------------------------------------------
    _m("slow-responses", "timing", "Every answer takes 2 s longer.", "timing"),
    # -- server errors that a replay hides ------------------------------------------------------------------
    _m("put-500-one-in-eight", "protocol", "Every 8th PUT is answered 500 without being applied (its replay "
       "succeeds): one write in eight fails.", "baseline:OBS-PROTO-5XX-PUT"),
    _m("sendas-stored-with-space", "send_as", "A number outside +1 is stored (and answered) with a space "
       "after its first two digits: '+989601' sent, '+98 9601' answered.", "SP-SENDAS-001", "SP-STATE-005",
       "SP-PROTO-007", "SP-SHAPE-005"),
    # -- the shape of a request: how the users' clients speak (SP-SHAPE-*) ---------------------------------
    _m("accept-absent-406", "shape", "A request without an Accept header is answered 406.", "SP-SHAPE-001"),
    _m("accept-wildcard-406", "shape", "Accept: */* is answered 406 (breaks curl).",
       "SP-SHAPE-001", "SP-SHAPE-006"),
    _m("accept-q-values-406", "shape", "An Accept list with q-values is answered 406 although it admits "
       "JSON.", "SP-SHAPE-001"),
    _m("charset-415", "shape", "A Content-Type with a charset parameter is answered 415.", "SP-SHAPE-002"),
    _m("get-content-type-400", "shape", "A GET with a Content-Type header (and no body) is answered 400 "
       "(breaks python-sdk).", "SP-SHAPE-003", "SP-SHAPE-006"),
    _m("spaced-json-400", "shape", "JSON with a space after a separator (Python's json.dumps default, "
       "pretty-printing) is answered 400 (breaks python-sdk).", "SP-SHAPE-004", "SP-SHAPE-006"),
    _m("reordered-keys-ignored", "shape", "Members are applied only in the documented order: one that "
       "comes after a later one is silently dropped (breaks typescript-sdk's caller order).",
       "SP-SHAPE-004", "SP-SHAPE-006", "SP-STATE-005"),
    _m("large-body-413", "shape", "Bodies over 300 bytes are answered 413 (a lowered proxy limit): the "
       "largest documented-valid profile is refused.", "SP-SHAPE-005"),
    _m("fetch-metadata-403", "shape", "Requests carrying Sec-Fetch-Mode are answered 403 (a browser-request "
       "filter; breaks typescript-sdk on Node's fetch).", "SP-SHAPE-006", "SP-SHAPE-004"),
    _m("readonly-domain-stored", "shape", "A domain member in a PUT body is stored as sent (mass "
       "assignment of a read-only member).", "SP-ID-001", "baseline:OBS-BODY-DOMAIN"),
    _m("sendas-line-anchored", "send_as", "The E.164 check is line-anchored (Ruby's ^…$): a number with a "
       "trailing newline, or after another line, is accepted.", "SP-SENDAS-003", "SP-PROTO-007"),
)

MUTANTS: Mapping[str, Mutant] = MappingProxyType({m.name: m for m in _ALL})
