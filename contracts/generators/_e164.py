"""E.164 numbers for ``default_send_as``: real valid numbers from phonenumbers, and what breaks them.

Valid numbers are phonenumbers' example numbers (every supported region, several number types, and the
non-geographic entities such as +800 and +882), optionally with their last 1-4 digits redrawn and kept
only when still valid. Invalid strings are built by breaking a valid number in one documented way, so that
each carries exactly one defect. Strings that match the fragment's pattern but that phonenumbers does not
consider valid are *ambiguous*: a server with other metadata may disagree, so they are only observed.
"""

from __future__ import annotations

import functools
import warnings

import phonenumbers
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from contracts.spec import load_spec

from ._labeled import Labeled

__all__ = [
    "FIELD",
    "UnallocatedNumberWarning",
    "ambiguous_e164",
    "e164_extremes",
    "example_numbers",
    "invalid_e164",
    "invalid_send_as_types",
    "is_valid_e164",
    "owned_numbers_from_env",
    "valid_e164",
]

FIELD = "default_send_as"

_TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.UAN,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.PAGER,
)
#: The region whose fixed-line example leads the table, so that shrinking ends on a well-known number.
_SIMPLEST_REGION = "US"
#: Regions whose examples also serve as bases for invalid strings (besides the first and the extremes).
_INVALID_BASE_REGIONS = ("GB", "DE", "JP", "BR", "IN")

_DIGIT_SETS = {
    "Arabic-Indic": "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
    "fullwidth": "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
    "Devanagari": "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
}


def is_valid_e164(s: object) -> bool:
    """A string in E.164 form: the fragment's pattern (whole string), and phonenumbers agrees it is a
    valid number whose E.164 formatting is the string itself."""
    if not isinstance(s, str) or load_spec().e164_pattern.fullmatch(s) is None:
        return False
    try:
        number = phonenumbers.parse(s, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number)) and (
        phonenumbers.format_number(number, PhoneNumberFormat.E164) == s
    )


def _e164(number: phonenumbers.PhoneNumber | None) -> str | None:
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    text = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return text if is_valid_e164(text) else None


@functools.cache
def example_numbers() -> tuple[str, ...]:
    """Every distinct valid example number, built once: the US fixed-line example first, then sorted."""
    found: set[str] = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in _TYPES:
            text = _e164(phonenumbers.example_number_for_type(region, kind))
            if text:
                found.add(text)
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        text = _e164(phonenumbers.example_number_for_non_geo_entity(code))
        if text:
            found.add(text)
    if not found:
        raise RuntimeError("phonenumbers gave no valid example number")
    first = _e164(phonenumbers.example_number(_SIMPLEST_REGION)) or min(found, key=lambda s: (len(s), s))
    return (first, *sorted(found - {first}))


@st.composite
def _valid(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from(example_numbers()))
    if not draw(st.booleans()):
        return base
    count = draw(st.integers(min_value=1, max_value=4))
    tail = draw(st.text(alphabet="0123456789", min_size=count, max_size=count))
    mutated = base[:-count] + tail
    # Keep the mutation only when it is still a valid number; falling back (rather than filtering)
    # avoids Hypothesis' filter_too_much health check and keeps the example unchanged when shrinking.
    return mutated if is_valid_e164(mutated) else base


def valid_e164() -> st.SearchStrategy[str]:
    """Real valid E.164 numbers from about 240 country codes; shrinks to the US fixed-line example."""
    return _valid()


def e164_extremes() -> list[str]:
    """The shortest and the longest valid numbers of the example table (by digit count)."""
    table = example_numbers()
    return [min(table, key=lambda s: (len(s), s)), max(table, key=lambda s: (len(s), s))]


@functools.cache
def _invalid_bases() -> tuple[str, ...]:
    table = example_numbers()
    bases = [table[0], *e164_extremes()]
    for region in _INVALID_BASE_REGIONS:
        text = _e164(phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE))
        if text:
            bases.append(text)
    return tuple(dict.fromkeys(bases))


def _formatted(base: str) -> list[tuple[str, str]]:
    number = phonenumbers.parse(base, None)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if not any(c in international for c in " -.()"):
        nsn = phonenumbers.national_significant_number(number)
        international = f"+{number.country_code} {nsn}"
    groups = "".join(c if c.isdigit() or c == "+" else " " for c in international).split()
    return [
        (phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), "national format"),
        (international, "international format"),
        (" ".join(groups), "digits grouped with spaces"),
        ("-".join(groups), "digits grouped with dashes"),
        (".".join(groups), "digits grouped with dots"),
        (phonenumbers.format_number(number, PhoneNumberFormat.RFC3966), "a tel: URI"),
    ]


def _defects(base: str) -> list[tuple[str, str, str]]:
    """``(value, cls, note)``: ``base`` broken in each documented way, one defect at a time."""
    digits = base[1:]
    rows = [
        (digits, "missing-plus", "no leading +"),
        (base + "1" * (16 - len(digits)), "too-long", "16 digits (E.164 allows at most 15)"),
        ("+0" + digits[1:], "leading-zero", "a country code starting with 0"),
        (base[:-4] + "CALL", "letters", "letters instead of the last digits"),
    ]
    rows += [(value, "formatted", note) for value, note in _formatted(base)]
    rows += [
        (" " + base, "whitespace", "leading space"),
        (base + " ", "whitespace", "trailing space"),
        ("\t" + base, "whitespace", "leading tab"),
        ("+", "lone-plus", "a lone +"),
        ("+" + base, "double-plus", "two leading +"),
        ("+" + digits[0], "too-short", "a single digit"),
        # What only a line-anchored check (Ruby's ^…$, Python's re.M) takes for a number: the format is
        # the whole string's.
        (base + "\n", "line-anchored:trailing", "a trailing newline"),
        ("junk\n" + base, "line-anchored:embedded", "a line of junk before it"),
    ]
    for script, table in _DIGIT_SETS.items():
        translated = digits.translate(str.maketrans("0123456789", table))
        rows.append(("+" + translated, "non-ascii-digits", f"{script} digits"))
    rows.append(("\uff0b" + digits, "non-ascii-digits", "a fullwidth plus sign"))
    return rows


@functools.cache
def _invalid_table() -> tuple[Labeled, ...]:
    seen: set[str] = set()
    out: list[Labeled] = []
    by_class: dict[str, list[Labeled]] = {}
    for base in _invalid_bases():
        for value, cls, note in _defects(base):
            if value not in seen:
                seen.add(value)
                by_class.setdefault(cls, []).append(Labeled(value, cls, True, f"{base} with {note}", FIELD))
    for labels in by_class.values():
        out += labels
    return tuple(out)


def invalid_e164() -> st.SearchStrategy[Labeled]:
    """Strings every E.164 implementation rejects, each a valid number with exactly one defect."""
    return st.sampled_from(_invalid_table())


def ambiguous_e164() -> list[str]:
    """Strings matching the fragment's E.164 pattern that phonenumbers does not consider valid numbers.

    A server with other numbering metadata may accept them, so they are for observation only.
    """
    pattern = load_spec().e164_pattern
    first = example_numbers()[0]
    candidates = ["+10", "+1234", "+10000000000", "+999999999999999", first[:-1], first + "0"]
    return [c for c in dict.fromkeys(candidates) if pattern.fullmatch(c) and not is_valid_e164(c)]


@functools.cache
def _wrong_types() -> tuple[Labeled, ...]:
    first = example_numbers()[0]
    return (
        Labeled(int(first[1:]), "wrong-type:number", True, "the digits as a JSON number", FIELD),
        Labeled(0, "wrong-type:number", True, "zero", FIELD),
        Labeled(True, "wrong-type:bool", True, "a boolean", FIELD),
        Labeled(False, "wrong-type:bool", True, "a boolean", FIELD),
        Labeled([first], "wrong-type:list", True, "a valid number inside a list", FIELD),
        Labeled([], "wrong-type:list", True, "an empty list", FIELD),
        Labeled({"number": first}, "wrong-type:object", True, "a valid number inside an object", FIELD),
        Labeled({}, "wrong-type:object", True, "an empty object", FIELD),
    )


def invalid_send_as_types() -> st.SearchStrategy[Labeled]:
    """``default_send_as`` values that are neither a string nor null."""
    return st.sampled_from(_wrong_types())


def owned_numbers_from_env(value: str | None) -> tuple[str, ...]:
    """Parse ``SIGNALWIRE_TEST_NUMBERS``: comma-separated E.164 numbers, spaces allowed, repeats dropped.

    The documented rule is the E.164 *format* (the fragment's pattern): an entry that breaks it raises
    ValueError naming it. Whether a number is allocated is not documented, so an entry libphonenumber does
    not consider a valid number (SignalWire's own example +15551234567, say) only warns
    (:class:`UnallocatedNumberWarning`): the user knows their account better than our metadata does.
    """
    if value is None:
        return ()
    pattern = load_spec().e164_pattern
    numbers: list[str] = []
    for position, raw in enumerate(value.split(","), start=1):
        entry = raw.strip()
        if not entry:
            continue
        if not pattern.fullmatch(entry):
            raise ValueError(
                f"SIGNALWIRE_TEST_NUMBERS entry {position} has value {entry!r}: not an E.164 number "
                f"(expected '+' then country code and number, digits only, e.g. {example_numbers()[0]!r})"
            )
        if not is_valid_e164(entry):
            warnings.warn(f"SIGNALWIRE_TEST_NUMBERS entry {position} ({entry!r}) is E.164 but libphonenumber "
                          "does not consider it an allocated number; it is used as given",
                          UnallocatedNumberWarning, stacklevel=2)
        numbers.append(entry)
    return tuple(dict.fromkeys(numbers))


class UnallocatedNumberWarning(UserWarning):
    """A SIGNALWIRE_TEST_NUMBERS entry in E.164 format that libphonenumber does not know as allocated."""
