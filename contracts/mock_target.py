"""The embedded mock as a Target: what a run uses when no SIGNALWIRE_* variable is set."""

from __future__ import annotations

from .config import MOCK_HOST, Credentials, Target

__all__ = ["mock_target"]


def mock_target() -> Target:
    from .mock import MockConfig, MockSpace

    space = MockSpace(MockConfig())
    p = space.projects
    return Target(
        kind="mock", base_url=space.base_url, host=MOCK_HOST,
        primary=Credentials(p["primary"].project_id, p["primary"].token),
        secondary=Credentials(p["secondary"].project_id, p["secondary"].token,
                              "SIGNALWIRE_SECONDARY_PROJECT_ID", "SIGNALWIRE_SECONDARY_API_TOKEN"),
        novoice=Credentials(p["novoice"].project_id, p["novoice"].token,
                            "SIGNALWIRE_NOVOICE_PROJECT_ID", "SIGNALWIRE_NOVOICE_API_TOKEN"),
        numbers=None, space_name=MockConfig().space,
    )
