"""Fixtures for the mock's tests: a fresh faithful space per test and clients that talk to it in-process."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

# The dev venv does not install the package and pyproject sets no pytest ``pythonpath``: make the checkout
# importable however pytest is started (``pytest`` or ``python -m pytest``).
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from contracts.mock import MockSpace  # noqa: E402
from contracts.spec import PATH  # noqa: E402

Who = str | tuple[str, str] | None
Call = Callable[..., httpx.Response]


def credentials(space: MockSpace, who: Who) -> tuple[str, str] | None:
    """``"primary"`` → that project's (id, token); ``("primary", "secondary")`` → primary's id with
    secondary's token; a plain tuple of other strings is used as given; None → no credentials."""
    if who is None:
        return None
    if isinstance(who, str):
        p = space.projects[who]
        return (p.project_id, p.token)
    user, token = who
    user = space.projects[user].project_id if user in space.projects else user
    token = space.projects[token].token if token in space.projects else token
    return (user, token)


def make_call(space: MockSpace, client: httpx.Client) -> Call:
    def call(method: str = "GET", json: Any = ..., *, who: Who = "primary", path: str = PATH,
             **kwargs: Any) -> httpx.Response:
        if json is not ...:
            kwargs["json"] = json
        auth = credentials(space, who)
        return client.request(method, path, auth=auth if auth else httpx.USE_CLIENT_DEFAULT, **kwargs)

    return call


@pytest.fixture
def space() -> MockSpace:
    return MockSpace()


@pytest.fixture
def client(space: MockSpace) -> Iterator[httpx.Client]:
    with httpx.Client(transport=space.transport(), base_url=space.base_url, timeout=5) as c:
        yield c


@pytest.fixture
def call(space: MockSpace, client: httpx.Client) -> Call:
    """``call("PUT", {...}, who="secondary")``: one request to the in-process mock."""
    return make_call(space, client)


@pytest.fixture
def connect() -> Iterator[Callable[..., Call]]:
    """``connect(space, timeout=..., base_url=None)`` → a ``call`` function for another space (in-process),
    or for a real server when ``base_url`` is given. Clients are closed at the end of the test."""
    clients: list[httpx.Client] = []

    def factory(space: MockSpace, *, timeout: float = 5, base_url: str | None = None) -> Call:
        if base_url is None:
            client = httpx.Client(transport=space.transport(), base_url=space.base_url, timeout=timeout)
        else:
            client = httpx.Client(base_url=base_url, timeout=timeout)
        clients.append(client)
        return make_call(space, client)

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def creds() -> Callable[[MockSpace, Who], tuple[str, str] | None]:
    return credentials
