"""default_ciphers (SP-CIPHER-*): the cipher vocabulary of the fragment, through the helpers in ``_lists``."""

from __future__ import annotations

from contracts.engine.session import Session

from . import _lists
from ._registry import clause


@clause("SP-CIPHER-001", area="ciphers",
        title="Every supported cipher is accepted alone and echoed",
        doc="/components/schemas/Cipher",
        needs=("write",))
def each_cipher_alone(s: Session) -> None:
    _lists.each_value_alone(s, "ciphers")


@clause("SP-CIPHER-002", area="ciphers",
        title="Subsets and orderings of supported ciphers are accepted and echoed",
        doc="/components/schemas/Cipher",
        needs=("write",))
def cipher_subsets_and_orders(s: Session) -> None:
    _lists.subsets_and_orders(s, "ciphers", "SP-CIPHER-002")


@clause("SP-CIPHER-003", area="ciphers",
        title="Unsupported cipher names are rejected with 422",
        doc="/components/schemas/Cipher",
        needs=("write",),
        rejects=_lists.fixed_names("ciphers"))
def unsupported_cipher_names(s: Session) -> None:
    _lists.unsupported_names(s, "ciphers", "SP-CIPHER-003")


@clause("SP-CIPHER-004", area="ciphers",
        title="A default_ciphers that is not a list of strings is rejected with 422",
        doc="/components/schemas/SipProfileUpdate/properties/default_ciphers",
        needs=("write",),
        rejects=_lists.fixed_types("ciphers"))
def ciphers_not_a_list_of_strings(s: Session) -> None:
    _lists.wrong_types(s, "ciphers", "SP-CIPHER-004")


@clause("SP-CIPHER-005", area="ciphers",
        title="Case variants, empty list, duplicates, null, and list order of ciphers",
        kind="observed",
        reading="Undocumented: case sensitivity of cipher names; empty lists; duplicate entries; whether "
                "list order is kept.",
        needs=("write",),
        observes=("OBS-CIPHER-CASE", "OBS-CIPHER-EMPTY", "OBS-CIPHER-DUP",
                  "OBS-CIPHER-NULL", "OBS-CIPHER-ORDER"))
def undocumented_cipher_behaviour(s: Session) -> None:
    _lists.undocumented(s, "ciphers", "SP-CIPHER-005")
