"""Fixed representatives: every documented-invalid class once, every unsupported name, all invalid."""

from __future__ import annotations

import pytest

from contracts import generators as gen


@pytest.mark.parametrize(("kind", "full"), [
    ("types", lambda: gen.invalid_types("codecs")),
    ("encryption", gen.invalid_encryption),
    ("e164", gen.invalid_e164),
    ("send_as_types", gen.invalid_send_as_types),
    ("identifier_types", gen.invalid_identifier_types),
])
def test_one_per_class_and_all_documented(kind: str, full: object) -> None:
    reps = gen.representatives(kind)  # type: ignore[arg-type]
    classes = [lab.cls for lab in reps if lab.cls != "unsupported-name"]  # every unsupported name is kept
    assert len(classes) == len(set(classes))
    assert all(lab.documented for lab in reps)


@pytest.mark.parametrize("vocab", ["codecs", "ciphers"])
def test_items_hold_every_unsupported_name_alone(vocab: str) -> None:
    reps = gen.representatives("items", vocab)  # type: ignore[arg-type]
    unsupported = [lab for lab in reps if lab.cls == "unsupported-name"]
    assert len(unsupported) >= 5
    assert all(isinstance(lab.value, list) and len(lab.value) == 1 for lab in reps)
    assert {"other-vocabulary", "whitespace", "lookalike-unicode"} <= {lab.cls for lab in reps}


@pytest.mark.parametrize(("kind", "vocab"),
                         [("items", "codecs"), ("items", "ciphers"), ("encryption", "codecs")])
def test_a_quick_run_keeps_every_class_and_the_first_names(kind: str, vocab: str) -> None:
    every = gen.representatives(kind, vocab)  # type: ignore[arg-type]
    few = gen.representatives(kind, vocab, names=2)  # type: ignore[arg-type]
    assert {lab.cls for lab in few} == {lab.cls for lab in every}
    names = [lab.value for lab in every if lab.cls == "unsupported-name"]
    assert [lab.value for lab in few if lab.cls == "unsupported-name"] == names[:2]
    assert [lab for lab in few if lab.cls != "unsupported-name"] == \
        [lab for lab in every if lab.cls != "unsupported-name"]
