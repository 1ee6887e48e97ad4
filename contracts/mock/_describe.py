"""The text the CLI prints when it starts the mock: where it listens and how to point the suite at it."""

from __future__ import annotations

import shlex
from urllib.parse import urlsplit

from ._faults import Faults
from ._space import MockSpace

__all__ = ["describe"]


def describe(space: MockSpace, *, base_url: str | None = None) -> str:
    """Human-readable start-up text. Without ``base_url`` the URL is a placeholder to fill in.

    Mock credentials are fixed and are not secrets, so printing them in full is fine.
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
    env = {
        "SIGNALWIRE_PROJECT_ID": p["primary"].project_id,
        "SIGNALWIRE_API_TOKEN": p["primary"].token,
        "SIGNALWIRE_REST_BASE_URL": url,
        "SIGNALWIRE_SECONDARY_PROJECT_ID": p["secondary"].project_id,
        "SIGNALWIRE_SECONDARY_API_TOKEN": p["secondary"].token,
        "SIGNALWIRE_NOVOICE_PROJECT_ID": p["novoice"].project_id,
        "SIGNALWIRE_NOVOICE_API_TOKEN": p["novoice"].token,
        "SIP_CONTRACTS_ALLOW_WRITES": host_port,
    }
    lines.append("  to point the suite (or an SDK) at it:")
    # Placeholders stay unquoted so the user sees where to type; real values are shell-quoted.
    lines += [f"    export {k}={shlex.quote(v) if base_url else v}" for k, v in env.items()]
    return "\n".join(lines)
