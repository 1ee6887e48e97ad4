from __future__ import annotations

from collections.abc import Callable
from typing import Any

import phonenumbers
import pytest
from hypothesis import Phase, find, given, settings

from contracts.generators import (
    Labeled,
    ambiguous_e164,
    e164_extremes,
    invalid_e164,
    invalid_send_as_types,
    is_valid_e164,
    owned_numbers_from_env,
    representatives,
    valid_e164,
)
from contracts.generators._e164 import FIELD, _invalid_table, example_numbers
from contracts.spec import load_spec

Errors = Callable[[dict[str, Any]], list[str]]
FAST = settings(max_examples=40, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
E164_CLASSES = {
    "missing-plus",
    "too-long",
    "leading-zero",
    "letters",
    "formatted",
    "whitespace",
    "lone-plus",
    "double-plus",
    "too-short",
    "non-ascii-digits",
    "line-anchored:trailing",
    "line-anchored:embedded",
}


def _matches_pattern(value: object) -> bool:
    # fullmatch gives the pattern ECMA-262 semantics: Python's `$` would also match before a final "\n".
    return isinstance(value, str) and load_spec().e164_pattern.fullmatch(value) is not None


def test_200_draws_are_valid_varied_and_international() -> None:
    drawn: list[str] = []

    @settings(max_examples=200, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
    @given(valid_e164())
    def collect(number: str) -> None:
        drawn.append(number)

    collect()
    assert len(drawn) == 200
    assert all(is_valid_e164(n) for n in drawn)
    assert len(set(drawn)) >= 150
    codes = {phonenumbers.parse(n, None).country_code for n in drawn}
    assert len(codes) >= 30


def test_valid_e164_shrinks_to_a_well_known_number() -> None:
    simplest = find(valid_e164(), lambda _: True)
    assert simplest == example_numbers()[0]
    assert phonenumbers.region_code_for_number(phonenumbers.parse(simplest, None)) == "US"


def test_valid_e164_also_mutates_examples() -> None:
    table = set(example_numbers())
    fast = settings(database=None, max_examples=300, phases=[Phase.generate])
    assert is_valid_e164(find(valid_e164(), lambda n: n not in table, settings=fast))


def test_example_table_is_valid_and_covers_non_geographic_entities() -> None:
    table = example_numbers()
    assert len(table) > 500
    assert all(is_valid_e164(n) for n in table)
    codes = {phonenumbers.parse(n, None).country_code for n in table}
    assert codes & set(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
    assert example_numbers() is table  # built once


def test_extremes_are_the_shortest_and_longest_numbers() -> None:
    shortest, longest = e164_extremes()
    lengths = [len(n) for n in example_numbers()]
    assert len(shortest) == min(lengths) and len(longest) == max(lengths)
    assert is_valid_e164(shortest) and is_valid_e164(longest)


def test_invalid_e164_is_documented_and_schema_invalid(request_errors: Errors) -> None:
    @FAST
    @given(invalid_e164())
    def check(label: Labeled) -> None:
        assert label.documented and label.field == FIELD and label.cls in E164_CLASSES
        assert not _matches_pattern(label.value)
        assert request_errors({FIELD: label.value})

    check()


def test_no_invalid_e164_matches_the_fragments_pattern(request_errors: Errors) -> None:
    table = _invalid_table()
    assert {label.cls for label in table} == E164_CLASSES
    for label in table:
        assert isinstance(label.value, str) and label.value != ""
        assert not _matches_pattern(label.value), label
        assert not is_valid_e164(label.value)
        assert request_errors({FIELD: label.value}), label


def test_formatted_numbers_cover_national_and_separator_styles() -> None:
    formatted = {label.value for label in _invalid_table() if label.cls == "formatted"}
    first = example_numbers()[0]
    number = phonenumbers.parse(first, None)
    assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) in formatted
    for separator in " -.":
        assert any(isinstance(v, str) and v.startswith("+") and separator in v for v in formatted)


def test_ambiguous_numbers_match_the_pattern_but_are_not_valid() -> None:
    ambiguous = ambiguous_e164()
    assert len(ambiguous) >= 4
    for value in ambiguous:
        assert _matches_pattern(value)
        assert not is_valid_e164(value)


def test_invalid_send_as_types_are_schema_invalid_and_never_null(request_errors: Errors) -> None:
    @FAST
    @given(invalid_send_as_types())
    def check(label: Labeled) -> None:
        assert label.documented and label.value is not None and not isinstance(label.value, str)
        assert label.cls.startswith("wrong-type:")
        assert request_errors({FIELD: label.value})

    check()


def test_null_and_empty_send_as_are_valid(request_errors: Errors) -> None:
    assert request_errors({FIELD: None}) == [] and request_errors({FIELD: ""}) == []


@pytest.mark.parametrize(
    "value",
    [
        None,
        12015550123,
        "",
        "+",
        "+10",
        "12015550123",
        "+12015550123\n",
        " +12015550123",
        "+\u0661\u0662\u0660\u0661\u0665\u0665\u0665\u0660\u0661\u0662\u0663",
    ],
)
def test_is_valid_e164_rejects(value: object) -> None:
    assert not is_valid_e164(value)


def test_is_valid_e164_accepts_an_example() -> None:
    assert is_valid_e164(example_numbers()[0])


def test_owned_numbers_from_env_parses_and_tolerates_whitespace() -> None:
    us, gb = example_numbers()[0], "+447400123456"
    assert owned_numbers_from_env(None) == ()
    assert owned_numbers_from_env("  ") == ()
    assert owned_numbers_from_env(us) == (us,)
    assert owned_numbers_from_env(f" {us} ,\t{gb}, {us},") == (us, gb)


@pytest.mark.parametrize("bad", ["12015550123", "+1 201 555 0123", "+0123", "+12015550123x"])
def test_owned_numbers_from_env_names_the_bad_entry(bad: str) -> None:
    with pytest.raises(ValueError, match="SIGNALWIRE_TEST_NUMBERS") as info:
        owned_numbers_from_env(f"+447400123456, {bad}")
    assert repr(bad) in str(info.value)
    assert "entry 2" in str(info.value)


def test_owned_numbers_from_env_warns_on_unallocated_but_format_valid() -> None:
    from contracts.generators import UnallocatedNumberWarning

    with pytest.warns(UnallocatedNumberWarning, match="entry 1"):
        assert owned_numbers_from_env("+15551234567") == ("+15551234567",)


def test_line_anchored_values_are_invalid_by_the_whole_string_but_pass_a_line_anchored_check() -> None:
    """"+1…\n" and "junk\n+1…" break the format, yet Ruby's ^…$ (Python's re.M) matches a line of each."""
    import re

    reps = {lab.cls: lab.value for lab in representatives("e164")}
    pattern = load_spec().e164_pattern
    for cls in ("line-anchored:trailing", "line-anchored:embedded"):
        value = reps[cls]
        assert "\n" in value and not pattern.fullmatch(value)
        assert re.search(pattern.pattern, value, re.MULTILINE)
