"""Schemathesis integration: the ``e164`` string format of the fragment."""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from contracts.spec import load_spec

from ._e164 import valid_e164

__all__ = ["FORMAT", "register_formats"]

FORMAT = "e164"


@functools.cache
def _strategy(numbers: tuple[str, ...] | None) -> st.SearchStrategy[str]:
    return st.sampled_from(numbers) if numbers else valid_e164()


def register_formats(numbers: tuple[str, ...] | None = None) -> None:
    """Register the ``e164`` format with schemathesis: the given (owned) numbers, else ``valid_e164()``.

    Idempotent: the same arguments register the same strategy object again; a later call with other
    numbers replaces the earlier registration (schemathesis keeps one strategy per format name).
    """
    key = tuple(dict.fromkeys(numbers)) if numbers else None
    if key is not None:
        # The documented rule is the E.164 format: owned numbers libphonenumber thinks unallocated (the
        # docs' own +15551234567) are the user's call, as in owned_numbers_from_env.
        pattern = load_spec().e164_pattern
        bad = [n for n in key if not pattern.fullmatch(n)]
        if bad:
            raise ValueError(f"register_formats: not E.164 numbers: {bad!r}")
    import schemathesis  # heavy: deferred until someone actually wires schemathesis up

    schemathesis.openapi.format(FORMAT, _strategy(key))
