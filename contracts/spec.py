"""The OpenAPI fragment: the single source of truth for vocabularies, rules and response shapes.

Everything the suite knows about the contract's *values* (codec and cipher names, encryption values, the
E.164 pattern, the documented error bodies) is read from ``openapi/sip_profile.yaml``; nothing in Python
repeats them. The fragment ships inside the wheel as ``contracts/_data/sip_profile.yaml``; in a source
checkout it is read from ``openapi/`` beside the package.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["PATH", "RANDOM_SEND_AS", "Spec", "load_spec", "spec_path"]

#: The one path of the API under test.
PATH = "/api/relay/rest/sip_profile"
#: The two default_send_as values that mean "randomly choose a purchased or verified number" (``SendAs``'s
#: ``x-doc``): equivalent wherever a profile is compared.
RANDOM_SEND_AS: tuple[None, str] = (None, "")

_SOURCE_TREE_SPEC = Path(__file__).resolve().parent.parent / "openapi" / "sip_profile.yaml"


def spec_path() -> Path:
    """Where the fragment is: the source tree first (so edits are seen at once), then the wheel's copy."""
    if _SOURCE_TREE_SPEC.is_file():
        return _SOURCE_TREE_SPEC
    packaged = resources.files("contracts") / "_data" / "sip_profile.yaml"
    return Path(str(packaged))


@dataclass(frozen=True)
class Spec:
    """The parsed fragment plus the facts the suite derives from it."""

    raw: Mapping[str, Any]
    text: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        """A deep copy, safe to hand to libraries that mutate what they are given."""
        return copy.deepcopy(dict(self.raw))

    def schema(self, name: str) -> Mapping[str, Any]:
        return self.raw["components"]["schemas"][name]  # type: ignore[no-any-return]

    @property
    def codecs(self) -> tuple[str, ...]:
        return tuple(self.schema("Codec")["enum"])

    @property
    def ciphers(self) -> tuple[str, ...]:
        return tuple(self.schema("Cipher")["enum"])

    @property
    def encryption_values(self) -> tuple[str, ...]:
        return tuple(self.schema("Encryption")["enum"])

    @property
    def e164_pattern(self) -> re.Pattern[str]:
        return re.compile(self.schema("E164")["pattern"])

    @property
    def update_fields(self) -> tuple[str, ...]:
        return tuple(self.schema("SipProfileUpdate")["properties"])

    @property
    def profile_fields(self) -> tuple[str, ...]:
        return tuple(self.schema("SipProfile")["required"])

    @property
    def domain_template(self) -> str:
        return str(self.schema("SipProfile")["properties"]["domain"]["x-derived"])

    @property
    def unauthorized_error(self) -> str:
        return str(self.raw["components"]["responses"]["Unauthorized"]["x-error-value"])

    @property
    def required_scope(self) -> str:
        return str(self.raw["components"]["securitySchemes"]["basicAuth"]["x-required-scope"])

    def documented_statuses(self, method: str) -> frozenset[int]:
        responses = self.raw["paths"][PATH][method.lower()]["responses"]
        return frozenset(int(code) for code in responses)

    def success_status(self, method: str) -> int:
        return min(code for code in self.documented_statuses(method) if 200 <= code < 300)

    def node(self, pointer: str) -> Mapping[str, Any]:
        """The fragment's object at a JSON pointer such as ``/components/schemas/Codec`` (KeyError if "
        "none)."""
        node: Any = self.raw
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        if not isinstance(node, Mapping):
            raise KeyError(pointer)
        return node

    def doc(self, pointer: str) -> str:
        """The documentation sentence (``x-doc``) quoted at ``pointer``."""
        return " ".join(str(self.node(pointer)["x-doc"]).split())

    def doc_url(self, pointer: str) -> str:
        """The public SignalWire document (an https URL) the sentence at ``pointer`` is quoted from."""
        return str(self.node(pointer)["x-doc-url"])

    def undocumented(self) -> tuple[Mapping[str, str], ...]:
        return tuple(self.raw["info"]["x-undocumented"])


@functools.cache
def load_spec(path: str | None = None) -> Spec:
    """Load (once per process) and parse the fragment."""
    file = Path(path) if path else spec_path()
    text = file.read_bytes()
    return Spec(raw=yaml.safe_load(text), text=text)
