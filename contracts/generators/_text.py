"""Text mutations shared by the vocabulary generators: look-alike letters and whitespace."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

__all__ = ["equivalent_key", "fullwidth", "homoglyph", "unique", "whitespace_variants"]

#: Cyrillic letters that render like Latin ones (none of them is mapped to Latin by any normalisation form).
_CYRILLIC = {
    "A": "\u0410",
    "B": "\u0412",
    "C": "\u0421",
    "E": "\u0415",
    "H": "\u041d",
    "I": "\u0406",
    "K": "\u041a",
    "M": "\u041c",
    "O": "\u041e",
    "P": "\u0420",
    "S": "\u0405",
    "T": "\u0422",
    "X": "\u0425",
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "i": "\u0456",
    "o": "\u043e",
    "p": "\u0440",
    "s": "\u0455",
    "x": "\u0445",
    "y": "\u0443",
}
#: Greek capitals (and omicron) that render like Latin ones.
_GREEK = {
    "A": "\u0391",
    "B": "\u0392",
    "E": "\u0395",
    "H": "\u0397",
    "I": "\u0399",
    "K": "\u039a",
    "M": "\u039c",
    "N": "\u039d",
    "O": "\u039f",
    "P": "\u03a1",
    "T": "\u03a4",
    "X": "\u03a7",
    "Y": "\u03a5",
    "Z": "\u0396",
    "o": "\u03bf",
}
HOMOGLYPHS = {"Cyrillic": _CYRILLIC, "Greek": _GREEK}


def homoglyph(name: str, script: str) -> str | None:
    """``name`` with its first letter that has a look-alike in ``script`` swapped; None when none has."""
    table = HOMOGLYPHS[script]
    for i, char in enumerate(name):
        if char in table:
            return name[:i] + table[char] + name[i + 1 :]
    return None


def fullwidth(name: str) -> str:
    """``name`` in fullwidth forms (U+FF01..U+FF5E) for every printable ASCII character."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)


def whitespace_variants(name: str) -> Iterator[tuple[str, str]]:
    """``(value, note)`` pairs: ``name`` with surrounding whitespace, or a space inside it."""
    yield " " + name, "leading space"
    yield name + " ", "trailing space"
    yield name + "\n", "trailing newline"
    yield "\t" + name, "leading tab"
    if len(name) > 1:
        mid = len(name) // 2
        yield name[:mid] + " " + name[mid:], "space inside"


def equivalent_key(name: str) -> str:
    """What a lenient server might reduce a name to (NFKC, trimmed, case-folded)."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def unique(items: Iterable[tuple[object, str, str]]) -> list[tuple[object, str, str]]:
    """Drop repeated values (compared as JSON-ish reprs), keeping the first, so shrinking order holds."""
    seen: set[str] = set()
    out: list[tuple[object, str, str]] = []
    for item in items:
        key = repr((type(item[0]).__name__, item[0]))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
