from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from contracts.generators import (
    Labeled,
    Vocab,
    invalid_items,
    invalid_types,
    singletons,
    undocumented_variants,
    valid_lists,
)
from contracts.generators._vocab import FIELDS, _bad_items, _outside, vocabulary
from contracts.spec import load_spec

Errors = Callable[[dict[str, Any]], list[str]]

FAST = settings(max_examples=40, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
VOCABS: tuple[Vocab, ...] = get_args(Vocab)
ITEM_CLASSES = {
    "unsupported-name",
    "other-vocabulary",
    "empty-string",
    "not-in-enum",
    "whitespace",
    "lookalike-unicode",
}
UNDOCUMENTED_KEYS = ["case-lower", "case-title", "case-mixed", "empty", "duplicates", "null", "order"]


def test_vocabularies_come_from_the_fragment() -> None:
    spec = load_spec()
    assert vocabulary("codecs") == spec.codecs
    assert vocabulary("ciphers") == spec.ciphers
    assert set(FIELDS.values()) <= set(spec.update_fields)
    with pytest.raises(ValueError, match="vocab"):
        vocabulary("encryption")  # type: ignore[arg-type]


@pytest.mark.parametrize("vocab", VOCABS)
def test_singletons_are_every_supported_name(vocab: Vocab) -> None:
    assert singletons(vocab) == [[name] for name in vocabulary(vocab)]


@pytest.mark.parametrize("vocab", VOCABS)
def test_valid_lists_are_non_empty_distinct_supported_names(vocab: Vocab) -> None:
    names = set(vocabulary(vocab))

    @FAST
    @given(valid_lists(vocab))
    def check(value: list[str]) -> None:
        assert value
        assert len(set(value)) == len(value)
        assert set(value) <= names

    check()


@pytest.mark.parametrize("vocab", VOCABS)
def test_valid_lists_validate_against_the_request_schema(vocab: Vocab, request_errors: Errors) -> None:
    @FAST
    @given(valid_lists(vocab))
    def check(value: list[str]) -> None:
        assert request_errors({FIELDS[vocab]: value}) == []

    check()


@pytest.mark.parametrize("vocab", VOCABS)
def test_valid_lists_shrink_to_the_first_documented_name(vocab: Vocab) -> None:
    assert find(valid_lists(vocab), lambda _: True) == [vocabulary(vocab)[0]]


@pytest.mark.parametrize("vocab", VOCABS)
def test_valid_lists_reach_every_ordering_class(vocab: Vocab) -> None:
    names = vocabulary(vocab)
    rank = {n: i for i, n in enumerate(names)}
    fast = settings(database=None, max_examples=500, phases=[Phase.generate])

    def ranks(value: list[str]) -> list[int]:
        return [rank[n] for n in value]

    orderings = {
        "documented": lambda v: len(v) >= 3 and ranks(v) == sorted(ranks(v)),
        "reversed": lambda v: len(v) >= 3 and ranks(v) == sorted(ranks(v), reverse=True),
        "sorted": lambda v: len(v) >= 3 and v == sorted(v) and ranks(v) != sorted(ranks(v)),
        "shuffled": lambda v: (
            len(v) >= 3
            and v not in (sorted(v), sorted(v, reverse=True))
            and ranks(v) not in (sorted(ranks(v)), sorted(ranks(v), reverse=True))
        ),
        "all": lambda v: len(v) == len(names),
    }
    for predicate in orderings.values():
        find(valid_lists(vocab), predicate, settings=fast)


@pytest.mark.parametrize("vocab", VOCABS)
def test_invalid_items_hold_exactly_one_bad_entry_and_are_schema_invalid(
    vocab: Vocab, request_errors: Errors
) -> None:
    names = set(vocabulary(vocab))

    @FAST
    @given(invalid_items(vocab))
    def check(label: Labeled) -> None:
        assert label.documented and label.cls in ITEM_CLASSES
        assert label.field == FIELDS[vocab]
        assert isinstance(label.value, list)
        bad = [item for item in label.value if item not in names]
        good = [item for item in label.value if item in names]
        assert len(bad) == 1
        assert len(set(good)) == len(good)
        assert request_errors({FIELDS[vocab]: label.value})

    check()


@pytest.mark.parametrize("vocab", VOCABS)
def test_every_bad_item_is_outside_the_vocabulary_and_every_class_is_present(
    vocab: Vocab, request_errors: Errors
) -> None:
    names = set(vocabulary(vocab))
    rows = _bad_items(vocab)
    assert {cls for _, cls, _ in rows} == ITEM_CLASSES
    for item, _, _ in rows:
        assert item not in names
        assert request_errors({FIELDS[vocab]: [item]})
    assert set(vocabulary("ciphers" if vocab == "codecs" else "codecs")) <= {i for i, _, _ in rows}


def test_unsupported_names_that_a_lenient_server_could_match_are_dropped() -> None:
    first = vocabulary("codecs")[0]
    assert _outside("codecs", (first, first.lower(), f" {first} ", "G729")) == ["G729"]


@pytest.mark.parametrize("vocab", VOCABS)
def test_invalid_items_put_the_bad_entry_at_every_position(vocab: Vocab) -> None:
    names = set(vocabulary(vocab))
    fast = settings(database=None, max_examples=500, phases=[Phase.generate])

    def where(label: Labeled) -> str:
        assert isinstance(label.value, list)
        index = next(i for i, item in enumerate(label.value) if item not in names)
        if len(label.value) == 1:
            return "alone"
        return "start" if index == 0 else "end" if index == len(label.value) - 1 else "middle"

    for position in ("alone", "start", "middle", "end"):

        def at(label: Labeled, p: str = position) -> bool:
            return where(label) == p

        find(invalid_items(vocab), at, settings=fast)


@pytest.mark.parametrize("vocab", VOCABS)
def test_invalid_types_are_schema_invalid_and_never_null(vocab: Vocab, request_errors: Errors) -> None:
    @FAST
    @given(invalid_types(vocab))
    def check(label: Labeled) -> None:
        assert label.documented and label.value is not None
        assert label.cls.startswith(("wrong-type:", "wrong-item-type:"))
        assert request_errors({FIELDS[vocab]: label.value})

    check()


@pytest.mark.parametrize("vocab", VOCABS)
def test_undocumented_variants_are_labelled_undocumented(vocab: Vocab) -> None:
    ids = {item["id"] for item in load_spec().undocumented()}
    variants = undocumented_variants(vocab)
    assert [v.cls for v in variants] == UNDOCUMENTED_KEYS
    for variant in variants:
        assert variant.documented is False
        assert variant.field == FIELDS[vocab]
        cited = variant.note.split("x-undocumented: ")[1].rstrip(")")
        assert cited in ids
    by_key = {v.cls: v.value for v in variants}
    names = vocabulary(vocab)
    assert by_key["empty"] == [] and by_key["null"] is None
    assert by_key["order"] == list(reversed(names))
    dup = by_key["duplicates"]
    assert isinstance(dup, list) and len(dup) == 2 and dup[0] == dup[1] and dup[0] in names
    for key in ("case-lower", "case-title", "case-mixed"):
        value = by_key[key]
        assert isinstance(value, list) and value[0] not in names
        assert value[0].upper() in {n.upper() for n in names}


@pytest.mark.parametrize("vocab", VOCABS)
def test_undocumented_values_never_appear_among_documented_ones(vocab: Vocab) -> None:
    undocumented = {repr(v.value) for v in undocumented_variants(vocab) if v.cls != "order"}
    strategy = st.one_of(invalid_items(vocab), invalid_types(vocab))

    @FAST
    @given(strategy)
    def check(label: Labeled) -> None:
        assert repr(label.value) not in undocumented

    check()
