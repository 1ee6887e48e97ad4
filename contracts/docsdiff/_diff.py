"""``docs_diff``: load the upstream, slice both documents, compare, judge."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

from contracts.docsdiff._compare import compare
from contracts.docsdiff._config import read_config
from contracts.docsdiff._load import Malformed, Unreachable, load_upstream
from contracts.docsdiff._quotes import check_quotes
from contracts.docsdiff._result import Result, judge
from contracts.docsdiff._slice import build_side

__all__ = ["DEFAULT_UPSTREAM", "docs_diff"]

#: The description SignalWire generates its reference pages and SDK types from (also in ``x-upstream.url``).
DEFAULT_UPSTREAM = ("https://raw.githubusercontent.com/signalwire/docs/main/fern/apis/signalwire-rest/"
                    "openapi.yaml")


def docs_diff(upstream: str | None = None, *, cache_dir: Path | None = None,
              spec_file: str | None = None) -> Result:
    """Compare the fragment (``openapi/sip_profile.yaml``) with the published description.

    ``upstream`` is a path or URL (default: the fragment's ``x-upstream.url``, else :data:`DEFAULT_UPSTREAM`).
    Never raises for a bad or unreachable upstream: the result's ``status`` says so.
    """
    from contracts.catalogue import CATALOGUE
    from contracts.spec import PATH, load_spec

    started = time.perf_counter()
    spec = load_spec(spec_file)
    cfg = read_config(spec.raw, PATH)
    location = upstream or cfg.url or DEFAULT_UPSTREAM
    try:
        loaded = load_upstream(location, cache_dir=cache_dir)
    except Unreachable as exc:
        return Result("unavailable", location, str(exc), duration_s=time.perf_counter() - started)
    except Malformed as exc:
        return Result("malformed", location, str(exc), duration_s=time.perf_counter() - started)
    up, fr = build_side(loaded.doc, cfg.path), build_side(spec.raw, cfg.path)
    if up is None or fr is None:
        side = "the upstream" if up is None else "the fragment"
        return Result("malformed", location, f"{location}: {side} does not describe {cfg.path}", loaded,
                      duration_s=time.perf_counter() - started)
    differences = compare(cfg, up, fr) + list(check_quotes(CATALOGUE, up.texts, cfg.quote_sources))
    findings = tuple(judge(differences, cfg.known))
    status: Literal["ok", "stale"] = "stale" if any(f.status == "stale" for f in findings) else "ok"
    return Result(status, location, loaded=loaded, findings=findings,
                  duration_s=time.perf_counter() - started)
