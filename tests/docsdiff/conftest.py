from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
IDENTICAL = FIXTURES / "upstream_identical.yaml"


@pytest.fixture
def upstream(tmp_path: Path) -> Callable[..., str]:
    """The identical fixture with exact text replacements applied (each must match once)."""

    def make(*edits: tuple[str, str]) -> str:
        text = IDENTICAL.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"fixture edit does not apply once: {old!r}"
            text = text.replace(old, new)
        path = tmp_path / "upstream.yaml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return make


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
