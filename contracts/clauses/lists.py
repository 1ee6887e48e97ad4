"""Codec and cipher lists (SP-CODEC-*, SP-CIPHER-*): one factory, two vocabularies from the fragment.

For codecs the list order is the SIP preference order: whether a server keeps it is undocumented, so it
is observed (and drift-checked against a baseline), while set-equality of the echo is asserted.
"""

from __future__ import annotations

from typing import Any, Literal

from contracts.engine.session import Session

from .. import generators as gen
from . import implements
from ._common import accepts, probe, rejects_every

Vocab = Literal["codecs", "ciphers"]
_FIELD = {"codecs": "default_codecs", "ciphers": "default_ciphers"}
_PREFIX = {"codecs": "SP-CODEC", "ciphers": "SP-CIPHER"}
_OBS = {"codecs": "OBS-CODEC", "ciphers": "OBS-CIPHER"}
_OBS_KEY = {"case-lower": "CASE", "case-title": "CASE", "empty": "EMPTY", "duplicates": "DUP",
            "null": "NULL", "order": "ORDER"}
_QUESTION = {
    "CASE": "Are {v} names matched case-sensitively?",
    "EMPTY": "Is an empty {f} accepted, and how is it stored?",
    "DUP": "Are duplicate {v} entries accepted, and kept?",
    "NULL": "Is null accepted for {f}?",
    "ORDER": "Is the order of {f} kept (sent reversed)?",
}


def _register(vocab: Vocab) -> None:
    field, prefix = _FIELD[vocab], _PREFIX[vocab]

    @implements(f"{prefix}-001")
    def each_value_alone(s: Session) -> None:
        s.explorer.each(gen.singletons(vocab),
                        probe(lambda v: accepts(s, {field: v}, f"PUT {field}={v}")))

    @implements(f"{prefix}-002")
    def subsets_and_orders(s: Session) -> None:
        s.explorer.search(f"{prefix}-002", gen.valid_lists(vocab),
                          probe(lambda v: accepts(s, {field: v}, f"PUT {field} subset")),
                          examples=s.examples(s.effort.examples))

    @implements(f"{prefix}-003")
    def unsupported_names(s: Session) -> None:
        rejects_every(s, f"{prefix}-003", field, gen.representatives("items", vocab),
                      gen.invalid_items(vocab))

    @implements(f"{prefix}-004")
    def wrong_types(s: Session) -> None:
        rejects_every(s, f"{prefix}-004", field, gen.representatives("types", vocab),
                      gen.invalid_types(vocab))

    @implements(f"{prefix}-005")
    def undocumented(s: Session) -> None:
        seen: dict[str, dict[str, Any]] = {}
        exchanges: dict[str, Any] = {}
        for lab in gen.undocumented_variants(vocab):
            key = _OBS_KEY.get(lab.cls)
            if key is None:
                continue
            ex = s.put({field: lab.value})
            echo = (ex.json() or {}).get(field) if ex.status < 300 else None
            entry: dict[str, Any] = {"status": ex.status, "accepted": 200 <= ex.status < 300}
            if entry["accepted"]:
                entry["stored"] = _shape(lab.value, echo)
            seen.setdefault(key, {})[lab.cls] = entry
            exchanges.setdefault(key, ex)
        for key, value in seen.items():
            v = value if len(value) > 1 else next(iter(value.values()))
            summary = "; ".join(f"{cls}: {_say(e)}" for cls, e in value.items())
            s.observe(f"{_OBS[vocab]}-{key}", f"{prefix}-005",
                      _QUESTION[key].format(v=vocab[:-1], f=field), exchanges[key], v, summary)


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


_register("codecs")
_register("ciphers")
