"""default_codecs (SP-CODEC-*): the codec vocabulary of the fragment, through the helpers in ``_lists``."""

from __future__ import annotations

from contracts.engine.session import Session

from . import _lists
from ._registry import clause


@clause("SP-CODEC-001", area="codecs",
        title="Every supported codec is accepted alone and echoed",
        doc="/components/schemas/Codec",
        needs=("write",))
def each_codec_alone(s: Session) -> None:
    _lists.each_value_alone(s, "codecs")


@clause("SP-CODEC-002", area="codecs",
        title="Subsets and orderings of supported codecs are accepted and echoed",
        doc="/components/schemas/Codec",
        needs=("write",))
def codec_subsets_and_orders(s: Session) -> None:
    _lists.subsets_and_orders(s, "codecs", "SP-CODEC-002")


@clause("SP-CODEC-003", area="codecs",
        title="Unsupported codec names are rejected with 422",
        doc="/components/schemas/Codec",
        needs=("write",),
        rejects=_lists.fixed_names("codecs"))
def unsupported_codec_names(s: Session) -> None:
    _lists.unsupported_names(s, "codecs", "SP-CODEC-003")


@clause("SP-CODEC-004", area="codecs",
        title="A default_codecs that is not a list of strings is rejected with 422",
        doc="/components/schemas/SipProfileUpdate/properties/default_codecs",
        needs=("write",),
        rejects=_lists.fixed_types("codecs"))
def codecs_not_a_list_of_strings(s: Session) -> None:
    _lists.wrong_types(s, "codecs", "SP-CODEC-004")


@clause("SP-CODEC-005", area="codecs",
        title="Case variants, empty list, duplicates, null, and list order of codecs",
        kind="observed",
        reading="Undocumented: case sensitivity of codec names; empty lists; duplicate entries; whether "
                "list order is kept (for codecs the order is the SIP preference order).",
        needs=("write",),
        observes=("OBS-CODEC-CASE", "OBS-CODEC-EMPTY", "OBS-CODEC-DUP", "OBS-CODEC-NULL", "OBS-CODEC-ORDER"))
def undocumented_codec_behaviour(s: Session) -> None:
    _lists.undocumented(s, "codecs", "SP-CODEC-005")
