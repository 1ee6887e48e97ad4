"""Documentation drift: compare the fragment with SignalWire's published API description.

``docs_diff(upstream)`` loads the description (path or URL, cached), slices out the SIP profile path and
what it reaches, compares it with ``openapi/sip_profile.yaml`` and judges every difference against the
fragment's ``x-upstream.known-differences``: **known** (recorded on purpose, with the reason) or **stale**.
Exit codes: 0 every difference known, 1 stale, 2 malformed upstream, 3 unreachable.
"""

from __future__ import annotations

from contracts.docsdiff._diff import DEFAULT_UPSTREAM, docs_diff
from contracts.docsdiff._load import DEFAULT_CACHE_DIR
from contracts.docsdiff._render import render_text
from contracts.docsdiff._result import Finding, Result

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_UPSTREAM", "Finding", "Result", "docs_diff", "render_text"]
