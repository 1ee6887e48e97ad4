"""The catalogue's quoted sentences, checked against the upstream slice's descriptions.

A clause is checked when its ``where`` claims a SignalWire document: an https URL on signalwire.com or
under github.com/signalwire (raw.githubusercontent.com too), or a marker listed in ``x-upstream``'s
``quote-sources`` (today's file names of the page). Anything else (the project's own reading, ENDPOINT.md)
is not a quotation of SignalWire and is left alone, so converting ``where`` from file names to URLs needs no
change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from contracts.docsdiff._compare import Difference
from contracts.docsdiff._text import found_in, normalise

__all__ = ["check_quotes", "claims_signalwire"]

NOT_FOUND = "(not found in the upstream slice)"
_GITHUB_HOSTS = ("github.com", "raw.githubusercontent.com")


def claims_signalwire(where: str, markers: Iterable[str] = ()) -> bool:
    parts = urlsplit(where.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and (host == "signalwire.com" or host.endswith(".signalwire.com")):
        return True
    if parts.scheme == "https" and host in _GITHUB_HOSTS and parts.path.lower().startswith("/signalwire/"):
        return True
    return any(marker and marker in where for marker in markers)


def check_quotes(clauses: Iterable[object], texts: Iterable[str],
                 markers: Iterable[str]) -> Iterator[Difference]:
    """One difference per clause whose quoted sentence claims SignalWire but is not found upstream."""
    corpus = "\n".join(normalise(t) for t in texts)
    markers = tuple(markers)
    for clause in clauses:
        where, source = str(getattr(clause, "where", "")), str(getattr(clause, "source", ""))
        if not source or not claims_signalwire(where, markers):
            continue
        if not found_in(source, corpus):
            clause_id = str(getattr(clause, "id", "?"))
            yield Difference(f"quote:{clause_id}", f"{clause_id}: the sentence it quotes ({where}) is not in "
                             "the published description", NOT_FOUND, normalise(source))
