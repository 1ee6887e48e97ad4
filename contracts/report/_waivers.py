"""Waivers: a known, ticketed deviation that must not fail the nightly run until its expiry date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.document import recount
from contracts.report._errors import ReportError

__all__ = ["Waiver", "apply_waivers", "load_waivers"]

_KEYS = {"id", "reason", "expires"}


@dataclass(frozen=True)
class Waiver:
    """One entry of the waiver file. It is live up to and including ``expires``."""

    id: str
    reason: str
    expires: dt.date

    def live(self, today: dt.date) -> bool:
        return today <= self.expires

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "reason": self.reason, "expires": self.expires.isoformat()}


def _loader() -> Any:
    """A safe YAML loader that keeps dates as text, so a bad date gets our message, not PyYAML's."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def _entry(item: Any, n: int, source: str, known_ids: set[str]) -> Waiver:
    where = f"{source}: waiver #{n}"
    if not isinstance(item, dict):
        raise ReportError(f"{where}: expected a mapping with id, reason and expires")
    wid = item.get("id")
    if not isinstance(wid, str) or not wid.strip():
        raise ReportError(f"{where}: missing 'id' (a clause ID such as SP-PROTO-002 or an OBS-… ID)")
    where = f"{source}: waiver {wid}"
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise ReportError(f"{where}: unknown key {unknown[0]!r} (allowed: expires, id, reason)")
    if wid not in known_ids:
        raise ReportError(f"{where}: unknown clause or observation ID")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ReportError(f"{where}: missing 'reason' (say why, and name the ticket)")
    raw = item.get("expires")
    if raw is None or raw == "":
        raise ReportError(f"{where}: missing 'expires' (a date such as 2027-01-31)")
    try:
        expires = dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ReportError(f"{where}: expires {raw!r} is not a valid date (use YYYY-MM-DD)") from None
    return Waiver(id=wid, reason=reason.strip(), expires=expires)


def load_waivers(path: str | Path, known_ids: set[str]) -> list[Waiver]:
    """Read a waiver file; raise :class:`ReportError` (one line) on any problem with it."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{p}: waiver file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{p}: waiver file cannot be read ({exc})") from None
    try:
        data = yaml.load(text, Loader=_loader())  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ReportError(f"{p}: not valid YAML{at}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("waivers", []), list):
        raise ReportError(f"{p}: expected a top-level 'waivers:' list")
    waivers = [_entry(item, n, str(p), known_ids) for n, item in enumerate(data.get("waivers") or [], 1)]
    seen: set[str] = set()
    for w in waivers:
        if w.id in seen:
            raise ReportError(f"{p}: waiver {w.id} appears more than once")
        seen.add(w.id)
    return waivers


def apply_waivers(doc: dict[str, Any], waivers: Sequence[Waiver] | Iterable[Waiver], today: dt.date) -> None:
    """Waive failing clauses and changed observations that have a live waiver; recount.

    A waived clause keeps its failures (the report still shows them). Expired waivers apply to nothing
    and are listed in ``doc["waivers"]["expired"]``; live waivers that matched nothing (the clause passes
    again, the observation did not drift) are listed in ``doc["waivers"]["unused"]``, so the file can be
    cleaned up.
    """
    record = doc.setdefault("waivers", {})
    applied: list[dict[str, str]] = record.setdefault("applied", [])
    expired: list[dict[str, str]] = record.setdefault("expired", [])
    unused: list[dict[str, str]] = record.setdefault("unused", [])
    clauses = {c["id"]: c for c in doc["clauses"]}
    baseline = doc.get("baseline") or {}
    drift = {d["id"]: d for d in baseline.get("observations", {}).get("changed", [])}
    for waiver in waivers:
        entry = waiver.as_dict()
        if not waiver.live(today):
            expired.append(entry)
            continue
        ref = {"reason": waiver.reason, "expires": entry["expires"]}
        clause = clauses.get(waiver.id)
        if clause is not None and clause["verdict"] == "fail":
            clause["verdict"] = "waived"
            clause["waiver"] = ref
            applied.append(entry)
        elif waiver.id in drift and not drift[waiver.id].get("waived"):
            drift[waiver.id]["waived"] = True
            drift[waiver.id]["waiver"] = ref
            applied.append(entry)
        else:
            unused.append(entry)
    doc["counts"] = recount(doc)
