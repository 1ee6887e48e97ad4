"""The labelled value: a generated input together with what kind of input it is.

Every invalid value the generators produce carries its class (``cls``) so that a failure report can say
what kind of input it was, and whether the documentation settles how it must be handled (``documented``):
a documented-invalid value must be rejected, an undocumented one is only ever observed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["Labeled", "canonical"]


@dataclass(frozen=True)
class Labeled:
    """A generated value with its class.

    ``value`` is what goes on the wire as the field's value (for the list fields, the whole list);
    ``cls`` is a stable key such as ``"unsupported-name"`` or ``"wrong-type:number"``; ``documented`` is
    True when the documentation settles that the value must be rejected, False when its handling is
    undocumented (observe only); ``note`` is a human sentence; ``field`` names the request field the value
    is meant for, when the generator knows it.
    """

    value: object
    cls: str
    documented: bool
    note: str = ""
    field: str | None = None

    def __post_init__(self) -> None:
        if not self.cls:
            raise ValueError("Labeled.cls must be a non-empty class key")


def canonical(value: object) -> str:
    """A stable text key for a JSON value (a ``Labeled`` stands for its ``value``).

    Keys are sorted and non-ASCII is escaped, so equal JSON documents give equal keys and ``1``, ``1.0``
    and ``true`` stay distinct, exactly as they would on the wire.
    """
    if isinstance(value, Labeled):
        value = value.value
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
