"""Named levels of effort (``--profile quick|deep``), like hypothesis' settings profiles: how many examples
each clause draws. Called *effort* in the code so that "profile" only ever means the SIP profile.

``quick`` is the nightly default: every clause exercised at least once in about 150 requests. Each fixed
representative stands for its invalid class (draws that only repeat a shown class are not sent), two
real-but-unsupported names per vocabulary (deep: every one), two exploratory examples per search, one per
stateful clause, three negative schemathesis cases (a sample of the generic net; its reach is shown with
more). Its hard budget (400) leaves room for the retries a rate-limited or flaky target costs.
``deep`` is the weekly run: many more examples per clause, a larger budget.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EFFORTS", "Effort"]


@dataclass(frozen=True, kw_only=True)
class Effort:
    name: str
    budget: int  #: hard cap on requests for the whole run (restore is always allowed beyond it)
    examples: int  #: examples per explored clause
    schemathesis_positive: int
    schemathesis_negative: int
    state_examples: int
    #: Whether a rejection clause's hypothesis draws may repeat an invalid class its fixed representatives
    #: already showed. Quick: no (the representatives stand for their class; a draw of a new class is
    #: still sent). Deep: yes (positions and neighbours inside a class are what a weekly run explores).
    repeat_classes: bool = True
    #: How many real-but-unsupported names (codecs, ciphers, encryption values) a rejection clause sends,
    #: the most likely additions first; None: every one (the tables in contracts/generators).
    unsupported_names: int | None = None


EFFORTS: dict[str, Effort] = {
    "quick": Effort(name="quick", budget=400, examples=2, schemathesis_positive=3,
                     schemathesis_negative=3, state_examples=1,
                     repeat_classes=False, unsupported_names=2),
    "deep": Effort(name="deep", budget=4000, examples=40, schemathesis_positive=120,
                    schemathesis_negative=200, state_examples=25),
}
