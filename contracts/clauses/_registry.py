"""The clause registry: every clause is declared once, by :func:`clause`, on the function that checks it.

A declaration carries the clause's literal ID (so ``grep SP-CODEC-003 contracts`` lands on its check), its
title, kind, area, what it needs from the run, the observation IDs it records, and where its
documentation sentence lives: ``doc`` is a JSON pointer into the fragment (``openapi/sip_profile.yaml``),
whose ``x-doc`` quotes the sentence and ``x-doc-url`` names the SignalWire document it is quoted from.
A clause that rests on the project's own reading of the docs says so in ``reading``, in words.

The catalogue (``contracts.catalogue``) and the observation list are views of this registry.
IDs are stable: never renumber, only add. A retired clause keeps its ID reserved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from contracts.engine.client import Exchange
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.spec import load_spec

__all__ = ["AREAS", "Area", "Clause", "ClauseFn", "Kind", "Needs", "Rejects", "Watch", "clause", "watches"]

Kind = Literal["documented", "observed"]
Area = Literal["protocol", "auth", "codecs", "ciphers", "encryption", "send_as", "identifier", "state",
               "shape"]
#: What a clause needs from the run: ``write`` (PUT allowed), ``secondary`` (a second project in the
#: space), ``novoice`` (a token without the Voice scope), ``numbers`` (numbers the project owns).
Needs = Literal["write", "secondary", "novoice", "numbers"]
AREAS: tuple[Area, ...] = (
    "protocol", "auth", "codecs", "ciphers", "encryption", "send_as", "identifier", "state", "shape",
)
ClauseFn = Callable[[Session], None]
#: A rejection clause's field and its fixed documented-invalid values (``Labeled``, one per class): every
#: run sends them, and ``contracts.clauses._together`` may send several fields' values in one body.
Rejects = tuple[str, Callable[[Session], Sequence[Any]]]
#: A monitor's judgement of one answer of the run: the violation it shows, or None.
Watch = Callable[[Session, Exchange], Violation | None]

OWN_READING = "The project's own reading"


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    area: Area
    kind: Kind
    check: ClauseFn
    doc: str | None = None  #: JSON pointer of the quoted sentence in the fragment
    reading: str | None = None  #: the project's own reading, where the docs need interpreting
    needs: tuple[Needs, ...] = ()
    observes: tuple[str, ...] = ()  #: observation IDs this clause records
    watch: Watch | None = None  #: set for monitors: judged on every answer of the run
    rejects: Rejects | None = None  #: set for rejection clauses: the field and its fixed invalid values

    @property
    def documented(self) -> bool:
        return self.kind == "documented"

    @property
    def source(self) -> str:
        """The documentation sentence quoted (or, without one, the project's reading)."""
        return load_spec().doc(self.doc) if self.doc else str(self.reading)

    @property
    def where(self) -> str:
        """An https URL of SignalWire's documentation, or a sentence saying it is the project's reading."""
        if self.doc:
            return load_spec().doc_url(self.doc)
        return f"{OWN_READING}: no SignalWire sentence states this point."

    @property
    def check_name(self) -> str:
        return f"{self.check.__module__}:{self.check.__name__}"


REGISTRY: dict[str, Clause] = {}


def clause(clause_id: str, *, title: str, area: Area, kind: Kind = "documented", doc: str | None = None,
           reading: str | None = None, needs: tuple[Needs, ...] = (),
           observes: tuple[str, ...] = (), rejects: Rejects | None = None) -> Callable[[ClauseFn], ClauseFn]:
    """Declare the decorated function as the check of clause ``clause_id``."""
    if doc is None and reading is None:
        raise ValueError(f"{clause_id}: a clause quotes its sentence (doc=) or says the project's reading")

    def register(fn: ClauseFn) -> ClauseFn:
        if clause_id in REGISTRY:
            raise RuntimeError(f"{clause_id} declared twice")
        REGISTRY[clause_id] = Clause(id=clause_id, title=title, area=area, kind=kind, check=fn, doc=doc,
                                     reading=reading, needs=needs, observes=observes, rejects=rejects)
        return fn

    return register


def watches(clause_id: str) -> Callable[[Watch], Watch]:
    """Attach a per-answer judgement to an already declared clause (a monitor)."""

    def attach(fn: Watch) -> Watch:
        declared = REGISTRY[clause_id]
        if declared.watch is not None:
            raise RuntimeError(f"{clause_id} watched twice")
        REGISTRY[clause_id] = Clause(**{**declared.__dict__, "watch": fn})
        return fn

    return attach

