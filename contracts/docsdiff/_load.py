"""Getting the published description: a local path or a URL, the cached copy, and the YAML parse.

Cache policy (documented in the README): every URL run fetches anew, conditionally (``If-None-Match`` with
the cached ETag, so an unchanged file is not downloaded again). When the fetch fails and a cached copy
exists, that copy is used and the result says so with its fetch date; with no cached copy the upstream is
unreachable (exit 3). A cached copy is never used for a local path.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from contracts.env import is_loopback_host

__all__ = ["DEFAULT_CACHE_DIR", "Loaded", "Malformed", "Unreachable", "load_upstream"]

_TIMEOUT_S = 20.0


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sip-contracts"


DEFAULT_CACHE_DIR = _default_cache_dir()


class Unreachable(Exception):
    """The URL could not be fetched and no cached copy exists (exit 3)."""


class Malformed(Exception):
    """The upstream is not a YAML/JSON mapping with the expected OpenAPI shape (exit 2)."""


@dataclass(frozen=True)
class Loaded:
    """The parsed upstream document and where it came from."""

    doc: Mapping[str, Any]
    location: str  #: the path or URL asked for
    source: str  #: "file", "network" or "cache"
    sha256: str
    fetched_at: str | None = None  #: ISO date-time of the network fetch (for "network" and "cache")
    note: str | None = None  #: e.g. why the cached copy was used


def _is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")



def parse(text: bytes, location: str) -> Mapping[str, Any]:
    """Parse with libyaml's C loader when PyYAML has it (about 1 s for the 2 MB file instead of ~15 s)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise Malformed(f"{location}: not valid YAML{where}: {problem}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
        raise Malformed(f"{location}: not an OpenAPI description (no 'paths' mapping)")
    return doc


def _cache_files(cache_dir: Path, url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode()).hexdigest()[:16]
    return cache_dir / f"upstream-{key}.yaml", cache_dir / f"upstream-{key}.json"


def _read_cache(cache_dir: Path, url: str) -> tuple[bytes, dict[str, Any]] | None:
    body, meta = _cache_files(cache_dir, url)
    try:
        return body.read_bytes(), json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_cache(cache_dir: Path, url: str, text: bytes, etag: str | None) -> str:
    fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    body, meta = _cache_files(cache_dir, url)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        body.write_bytes(text)
        meta.write_text(json.dumps({"url": url, "fetched_at": fetched_at, "etag": etag,
                                    "sha256": hashlib.sha256(text).hexdigest()}), encoding="utf-8")
    except OSError:
        pass  # a read-only cache dir must not turn a good fetch into a failure
    return fetched_at


def _fetch(url: str, cache_dir: Path) -> Loaded:
    import httpx  # deferred: a local path needs no HTTP stack

    parts = urlsplit(url)
    if parts.scheme != "https" and not is_loopback_host(parts.hostname or ""):
        raise Malformed(f"{url}: only https is allowed for a non-loopback host")
    cached = _read_cache(cache_dir, url)
    headers = {"Accept": "application/yaml, text/plain, */*"}
    if cached and cached[1].get("etag"):
        headers["If-None-Match"] = str(cached[1]["etag"])
    try:
        response = httpx.get(url, headers=headers, timeout=_TIMEOUT_S, follow_redirects=True)
        if response.status_code == 304 and cached:
            text = cached[0]
            fetched_at = _write_cache(cache_dir, url, text, cached[1].get("etag"))
            return Loaded(parse(text, url), url, "network", hashlib.sha256(text).hexdigest(), fetched_at,
                          "not modified since the cached copy")
        response.raise_for_status()
    except httpx.HTTPError as exc:
        reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        if cached:
            text, meta = cached
            return Loaded(parse(text, url), url, "cache", hashlib.sha256(text).hexdigest(),
                          meta.get("fetched_at"), f"fetch failed ({reason}); using the copy cached "
                          f"{meta.get('fetched_at')}")
        raise Unreachable(f"{url}: unreachable ({reason}) and no cached copy") from None
    text = response.content
    doc = parse(text, url)  # a malformed answer is not cached over a good copy
    fetched_at = _write_cache(cache_dir, url, text, response.headers.get("etag"))
    return Loaded(doc, url, "network", hashlib.sha256(text).hexdigest(), fetched_at)


def load_upstream(location: str, *, cache_dir: Path | None = None) -> Loaded:
    """Read ``location`` (a path or an http(s) URL) and parse it.

    Raises :class:`Malformed` (also for an unreadable path) or :class:`Unreachable`.
    """
    if _is_url(location):
        return _fetch(location, cache_dir or DEFAULT_CACHE_DIR)
    path = Path(location)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise Malformed(f"{location}: cannot be read ({exc.strerror or exc})") from None
    return Loaded(parse(text, location), location, "file", hashlib.sha256(text).hexdigest())
