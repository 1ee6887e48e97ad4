"""What the codec and cipher clauses share: one helper per kind of check, over a vocabulary of the fragment.

The clauses themselves are declared in ``codecs.py`` and ``ciphers.py``. For codecs the list order is the
SIP preference order: whether a server keeps it is undocumented, so it is observed (and drift-checked
against a baseline), while set-equality of the echo is asserted.
"""

from __future__ import annotations

from typing import Any, Literal

from contracts.engine.session import Session

from .. import generators as gen
from ..generators import canonical
from ._common import accepts, accepts_each, answer_to, observed_together, probe, rejects_every
from ._registry import Rejects

Vocab = Literal["codecs", "ciphers"]
_FIELD = {"codecs": "default_codecs", "ciphers": "default_ciphers"}
_OBS = {"codecs": "OBS-CODEC", "ciphers": "OBS-CIPHER"}
_OBS_KEY = {"case-lower": "CASE", "case-title": "CASE", "case-mixed": "CASE", "empty": "EMPTY",
            "duplicates": "DUP", "null": "NULL", "order": "ORDER"}
_QUESTION = {
    "CASE": "Are {v} names matched case-sensitively?",
    "EMPTY": "Is an empty {f} accepted, and how is it stored?",
    "DUP": "Are duplicate {v} entries accepted, and kept?",
    "NULL": "Is null accepted for {f}?",
    "ORDER": "Is the order of {f} kept (sent reversed)?",
}


def each_value_alone(s: Session, vocab: Vocab) -> None:
    """Every supported name alone is accepted and echoed."""
    accepts_each(s, _FIELD[vocab], gen.singletons(vocab))


def subsets_and_orders(s: Session, vocab: Vocab, clause_id: str) -> None:
    field = _FIELD[vocab]

    def check(value: Any) -> None:
        if canonical({field: value}) in s.accepted:
            return  # an earlier PUT of the run had this very list accepted and echoed (e.g. one codec)
        accepts(s, {field: value}, f"PUT {field} subset")

    s.explorer.search(clause_id, gen.valid_lists(vocab), probe(check), examples=s.examples(s.effort.examples))


def unsupported_names(s: Session, vocab: Vocab, clause_id: str) -> None:
    rejects_every(s, clause_id, gen.invalid_items(vocab))


def fixed_names(vocab: Vocab) -> Rejects:
    """The field and fixed values of an unsupported-names clause (one name per class; quick: the first
    ``unsupported_names`` real-but-unsupported names)."""
    return _FIELD[vocab], lambda s: gen.representatives("items", vocab, names=s.effort.unsupported_names)


def wrong_types(s: Session, vocab: Vocab, clause_id: str) -> None:
    rejects_every(s, clause_id, gen.invalid_types(vocab))


def fixed_types(vocab: Vocab) -> Rejects:
    """The field and fixed values of a not-a-list-of-strings clause: one per wrong JSON type."""
    return _FIELD[vocab], lambda s: gen.representatives("types", vocab)


def undocumented(s: Session, vocab: Vocab, clause_id: str) -> None:
    """Observe case variants, empty list, duplicates, null and order (OBS-CODEC-* / OBS-CIPHER-*)."""
    field = _FIELD[vocab]
    seen: dict[str, dict[str, Any]] = {}
    exchanges: dict[str, Any] = {}
    for lab in gen.undocumented_variants(vocab):
        key = _OBS_KEY.get(lab.cls)
        if key is None:
            continue
        if lab.cls in _SHARED:
            observed_together(s, _SHARED[lab.cls]())
        ex = answer_to(s, {field: lab.value})
        echo = (ex.json() or {}).get(field) if ex.status < 300 else None
        entry: dict[str, Any] = {"status": ex.status, "accepted": 200 <= ex.status < 300}
        if entry["accepted"]:
            entry["stored"] = _shape(lab.value, echo)
        seen.setdefault(key, {})[lab.cls] = entry
        exchanges.setdefault(key, ex)
    for key, value in seen.items():
        v = value if len(value) > 1 else next(iter(value.values()))
        summary = "; ".join(f"{cls}: {_say(e)}" for cls, e in value.items())
        s.observe(f"{_OBS[vocab]}-{key}", clause_id, _QUESTION[key].format(v=vocab[:-1], f=field),
                  exchanges[key], v, summary)


def _variant_bodies(cls: str) -> list[dict[str, Any]]:
    return [{_FIELD[v]: lab.value} for v in ("codecs", "ciphers")
            for lab in gen.undocumented_variants(v) if lab.cls == cls]


#: Observation classes whose probes of both lists (and, for null, of default_encryption: SP-ENC-003) go out
#: in one body first (``observed_together``): the echo shows each field's answer; a refusal sends each alone.
_SHARED: dict[str, Any] = {
    "empty": lambda: _variant_bodies("empty"),
    "duplicates": lambda: _variant_bodies("duplicates"),
    "null": lambda: [*_variant_bodies("null"),
                     *({lab.field or "default_encryption": lab.value}
                       for lab in gen.undocumented_encryption())],
}


def _shape(sent: Any, echo: Any) -> str:
    """How the stored value relates to what was sent, in words stable across runs."""
    if echo == sent:
        return "as-sent"
    if echo is None:
        return "null"
    if isinstance(echo, list) and isinstance(sent, list):
        if sorted(set(echo)) == sorted(set(sent)) and len(echo) < len(sent):
            return "deduplicated"
        if echo == sorted(sent):
            return "sorted"
        if sorted(map(str, echo)) == sorted(map(str, sent)):
            return "reordered"
        if [str(x).upper() for x in sent] == echo:
            return "upper-cased"
        if echo == []:
            return "empty"
    return "changed"


def _say(entry: dict[str, Any]) -> str:
    if entry["accepted"]:
        return f"accepted ({entry['status']}), stored {entry['stored']}"
    return f"rejected ({entry['status']})"

