"""Sentences: normalising description text, the vocabularies and scopes written in it, quote matching."""

from __future__ import annotations

import re

__all__ = ["found_in", "normalise", "scopes_in", "values_in"]

# Markdown emphasis and code spans that the description adds around words (``_Voice_``, ``**default**``).
_EMPHASIS = re.compile(r"(?<![\w*`])(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?![\w*`])")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SUPPORTED = re.compile(r"Currently supported values are:\s*(.+?)\.(?:\s|$)", re.IGNORECASE | re.DOTALL)
_SCOPES = re.compile(r"following scope\(s\) enabled to make a successful request:\s*(.+?)\.(?:\s|$)",
                     re.IGNORECASE | re.DOTALL)
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes made plain, Markdown emphasis removed."""
    text = text.translate(_QUOTES)
    previous = None
    while previous != text:  # nested emphasis: **_x_**
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _split_list(text: str) -> tuple[str, ...]:
    parts = re.split(r",|\bor\b|\band\b", normalise(text))
    return tuple(p.strip() for p in parts if p.strip())


def values_in(description: str) -> tuple[str, ...] | None:
    """The values a "Currently supported values are: A, B, C." sentence lists (``None`` when absent)."""
    match = _SUPPORTED.search(normalise(description))
    return _split_list(match.group(1)) if match else None


def scopes_in(description: str) -> tuple[str, ...] | None:
    """The scopes of "… must have the following scope(s) enabled to make a successful request: Voice."."""
    match = _SCOPES.search(normalise(description))
    return _split_list(match.group(1)) if match else None


def found_in(quote: str, corpus: str) -> bool:
    """Whether a quoted sentence occurs in ``corpus`` (both normalised); an ellipsis stands for any text."""
    pieces = [p.strip(" .") for p in _ELLIPSIS.split(normalise(quote))]
    position = 0
    for piece in filter(None, pieces):
        at = corpus.find(piece, position)
        if at < 0:
            return False
        position = at + len(piece)
    return True
