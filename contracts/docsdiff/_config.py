"""The fragment's ``x-upstream`` key: where the published description is, how names map, known differences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Config", "Known", "read_config"]


@dataclass(frozen=True)
class Known:
    """A difference the fragment keeps on purpose: both sides as recorded, and why."""

    id: str
    upstream: str
    fragment: str
    reason: str
    what: str = ""


@dataclass(frozen=True)
class Config:
    url: str
    path: str
    operations: Mapping[str, str]  #: fragment operationId -> upstream operationId
    schemas: Mapping[str, str]  #: upstream schema name -> fragment schema name
    security_schemes: Mapping[str, str]  #: fragment scheme -> upstream scheme
    quote_sources: tuple[str, ...]  #: markers of a clause's ``where`` that claim a SignalWire document
    known: tuple[Known, ...]


def _strings(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()} if isinstance(value, Mapping) else {}


def read_config(raw: Mapping[str, Any], default_path: str) -> Config:
    """Read ``x-upstream``; a missing key gives an empty mapping (every difference is then stale)."""
    section = raw.get("x-upstream") or {}
    known = tuple(
        Known(id=str(k["id"]), upstream=str(k.get("upstream", "")), fragment=str(k.get("fragment", "")),
              reason=str(k.get("reason", "")), what=str(k.get("what", "")))
        for k in section.get("known-differences") or () if isinstance(k, Mapping) and "id" in k
    )
    return Config(
        url=str(section.get("url", "")), path=str(section.get("path", default_path)),
        operations=_strings(section.get("operations")), schemas=_strings(section.get("schemas")),
        security_schemes=_strings(section.get("security-schemes")),
        quote_sources=tuple(str(s) for s in section.get("quote-sources") or ()), known=known,
    )
