"""Last line of defence: no credential value survives into any output, whatever put it there."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

__all__ = ["scrub", "scrub_text"]

MASK = "<redacted>"


def _needles(secrets: Iterable[str]) -> list[str]:
    out: list[str] = []
    for secret in secrets:
        if len(secret) >= 4:
            out.append(secret)
    return sorted(set(out), key=len, reverse=True)


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    for needle in _needles(secrets):
        text = text.replace(needle, MASK)
    return text


def scrub(value: Any, secrets: Iterable[str], basic_pairs: Iterable[tuple[str, str]] = ()) -> Any:
    """Deep-replace every secret (and every Basic header built from one) in a JSON-like value."""
    needles = list(secrets)
    needles += [base64.b64encode(f"{u}:{p}".encode()).decode() for u, p in basic_pairs]
    if isinstance(value, str):
        return scrub_text(value, needles)
    if isinstance(value, list):
        return [scrub(v, needles) for v in value]
    if isinstance(value, dict):
        return {scrub_text(str(k), needles): scrub(v, needles) for k, v in value.items()}
    return value
