"""One value of every invalid class, for explicit coverage before random exploration.

A nightly quick run draws only a handful of random examples per clause; these fixed lists make sure each
documented-invalid *class* is sent at least once, and every real-but-unsupported name too (a widened
vocabulary is a regression users fear most, and it is usually one name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from . import _e164, _encryption, _identifier, _vocab
from ._labeled import Labeled

__all__ = ["representatives"]

Kind = Literal["items", "types", "encryption", "e164", "send_as_types", "identifier_types"]
_EVERY_ONE = frozenset({"unsupported-name"})


def _first_per_class(labels: Iterable[Labeled], names: int | None) -> list[Labeled]:
    seen: dict[str, int] = {}
    out: list[Labeled] = []
    for lab in labels:
        count = seen.get(lab.cls, 0)
        # Unsupported names: the first ``names`` of them (all when None); any other class: its first value.
        if (names is None or count < names) if lab.cls in _EVERY_ONE else count == 0:
            seen[lab.cls] = count + 1
            out.append(lab)
    return out


def representatives(kind: Kind, vocab: _vocab.Vocab = "codecs", *, names: int | None = None) -> list[Labeled]:
    """Fixed documented-invalid values: one per class, simplest first; of the real-but-unsupported names
    the first ``names`` (the most likely to be added, first in the tables), every one when None."""
    if kind == "items":
        field = _vocab.FIELDS[vocab]
        return _first_per_class((Labeled([item], cls, True, f"{note}, alone", field)
                                 for item, cls, note in _vocab._bad_items(vocab)), names)
    tables: dict[str, Callable[[], Iterable[Labeled]]] = {
        "types": lambda: _vocab._wrong_types(vocab),
        "encryption": _encryption._invalid,
        "e164": _e164._invalid_table,
        "send_as_types": _e164._wrong_types,
        "identifier_types": lambda: _identifier._WRONG_TYPES,
    }
    table = tables[kind]()
    return _first_per_class(table, names)
