"""Snapshot and restore: the run puts every profile it wrote back exactly as it found it.

Before the first write to a project, its profile is read and saved to ``snapshot.json`` in the report dir;
after the last write (also after a failure, an exception, SIGINT or SIGTERM) it is PUT back and verified
with a GET. A failed restore keeps the snapshot file so that ``sip-contracts restore PATH`` can retry.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from contracts.engine.client import Client, Exchange
from contracts.engine.config import Credentials, Target
from contracts.engine.stop import StopFlag
from contracts.errors import NoAnswer
from contracts.spec import RANDOM_SEND_AS

__all__ = ["Refusal", "SnapshotStore", "rehearse", "restore_profiles", "terminate_as_interrupt"]

WRITABLE = ("domain_identifier", "default_codecs", "default_ciphers", "default_encryption", "default_send_as")
SNAPSHOT_VERSION = "1"


class SnapshotStore:
    def __init__(self, path: Path, target: Target) -> None:
        self.path = path
        self.target = target
        self.profiles: dict[str, dict[str, Any]] = {}

    def save(self, who: str, profile: dict[str, Any]) -> None:
        self.profiles[who] = profile
        self.path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"version": SNAPSHOT_VERSION, "target": {"host": self.target.host,
                                                       "base_url": self.target.base_url},
               "profiles": self.profiles}
        self.path.write_text(json.dumps(doc, indent=2, sort_keys=True))

    @staticmethod
    def load(path: Path) -> dict[str, Any]:
        doc = json.loads(path.read_text())
        if doc.get("version") != SNAPSHOT_VERSION or "profiles" not in doc:
            raise ValueError(f"{path} is not a sip-contracts snapshot (version {SNAPSHOT_VERSION})")
        return doc  # type: ignore[no-any-return]


def _same(field: str, want: Any, got: Any) -> bool:
    if field == "default_send_as" and want in RANDOM_SEND_AS:
        return got in RANDOM_SEND_AS
    return bool(want == got)


def restore_one(client: Client, creds: Credentials, profile: dict[str, Any]) -> str | None:
    """PUT the writable fields back and verify with a GET; the problem in one line, or None."""
    body = {f: profile.get(f) for f in WRITABLE if f in profile}
    ex = client.request("PUT", creds=creds, body=body)
    if ex.status >= 300:
        # null for lists/enum is undocumented: if refused, omit those null fields and try again
        # (default_send_as keeps its null: the docs give null that field's "pick a number" meaning).
        body = {k: v for k, v in body.items() if v is not None or k == "default_send_as"}
        ex = client.request("PUT", creds=creds, body=body)
    if ex.status in (400, 422) and len(body) > 1:
        # One value the target no longer takes (a vocabulary narrowed since the snapshot) must not keep
        # the others, the domain identifier above all, from coming back: leave out one field at a time.
        # The field left out is then named by the check below, and the restore still counts as failed.
        for name in body:
            ex = client.request("PUT", creds=creds, body={k: v for k, v in body.items() if k != name})
            if ex.status < 300:
                break
    if ex.status >= 300:
        return f"PUT of the snapshot answered {ex.status}"
    got = client.request("GET", creds=creds)
    now = got.json() if got.status == 200 else None
    if not isinstance(now, dict):
        return f"GET after restore answered {got.status}"
    wrong = [f for f in WRITABLE if f in profile and not _same(f, profile[f], now.get(f))]
    return f"fields not restored: {', '.join(wrong)}" if wrong else None


def restore_attempts(client: Client) -> int:
    """Most attempts one request may take: the retries of a transient status (see Client), or a 500 replay."""
    return client.retries + 4


def restore_profiles(client: Client, target: Target, profiles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Restore every snapshot; the report's ``restore`` section."""
    if not profiles:
        return {"status": "not-needed", "projects": [], "detail": "nothing was written"}
    # Restoring is always allowed beyond the budget, as far as the restore itself can go: per profile
    # two PUTs, one per field left out, and the GET, each with every attempt the client may make.
    client.reserve += len(profiles) * (3 + len(WRITABLE)) * restore_attempts(client)
    problems: list[str] = []
    # Secondary first: if uniqueness was broken during the run, the primary's own identifier is free again.
    for who in sorted(profiles, key=lambda w: w != "secondary"):
        creds = getattr(target, who)
        try:
            problem = restore_one(client, creds, profiles[who])
        except NoAnswer as exc:
            problem = f"no answer ({exc})"
        if problem:
            problems.append(f"{who}: {problem}")
    if problems:
        return {"status": "failed", "projects": sorted(profiles), "detail": "; ".join(problems)}
    return {"status": "restored", "projects": sorted(profiles), "detail": "every writable field verified"}


@contextmanager
def terminate_as_interrupt(*flags: StopFlag) -> Iterator[None]:
    """SIGINT and SIGTERM both stop the run and lead to the restore (CI cancellations send SIGTERM).

    The handler raises KeyboardInterrupt *and* sets the run's stop flags (each client checks its own before
    every request): an interrupt swallowed inside a gc callback still ends the run at the next request.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        _set(flags)
        raise KeyboardInterrupt(f"signal {signum}")

    def unraisable(info: Any) -> None:
        # An interrupt that landed in a gc callback: Python would print it as "ignored" with a traceback.
        if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
            _set(flags)
            return
        default_hook(info)

    _clear(flags)
    default_hook = sys.unraisablehook
    try:
        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not in the main thread
        yield
        return
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = default_hook
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextmanager
def shielded(*flags: StopFlag) -> Iterator[None]:
    """While restoring, a second Ctrl-C/SIGTERM must not leave the account half-restored."""
    _clear(flags)  # the interrupt has been honoured: the restore's own requests must go out
    try:
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        old_term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


def _set(flags: tuple[StopFlag, ...]) -> None:
    for flag in flags:
        flag.set()


def _clear(flags: tuple[StopFlag, ...]) -> None:
    for flag in flags:
        flag.clear()


@dataclass(frozen=True)
class Refusal:
    """Why the rehearsal made a project read-only; ``violation`` when documented values were refused."""

    why: str
    exchange: Exchange
    violation: bool
    written: bool = False  #: a PUT of the rehearsal was accepted (the restore verifies the project)


def _undocumented_nulls(profile: dict[str, Any]) -> list[str]:
    # The page documents null only for default_send_as ("pick a number"); null for the others is not.
    return [f for f in WRITABLE if f in profile and profile[f] is None and f != "default_send_as"]


def rehearse(client: Client, creds: Credentials, profile: dict[str, Any]) -> Refusal | None:
    """Before the first change to a project: PUT its profile exactly as read (nulls included), then GET;
    a :class:`Refusal` when the service refuses or alters the very profile it holds, else None.

    A service that cannot take its own profile back could not be restored either: the caller then makes
    no further write to that project. The PUT carries every field as read, nulls included: PUTting the
    current value changes nothing, and only a profile the service takes back as read can be restored (the
    restore sends the same body). A refusal counts as a violation (SP-STATE-006 fails) only when it is not
    explained by nulls the docs leave open: a profile holding such nulls is PUT once more without them;
    if that is taken and reads back unchanged, the nulls were the cause and the project is merely
    read-only (its write clauses skip, nothing fails).
    """
    body = {f: profile[f] for f in WRITABLE if f in profile}
    ex = client.request("PUT", creds=creds, body=body)
    if 200 <= ex.status < 300:
        altered = _read_back(client, creds, profile, body, ex)
        return None if altered is None else Refusal(altered[0], altered[1], violation=True, written=True)
    refused = f"the service refused its own profile back (PUT of the snapshot answered {ex.status})"
    nulls = _undocumented_nulls(profile)
    if not nulls:
        return Refusal(refused, ex, violation=True)
    lean = {k: v for k, v in body.items() if k not in nulls}
    retry = client.request("PUT", creds=creds, body=lean)
    if not 200 <= retry.status < 300:
        return Refusal(f"{refused}; without its null {', '.join(nulls)} it answered {retry.status}",
                       retry, violation=True)
    altered = _read_back(client, creds, profile, lean, retry)
    if altered is not None:
        return Refusal(altered[0], altered[1], violation=True, written=True)
    return Refusal(f"the service refuses null for {', '.join(nulls)} (undocumented), which this project "
                   f"holds: a write could not be undone ({refused})", ex, violation=False, written=True)


def _read_back(client: Client, creds: Credentials, profile: dict[str, Any], body: dict[str, Any],
               ex: Exchange) -> tuple[str, Exchange] | None:
    """The PUT's answer, then a GET, each compared with the profile as read; what differs, or None."""
    answer: Exchange | None = ex
    for what in ("answered", "then read back"):
        if answer is None:
            answer = client.request("GET", creds=creds)
        now = answer.json() if 200 <= answer.status < 300 else None
        if not isinstance(now, dict):
            return f"PUT of the snapshot {what} {answer.status} without a profile", answer
        wrong = [f for f in body if not _same(f, profile[f], now.get(f))]
        if wrong:
            return (f"the service altered its own profile: PUT of the snapshot {what} other "
                    f"{', '.join(wrong)} ({wrong[0]}: {profile[wrong[0]]!r} -> "
                    f"{now.get(wrong[0])!r})"), answer
        answer = None
    return None
