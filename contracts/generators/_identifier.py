"""``domain_identifier``: "String representing the domain_identifier portion of the profile."

The documentation says it is a string and must be unique; its character rules and length are not
documented (x-undocumented: identifier-rules). The valid values are therefore the conservative core every
sane implementation accepts (a lowercase DNS label, 3-40 characters), always behind a run-specific prefix
so they never collide with a real project's identifier; anything beyond that core is only observed.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from ._labeled import Labeled

__all__ = ["FIELD", "LENGTH_LADDER", "MAX_LENGTH", "core_ladder", "dns_labels", "identifier_of_length",
           "identifier_variants", "invalid_identifier_types"]

FIELD = "domain_identifier"

MIN_LENGTH = 3
MAX_LENGTH = 40
#: Length of the "long" observation probe: one more than a DNS label may hold (RFC 1035, 63 octets).
LONG_LENGTH = 64
#: The lengths every run sends (17.4: a length limit's drift is seen every night, not when a draw happens
#: to be long enough): each usual limit L (the powers of two 16, 32, 64 and the DNS label's 63) and L + 1.
#: A limit at L accepts L and refuses L + 1, so a limit that moves from L either way flips one of them; the
#: lengths below each limit would only place a moved limit more exactly, at a request each (issue 18).
#: Those within the conservative core (``MAX_LENGTH``) are SP-ID-001's fixed values, asserted; the longer
#: ones are only observed.
LENGTH_LADDER = (16, 17, 32, 33, 63, 64, 65)

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_PREFIX = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?")
_LABEL = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _check_prefix(prefix: str) -> None:
    if not _PREFIX.fullmatch(prefix) or len(prefix) >= MAX_LENGTH:
        raise ValueError(
            f"identifier prefix {prefix!r} is not usable: it must start with a lowercase letter, hold only "
            f"a-z, 0-9 and single inner hyphens (one trailing hyphen allowed), and be shorter than "
            f"{MAX_LENGTH} characters"
        )


@st.composite
def _labels(draw: st.DrawFn, prefix: str) -> str:
    room = MAX_LENGTH - len(prefix)
    need = max(1, MIN_LENGTH - len(prefix))
    first = draw(st.text(_ALNUM, min_size=need, max_size=max(need, min(room, 12))))
    parts = [first]
    used = len(first)
    for extra in draw(st.lists(st.text(_ALNUM, min_size=1, max_size=8), max_size=2)):
        if used + 1 + len(extra) > room:
            break
        parts.append(extra)
        used += 1 + len(extra)
    return prefix + "-".join(parts)


def dns_labels(prefix: str) -> st.SearchStrategy[str]:
    """Lowercase DNS labels of 3-40 characters that start with ``prefix``; shrinks to the shortest."""
    _check_prefix(prefix)
    return _labels(prefix)


def identifier_of_length(prefix: str, length: int) -> str | None:
    """A lowercase label of exactly ``length`` characters behind ``prefix`` (None when the prefix is too
    long for it): the prefix, a hyphen, then ``x`` up to the length."""
    _check_prefix(prefix)
    base = prefix if prefix.endswith("-") else prefix + "-"
    return base.ljust(length, "x") if len(base) < length else None


def core_ladder(prefix: str) -> list[str]:
    """The ladder's identifiers within the conservative core (SP-ID-001's fixed, documented-valid values)."""
    return [v for v in (identifier_of_length(prefix, n) for n in LENGTH_LADDER)
            if v is not None and is_conservative_label(v, prefix)]


def is_conservative_label(value: object, prefix: str = "") -> bool:
    """Whether ``value`` is in the conservative core ``dns_labels`` draws from (and starts with prefix)."""
    return (
        isinstance(value, str)
        and value.startswith(prefix)
        and MIN_LENGTH <= len(value) <= MAX_LENGTH
        and _LABEL.fullmatch(value) is not None
    )


_WRONG_TYPES = (
    Labeled(0, "wrong-type:number", True, "an integer", FIELD),
    Labeled(12345, "wrong-type:number", True, "an integer that reads like an identifier", FIELD),
    Labeled(1.5, "wrong-type:number", True, "a float", FIELD),
    Labeled(True, "wrong-type:bool", True, "a boolean", FIELD),
    Labeled(False, "wrong-type:bool", True, "a boolean", FIELD),
    Labeled([], "wrong-type:list", True, "an empty list", FIELD),
    Labeled(["example"], "wrong-type:list", True, "a string inside a list", FIELD),
    Labeled({}, "wrong-type:object", True, "an empty object", FIELD),
    Labeled({"name": "example"}, "wrong-type:object", True, "a string inside an object", FIELD),
)


def invalid_identifier_types() -> st.SearchStrategy[Labeled]:
    """Values that are not a string (the field's one documented rule)."""
    return st.sampled_from(_WRONG_TYPES)


def identifier_variants(prefix: str) -> list[Labeled]:
    """Fixed observation probes for the undocumented rules, each ``documented=False``.

    Keys: ``upper``, ``underscore``, ``dot``, ``long``, ``empty``, ``space``, ``newline``,
    ``embedded-newline``, and ``null`` (the request
    schema says string, but the profile reads back "string or null", so null may mean "clear").
    """
    _check_prefix(prefix)
    base = prefix if prefix.endswith("-") else prefix + "-"
    rules = "(x-undocumented: identifier-rules)"
    return [
        Labeled(base + "Upper", "upper", False, f"upper-case letters {rules}", FIELD),
        Labeled(base + "under_score", "underscore", False, f"an underscore {rules}", FIELD),
        Labeled(base + "dot.ted", "dot", False, f"a dot, which would split the DNS name {rules}", FIELD),
        Labeled(
            base.ljust(LONG_LENGTH, "x"),
            "long",
            False,
            f"{LONG_LENGTH} characters, longer than a DNS label {rules}",
            FIELD,
        ),
        Labeled("", "empty", False, f"an empty string {rules}", FIELD),
        Labeled(base + "with space", "space", False, f"a space {rules}", FIELD),
        # What a line-anchored check (Ruby's ^…$) lets through: a valid label, then a newline.
        Labeled(base + "newline\n", "newline", False, f"a trailing newline {rules}", FIELD),
        Labeled(base + "a\nb", "embedded-newline", False, f"an embedded newline {rules}", FIELD),
        Labeled(None, "null", False, "null for domain_identifier (x-undocumented: null-values)", FIELD),
    ]
