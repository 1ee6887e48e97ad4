"""IDs of the observations the suite records for undocumented points (see ENDPOINT.md).

Each is produced by the observed clause named beside it; waivers and baseline comparisons refer to them.
"""

from __future__ import annotations

__all__ = ["OBSERVATION_IDS"]

OBSERVATION_IDS: dict[str, str] = {
    **{f"OBS-CODEC-{k}": "SP-CODEC-005" for k in ("CASE", "EMPTY", "DUP", "NULL", "ORDER")},
    **{f"OBS-CIPHER-{k}": "SP-CIPHER-005" for k in ("CASE", "EMPTY", "DUP", "NULL", "ORDER")},
    "OBS-ENC-NULL": "SP-ENC-003",
    "OBS-SENDAS-UNOWNED": "SP-SENDAS-005",
    "OBS-SENDAS-NULL-READBACK": "SP-SENDAS-005",
    "OBS-SENDAS-EMPTY-READBACK": "SP-SENDAS-005",
    **{f"OBS-ID-{k}": "SP-ID-004" for k in ("UPPER", "UNDERSCORE", "DOT", "LONG", "EMPTY", "SPACE", "NULL")},
    "OBS-STATE-OMITTED": "SP-STATE-004",
    **{f"OBS-PROTO-{k}": "SP-PROTO-008" for k in ("UNKNOWN-FIELD", "POST", "PATCH", "OPTIONS",
                                                   "MALFORMED-JSON", "TEXT-PLAIN", "ARRAY-BODY")},
    "OBS-AUTH-NOVOICE-STATUS": "SP-AUTH-004",
}
