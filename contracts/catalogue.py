"""The clause catalogue: one stable ID per contract clause.

Each clause names the documentation sentence it comes from, whether it is ``documented`` (asserted: a
violation fails the run) or ``observed`` (recorded: the value seen is kept and compared against a baseline,
never failed on its own), its area, and what it needs from the target. The implementation of each clause
lives in ``contracts/clauses/<area>.py`` under the same ID; ``tests/clauses`` proves for every documented
clause that a mock broken the matching way fails on it, and only on it.

IDs are stable: never renumber, only add. A retired clause keeps its ID reserved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AREAS", "CATALOGUE", "Clause", "Needs", "by_id"]

Kind = Literal["documented", "observed"]
Area = Literal["protocol", "auth", "codecs", "ciphers", "encryption", "send_as", "identifier", "state"]
#: What a clause needs from the run: ``write`` (PUT allowed), ``secondary`` (a second project in the
#: space), ``novoice`` (a token without the Voice scope), ``numbers`` (numbers the project owns).
Needs = Literal["write", "secondary", "novoice", "numbers"]

AREAS: tuple[Area, ...] = (
    "protocol", "auth", "codecs", "ciphers", "encryption", "send_as", "identifier", "state",
)

_SEED = "seed/update-a-sip-profile.txt"
_FACTS = "ENDPOINT.md"


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    area: Area
    kind: Kind
    source: str  #: the documentation sentence, quoted
    where: str  #: which document it is quoted from
    needs: tuple[Needs, ...] = ()

    @property
    def documented(self) -> bool:
        return self.kind == "documented"


def _c(id: str, title: str, area: Area, kind: Kind, source: str, where: str = _FACTS,
       needs: tuple[Needs, ...] = ()) -> Clause:
    return Clause(id=id, title=title, area=area, kind=kind, source=source, where=where, needs=needs)


W: tuple[Needs, ...] = ("write",)

CATALOGUE: tuple[Clause, ...] = (
    # -- protocol ---------------------------------------------------------------------------------------
    _c("SP-PROTO-001", "GET answers 200 with the profile in the documented schema", "protocol", "documented",
       "Retrieve | GET https://{space}.signalwire.com/api/relay/rest/sip_profile | 200 profile, 401, 500"),
    _c("SP-PROTO-002", "A valid PUT answers 201 with the full profile in the documented schema", "protocol",
       "documented", "The request has succeeded and a new resource has been created as a result.", _SEED, W),
    _c("SP-PROTO-003", "A rejected PUT answers 422 in the documented error format", "protocol", "documented",
       '422: {"errors": [{"detail": "...", "status": "422", "title": "Invalid Attribute", "code": "422"}]} '
       "— one item per problem; all four members are strings.", _FACTS, W),
    _c("SP-PROTO-004", "No input is answered with a server error (5xx)", "protocol", "documented",
       "Update | PUT …/sip_profile | 201 profile, 401, 422, 500 — a 500 is a fault of the service, never "
       "the documented answer to a request's content.", _FACTS, W),
    _c("SP-PROTO-005", "Schema-valid requests generated from the fragment are accepted (schemathesis, "
       "positive mode)", "protocol", "documented",
       "This endpoint expects an object. (every request field is optional)", _SEED, W),
    _c("SP-PROTO-006", "Schema-violating requests generated from the fragment are rejected (schemathesis, "
       "negative mode)", "protocol", "documented",
       "Update | PUT …/sip_profile | 201 profile, 401, 422, 500", _FACTS, W),
    _c("SP-PROTO-007", "Every answer is JSON and matches the schema documented for its status",
       "protocol", "documented",
       "Response body (201 for PUT, 200 for GET): domain (string or null …) plus the five fields above, "
       "each \"or null\"."),
    _c("SP-PROTO-008", "Behaviour of undeclared methods, unknown fields and malformed bodies", "protocol",
       "observed", "Undocumented points: unknown extra fields; other methods on the path."),
    # -- auth -------------------------------------------------------------------------------------------
    _c("SP-AUTH-001", "Missing credentials get 401 with the documented body", "auth", "documented",
       "HTTP Basic: user = project ID, password = API token. 401: {\"error\": \"Unauthorized\"}"),
    _c("SP-AUTH-002", "A wrong token or unknown project gets 401 with the documented body", "auth",
       "documented", "The project ID will be used as the username and the API token as the password.", _SEED),
    _c("SP-AUTH-003", "A malformed Authorization header gets 401 with the documented body", "auth",
       "documented", "The client sends HTTP requests with the Authorization header containing the word "
       "Basic followed by a space and a base64-encoded string of project_id:token.", _SEED),
    _c("SP-AUTH-004", "A token without the Voice scope can neither read nor write the profile", "auth",
       "documented", "The API token used to authenticate must have the following scope(s) enabled to make "
       "a successful request: Voice.", _SEED, ("novoice",)),
    _c("SP-AUTH-005", "One project's token can neither read nor change another project's profile", "auth",
       "documented", "The SIP profile is a per-project singleton: there is no id in the path; the project "
       "comes from the credentials.", _FACTS, ("secondary",)),
    # -- codecs -----------------------------------------------------------------------------------------
    _c("SP-CODEC-001", "Every supported codec is accepted alone and echoed", "codecs", "documented",
       "A list of codecs this profile will support. Currently supported values are: OPUS, G722, PCMU, PCMA, "
       "VP8, H264.", _SEED, W),
    _c("SP-CODEC-002", "Subsets and orderings of supported codecs are accepted and echoed", "codecs",
       "documented", "A list of codecs this profile will support.", _SEED, W),
    _c("SP-CODEC-003", "Unsupported codec names are rejected with 422", "codecs", "documented",
       "Currently supported values are: OPUS, G722, PCMU, PCMA, VP8, H264.", _SEED, W),
    _c("SP-CODEC-004", "A default_codecs that is not a list of strings is rejected with 422", "codecs",
       "documented", "default_codecs — list of strings", _SEED, W),
    _c("SP-CODEC-005", "Case variants, empty list, duplicates, null, and list order of codecs", "codecs",
       "observed", "Undocumented points: case sensitivity of codec names; empty lists; duplicate entries; "
       "whether list order is kept (for codecs the order is the SIP preference order).", _FACTS, W),
    # -- ciphers ----------------------------------------------------------------------------------------
    _c("SP-CIPHER-001", "Every supported cipher is accepted alone and echoed", "ciphers", "documented",
       "A list of encryption ciphers this profile will support. Currently supported values are: "
       "AEAD_AES_256_GCM_8, AES_256_CM_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_32, "
       "AES_CM_128_HMAC_SHA1_32.", _SEED, W),
    _c("SP-CIPHER-002", "Subsets and orderings of supported ciphers are accepted and echoed", "ciphers",
       "documented", "A list of encryption ciphers this profile will support.", _SEED, W),
    _c("SP-CIPHER-003", "Unsupported cipher names are rejected with 422", "ciphers", "documented",
       "Currently supported values are: AEAD_AES_256_GCM_8, AES_256_CM_HMAC_SHA1_80, "
       "AES_CM_128_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_32, AES_CM_128_HMAC_SHA1_32.", _SEED, W),
    _c("SP-CIPHER-004", "A default_ciphers that is not a list of strings is rejected with 422", "ciphers",
       "documented", "default_ciphers — list of strings", _SEED, W),
    _c("SP-CIPHER-005", "Case variants, empty list, duplicates, null, and list order of ciphers", "ciphers",
       "observed", "Undocumented points: case sensitivity of cipher names; empty lists; duplicate entries; "
       "whether list order is kept.", _FACTS, W),
    # -- encryption -------------------------------------------------------------------------------------
    _c("SP-ENC-001", "Both encryption values are accepted and echoed", "encryption", "documented",
       "Possible values are required or optional.", _SEED, W),
    _c("SP-ENC-002", "Any other default_encryption is rejected with 422", "encryption", "documented",
       "default_encryption — enum: required or optional", _SEED, W),
    _c("SP-ENC-003", "null for default_encryption", "encryption", "observed",
       "Undocumented points: null for the lists or the enum.", _FACTS, W),
    # -- send_as ----------------------------------------------------------------------------------------
    _c("SP-SENDAS-001", "A valid E.164 number the project may use is accepted and echoed", "send_as",
       "documented", "The e164 formatted number you wish to set as the originating number when dialing "
       "PSTN phone numbers from a SIP Endpoint that uses this profile.", _SEED, ("write", "numbers")),
    _c("SP-SENDAS-002", "null and \"\" are accepted and mean a random number of the project", "send_as",
       "documented", "Specify null or an empty string to randomly choose a purchased or verified number "
       "from within the project.", _SEED, W),
    _c("SP-SENDAS-003", "A string that is not E.164 is rejected with 422", "send_as", "documented",
       "The e164 formatted number you wish to set as the originating number …", _SEED, W),
    _c("SP-SENDAS-004", "A default_send_as that is not a string or null is rejected with 422", "send_as",
       "documented", "default_send_as — string", _SEED, W),
    _c("SP-SENDAS-005", "Acceptance of format-valid numbers the project may not own; what null/\"\" "
       "read back as", "send_as", "observed",
       "Undocumented points: whether default_send_as must be a number owned by the project.", _FACTS, W),
    # -- identifier -------------------------------------------------------------------------------------
    _c("SP-ID-001", "A DNS-label domain_identifier is accepted, echoed and drives domain", "identifier",
       "documented", "SignalWire's example: space your-space, domain_identifier example → domain "
       "your-space-example.sip.signalwire.com", _FACTS, W),
    _c("SP-ID-002", "domain_identifier is unique in the space", "identifier", "documented",
       "String representing the domain_identifier portion of the profile. Must be unique across your "
       "project.", _SEED, ("write", "secondary")),
    _c("SP-ID-003", "A domain_identifier that is not a string is rejected with 422", "identifier",
       "documented", "domain_identifier — string", _SEED, W),
    _c("SP-ID-004", "Character rules and length of domain_identifier", "identifier", "observed",
       "Undocumented points: the character rules and length of domain_identifier.", _FACTS, W),
    # -- state ------------------------------------------------------------------------------------------
    _c("SP-STATE-001", "GET after PUT returns what the PUT answered, list order included", "state",
       "documented", "The SIP profile is a per-project singleton … GET returns the profile (200), PUT "
       "answers the updated profile (201).", _FACTS, W),
    _c("SP-STATE-002", "Repeating the same PUT gives the same result (idempotence)", "state", "documented",
       "SignalWire's SDK docs describe the update as \"PUT for full replacement\".", _FACTS, W),
    _c("SP-STATE-003", "A rejected PUT changes nothing, also when it mixes valid and invalid fields",
       "state", "documented", "422 Invalid Attribute — the update is refused.", _FACTS, W),
    _c("SP-STATE-004", "Omitted fields: merge or replace", "state", "observed",
       "Whether omitted fields are kept or reset is therefore not settled by the docs.", _FACTS, W),
)


def by_id(clause_id: str) -> Clause:
    for clause in CATALOGUE:
        if clause.id == clause_id:
            return clause
    raise KeyError(clause_id)

