"""The mock's configuration: the undocumented choices, the projects of the space and their first profiles.

Every field of :class:`MockConfig` is a point the documentation leaves open (see ``x-undocumented`` in
``openapi/sip_profile.yaml``). The defaults are the most permissive reading that stays faithful to every
documented sentence, for the reasons given field by field below; the other settings let the suite prove
that it only *observes* these points and never fails on them.

- ``space = "example"``: the ``servers`` default of the fragment, so the derived ``domain`` looks real.
- ``omitted = "merge"``: every request field is optional, so an update that names one field should not wipe
  the others; "replace" (omitted fields reset to null) is what the SDK's "PUT for full replacement"
  wording could also mean.
- ``numbers = "format"``: the documented rule is the E.164 *format* (the fragment's pattern), so every
  format-valid number is accepted, SignalWire's own documentation example ``+15551234567`` included;
  whether a number is allocated is undocumented. ``"allocated"`` also requires libphonenumber to know it
  as a valid number written canonically (as a service with numbering metadata would).
- ``owned_numbers = None``: any number allowed by ``numbers`` is accepted, because ownership is
  undocumented and the mock has no purchased numbers; a tuple makes it behave like a real account (other
  numbers → 422).
- ``case_insensitive = False``: the docs spell every name in upper case; exact matching is the strict
  reading. ``True`` accepts any case and stores the documented spelling (upper case).
- ``keep_order = True``: the codec list is the SIP preference order, so keeping it is what users need;
  ``False`` stores lists in the vocabulary's order, as a service that normalises would.
- ``allow_empty_lists = True``: "a list of codecs" does not forbid an empty one.
- ``dedupe = False``: duplicates are kept as sent (the least surprising echo); ``True`` drops repeats.
- ``null_values = "reset"``: every response field is "or null", so null is a storable value; ``"reject"``
  answers 422 instead. It applies to the two lists and to default_encryption; default_send_as documents
  null itself and domain_identifier is a string, so null there is always 422.
- ``unknown_fields = "ignore"``: the request schema does not forbid extra members (no
  ``additionalProperties: false``), and ignoring them is what most JSON APIs do.
- ``identifier_pattern``: a DNS label (RFC 1035 as relaxed by RFC 1123, lower case), because the identifier
  becomes part of a host name; anything else is answered 422.
- ``max_body_bytes = 65536``: far above any real profile (a few hundred bytes), low enough to refuse abuse.
- ``taken_by_others = 0.0``: the share of identifiers (0..1, by a stable hash) that projects outside the
  ones the run knows already hold, so a correct service answers 422 "already taken" ("must be unique");
  the identifiers the space's projects start with are never among them.
- ``chunked = "accept"``: a body sent with ``Transfer-Encoding: chunked`` is read like any other;
  ``"refuse"`` answers 411 Length Required, which RFC 9112 (section 6.3) lets a server do.
- ``accept = "any"``: the answer is JSON whatever the ``Accept`` header says (RFC 9110, section 12.5.1,
  lets a server ignore it); ``"json"`` answers 406 to an ``Accept`` that admits no JSON, as a server that
  negotiates strictly would. Absent, ``*/*``, ``application/*`` and q-value lists that name JSON admit it.

Choices that are not options (fixed, because the suite never needs the other reading):

- ``null`` and ``""`` for default_send_as are both stored (and read back) as ``null``: the docs give them
  the same meaning, and storing one canonical value keeps GET stable.
- Every method but GET and PUT, HEAD and OPTIONS included, is answered 405 with ``Allow: GET, PUT``: the
  fragment declares only those two, and schemathesis' unsupported_method check expects exactly this.
- Checks run outermost first: 404 (path), 405 (method), 413 (size, as a front proxy would, before
  authentication), 401 (credentials and scope), then for PUT 415 (media type), 400 (JSON syntax), 422.
- The ``novoice`` credentials are a second token of the primary project, without the Voice scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from ..env import MOCK_PROJECTS, MOCK_SPACE

__all__ = ["MockConfig", "Project"]

Omitted = Literal["merge", "replace"]
NullValues = Literal["reset", "reject"]
UnknownFields = Literal["ignore", "reject"]
Numbers = Literal["format", "allocated"]
Chunked = Literal["accept", "refuse"]
Accept = Literal["any", "json"]


@dataclass(frozen=True, kw_only=True)
class MockConfig:
    space: str = MOCK_SPACE
    omitted: Omitted = "merge"
    numbers: Numbers = "format"
    owned_numbers: tuple[str, ...] | None = None
    case_insensitive: bool = False
    keep_order: bool = True
    allow_empty_lists: bool = True
    dedupe: bool = False
    null_values: NullValues = "reset"
    unknown_fields: UnknownFields = "ignore"
    identifier_pattern: str = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
    max_body_bytes: int = 65536
    taken_by_others: float = 0.0
    chunked: Chunked = "accept"
    accept: Accept = "any"

    def __post_init__(self) -> None:
        # Checked up front so that a typo fails when the mock is built, naming the field and the value,
        # instead of surfacing later as a puzzling answer.
        for name, allowed in (("omitted", Omitted), ("null_values", NullValues),
                              ("unknown_fields", UnknownFields), ("numbers", Numbers),
                              ("chunked", Chunked), ("accept", Accept)):
            value = getattr(self, name)
            if value not in get_args(allowed):
                raise ValueError(f"MockConfig.{name} has value {value!r}; "
                                 f"expected one of {get_args(allowed)}")
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", self.space):
            raise ValueError(f"MockConfig.space has value {self.space!r}; expected a lower-case DNS label")
        try:
            re.compile(self.identifier_pattern)
        except re.error as exc:
            raise ValueError(f"MockConfig.identifier_pattern is not a regular expression: {exc}") from None
        if not 0.0 <= self.taken_by_others < 1.0:
            raise ValueError(f"MockConfig.taken_by_others has value {self.taken_by_others}; "
                             "expected 0 <= x < 1")
        if self.max_body_bytes <= 0:
            raise ValueError(f"MockConfig.max_body_bytes has value {self.max_body_bytes}; expected > 0")
        if self.owned_numbers is not None and not isinstance(self.owned_numbers, tuple):
            raise ValueError("MockConfig.owned_numbers must be a tuple of E.164 strings or None")


@dataclass(frozen=True)
class Project:
    """One set of credentials of the space. ``voice`` says whether the token has the Voice scope."""

    project_id: str
    token: str
    voice: bool
    name: str


# The credentials are owned by contracts.env (the suite's in-process target and `sip-contracts mock` print
# the same ones); the mock only gives them its own record type.
DEFAULT_PROJECTS: tuple[Project, ...] = tuple(Project(p.project_id, p.token, p.voice, p.who)
                                              for p in MOCK_PROJECTS)
