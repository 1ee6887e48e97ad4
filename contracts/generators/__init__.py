"""Hypothesis strategies that know SIP codecs, SRTP suites and phone numbering.

The suite sends every value to a live, rate-limited service, so the strategies produce few but telling
examples and shrink towards the simplest one. Every invalid value is a :class:`Labeled` that carries its
class and whether the documentation settles its handling:

- ``documented=True``: the docs say it must be rejected; the suite asserts a 422.
- ``documented=False``: the docs do not settle it (the fragment's ``x-undocumented`` list); the suite only
  observes and records what the service does, and never fails on it.

Vocabularies (codec and cipher names, encryption values, the E.164 pattern) come from the OpenAPI fragment
through ``contracts.spec.load_spec()``; nothing here repeats them.
"""

from __future__ import annotations

from ._bodies import mixed_invalid_bodies, valid_bodies
from ._e164 import (
    UnallocatedNumberWarning,
    ambiguous_e164,
    e164_extremes,
    invalid_e164,
    invalid_send_as_types,
    is_valid_e164,
    owned_numbers_from_env,
    valid_e164,
)
from ._encryption import invalid_encryption, undocumented_encryption, valid_encryption
from ._formats import register_formats
from ._identifier import (
    LENGTH_LADDER,
    core_ladder,
    dns_labels,
    identifier_of_length,
    identifier_variants,
    invalid_identifier_types,
    is_conservative_label,
)
from ._identifier import MAX_LENGTH as IDENTIFIER_MAX_LENGTH
from ._labeled import Labeled, canonical
from ._representatives import representatives
from ._vocab import Vocab, invalid_items, invalid_types, singletons, undocumented_variants, valid_lists

__all__ = [
    "IDENTIFIER_MAX_LENGTH",
    "LENGTH_LADDER",
    "Labeled",
    "UnallocatedNumberWarning",
    "Vocab",
    "ambiguous_e164",
    "canonical",
    "core_ladder",
    "dns_labels",
    "e164_extremes",
    "identifier_of_length",
    "identifier_variants",
    "invalid_e164",
    "invalid_encryption",
    "invalid_identifier_types",
    "invalid_items",
    "invalid_send_as_types",
    "invalid_types",
    "is_conservative_label",
    "is_valid_e164",
    "mixed_invalid_bodies",
    "owned_numbers_from_env",
    "register_formats",
    "representatives",
    "singletons",
    "undocumented_encryption",
    "undocumented_variants",
    "valid_bodies",
    "valid_e164",
    "valid_encryption",
    "valid_lists",
]
