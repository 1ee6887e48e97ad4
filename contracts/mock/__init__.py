"""The embedded mock target: a faithful implementation of the documented SIP profile contract.

In-process it is an httpx transport (``httpx.Client(transport=space.transport(), base_url=space.base_url)``,
no sockets); over HTTP it is served by uvicorn on loopback (``serve()``, ``serving()``). Its undocumented
choices are the fields of :class:`MockConfig`; :class:`Faults` adds latency, 429/503, dropped connections
and hangs; ``MockSpace(mutant=...)`` plants one of the regressions in :data:`MUTANTS`.
"""

from __future__ import annotations

from ._config import MockConfig, Project
from ._describe import describe
from ._faults import Faults
from ._mutants import MUTANTS, Mutant
from ._server import serve, serving
from ._space import MockSpace

__all__ = [
    "MUTANTS", "Faults", "MockConfig", "MockSpace", "Mutant", "Project", "describe", "serve", "serving",
]
