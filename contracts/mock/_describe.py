"""The text the CLI prints when it starts the mock: where it listens and how to point the suite at it."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..env import ALLOW_WRITES, Who, env_block
from ._faults import Faults
from ._space import MockSpace

__all__ = ["describe"]


def describe(space: MockSpace, *, base_url: str | None = None) -> str:
    """Human-readable start-up text. Without ``base_url`` the URL is a placeholder to fill in.

    Mock credentials are fixed and are not secrets, so printing them in full is fine. The ``export`` block
    never grants write permission: pasting it must not silently turn writes on; the line that does is
    separate and commented.
    """
    url = base_url or "http://<host>:<port>"
    host_port = urlsplit(base_url).netloc if base_url else "<host>:<port>"
    p = space.projects
    mode = f"MUTANT {space.mutant.name!r}: {space.mutant.description}" if space.mutant else "faithful"
    lines = [
        f"SIP profile mock (space {space.config.space!r}, {mode})",
        f"  base URL: {url}",
        "  projects:",
    ]
    for name, project in p.items():
        scope = "Voice" if project.voice else "no Voice scope"
        lines.append(f"    {name:<10} project id {project.project_id}  token {project.token}  ({scope})")
    if space.faults != Faults():
        lines.append(f"  faults: {space.faults}")
    who: tuple[Who, ...] = ("primary", "secondary", "novoice")
    exports = env_block(url, {w: (p[w].project_id, p[w].token) for w in who})
    if not base_url:  # placeholders stay unquoted so the user sees where to type
        exports = [line.replace(f"'{url}'", url) for line in exports]
    lines.append("  to point the suite (or an SDK) at it:")
    lines += [f"    {line}" for line in exports]
    lines.append("  # writes are a separate decision (they change the profile); to allow them here:")
    lines.append(f"  #   sip-contracts run --allow-writes {host_port}   (or {ALLOW_WRITES}={host_port})")
    return "\n".join(lines)
