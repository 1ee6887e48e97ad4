"""The five request fields: one validator each, shaped by MockConfig and by the mutant's hooks.

Vocabularies and the E.164 pattern come from the fragment (``load_spec()``); no codec, cipher or
encryption name is written here (the names mutants add or remove live with the mutants).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import phonenumbers

from ..spec import load_spec
from ._config import MockConfig
from ._hooks import Hooks, InternalError
from ._mutants import ADDED_CIPHER, ADDED_CODEC, ADDED_ENCRYPTION, REMOVED_CIPHERS, REMOVED_CODECS

__all__ = ["Fields", "Profile", "json_type"]

Profile = dict[str, Any]
Outcome = tuple[Any, list[str]]  # (value to store, problems): a field is valid when problems is empty


def json_type(value: object) -> str:
    for kind, name in ((bool, "boolean"), (str, "string"), (int, "number"), (float, "number"),
                       (list, "array"), (dict, "object")):
        if isinstance(value, kind):
            return name
    return "null"


def _show(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Fields:
    def __init__(self, config: MockConfig, hooks: Hooks,
                 profiles: Callable[[], Mapping[str, Profile]],
                 first_identifiers: frozenset[str] = frozenset()) -> None:
        self.config = config
        self._first_identifiers = first_identifiers
        self.hooks = hooks
        self._profiles = profiles  # the stored profiles, for uniqueness (read under the service's lock)
        self._spec = load_spec()
        self._identifier = re.compile(config.identifier_pattern)
        self._validators: dict[str, Callable[[str, Any], Outcome]] = {
            "domain_identifier": self._domain_identifier,
            "default_codecs": self._codecs,
            "default_ciphers": self._ciphers,
            "default_encryption": self._encryption,
            "default_send_as": self._send_as,
        }
        if set(self._validators) != set(self._spec.update_fields):
            raise RuntimeError("the fragment's request fields changed; update the mock's validators")
        for number in config.owned_numbers or ():
            if not self.is_e164(number):
                raise ValueError(f"MockConfig.owned_numbers has {number!r}: not a valid E.164 number")

    def validate(self, project_id: str, data: Mapping[str, Any]) -> tuple[Profile, list[str]]:
        """``(changes, problems)``: the values to store, and one sentence per problem."""
        changes: Profile = {}
        problems: list[str] = []
        if self.config.unknown_fields == "reject":
            problems += [f"unknown attribute {_show(k)}" for k in data if k not in self._validators]
        for name, validate in self._validators.items():
            if name in data:
                value, found = validate(project_id, data[name])
                if found:
                    problems += found
                else:
                    changes[name] = value
            elif self.config.omitted == "replace":
                changes[name] = None
        return changes, problems

    def _domain_identifier(self, project_id: str, value: Any) -> Outcome:
        if not isinstance(value, str):
            return None, [f"domain_identifier must be a string, not {json_type(value)}"]
        candidate = value.replace("_", "-") if self.hooks.on("identifier-accepts-underscore") else value
        if not self._identifier.fullmatch(candidate):
            return None, [f"domain_identifier {_show(value)} is not allowed: it must match "
                          f"{self.config.identifier_pattern}"]
        itself = self.hooks.on("identifier-taken-by-itself")
        holders = [pid for pid, p in self._profiles().items() if p["domain_identifier"] == value]
        if not self.hooks.on("identifier-not-unique") and any(pid != project_id or itself for pid in holders):
            return None, [f"domain_identifier {_show(value)} is already taken"]
        if project_id not in holders and self._held_elsewhere(value):
            return None, [f"domain_identifier {_show(value)} is already taken"]
        return value, []

    def _held_elsewhere(self, value: str) -> bool:
        """Whether a project outside this space's known ones holds ``value`` (MockConfig.taken_by_others).

        A stable hash picks the share, so a run sees the same identifiers taken every time; identifiers the
        space's projects start with are never taken (they held them first).
        """
        share = self.config.taken_by_others
        if share <= 0 or value in self._first_identifiers:
            return False
        digest = int.from_bytes(hashlib.blake2b(value.encode(), digest_size=4).digest(), "big")
        return digest % 10_000 < share * 10_000

    def _codecs(self, project_id: str, value: Any) -> Outcome:
        vocabulary = self._spec.codecs
        if self.hooks.on("codec-accepts-g729"):
            vocabulary += (ADDED_CODEC,)
        if self.hooks.on("codec-rejects-video"):
            vocabulary = tuple(c for c in vocabulary if c not in REMOVED_CODECS)
        if self.hooks.on("codecs-non-list-500") and value is not None and not isinstance(value, list):
            raise InternalError
        if self.hooks.on("codecs-empty-500") and value == []:
            raise InternalError
        stored, problems = self._names("default_codecs", "codec", value, vocabulary,
                                       upper=self.hooks.on("codec-case-insensitive"))
        if problems or stored is None:
            return stored, problems
        if self.hooks.on("codecs-empty-rejected") and not stored:
            return None, ["default_codecs must not be empty"]
        if self.hooks.on("codecs-deduped"):
            stored = list(dict.fromkeys(stored))
        if self.hooks.on("codecs-sorted"):
            stored.sort()
        return stored, []

    def _ciphers(self, project_id: str, value: Any) -> Outcome:
        vocabulary = self._spec.ciphers
        if self.hooks.on("cipher-accepts-aes-128-gcm"):
            vocabulary += (ADDED_CIPHER,)
        if self.hooks.on("cipher-rejects-gcm8"):
            vocabulary = tuple(c for c in vocabulary if c not in REMOVED_CIPHERS)
        return self._names("default_ciphers", "cipher", value, vocabulary, upper=False)

    def _names(self, field: str, kind: str, value: Any, vocabulary: tuple[str, ...], *,
               upper: bool) -> Outcome:
        """A list of names from a vocabulary, shaped by the configured undocumented choices."""
        cfg = self.config
        if value is None:
            return None, ([] if cfg.null_values == "reset" else [f"{field} must not be null"])
        if not isinstance(value, list):
            return None, [f"{field} must be a list of strings, not {json_type(value)}"]
        upper = upper or cfg.case_insensitive
        names: list[str] = []
        problems: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                problems.append(f"{field}[{i}] must be a string, not {json_type(item)}")
            elif (item.upper() if upper else item) not in vocabulary:
                problems.append(f"{field}[{i}] {_show(item)} is not a supported {kind}; supported: "
                                f"{', '.join(vocabulary)}")
            else:
                names.append(item.upper() if upper else item)
        if not value and not cfg.allow_empty_lists:
            problems.append(f"{field} must not be empty")
        if problems:
            return None, problems
        if cfg.dedupe:
            names = list(dict.fromkeys(names))
        if not cfg.keep_order:
            names.sort(key=vocabulary.index)
        return names, []

    def _encryption(self, project_id: str, value: Any) -> Outcome:
        allowed = self._spec.encryption_values
        if self.hooks.on("encryption-accepts-none"):
            allowed += (ADDED_ENCRYPTION,)
        if value is None:
            rejected = self.config.null_values == "reject"
            return None, (["default_encryption must not be null"] if rejected else [])
        if isinstance(value, str) and value in allowed:
            return value, []
        return None, [f"default_encryption {_show(value)} is not allowed: it must be one of "
                      f"{', '.join(allowed)}"]

    def _send_as(self, project_id: str, value: Any) -> Outcome:
        # null and "" mean the same thing (a random number of the project) and are both stored as null.
        if value is None or value == "":
            rejected = "sendas-null-rejected" if value is None else "sendas-empty-rejected"
            if self.hooks.on(rejected):
                return None, [f"default_send_as must not be {_show(value)}"]
            return ("" if self.hooks.on("sendas-null-reads-back-empty") else None), []
        if not isinstance(value, str):
            return None, [f"default_send_as must be a string or null, not {json_type(value)}"]
        if not self._accepts_number(value):
            return None, [f"default_send_as {_show(value)} is not an E.164 number (such as +12015550123)"]
        if self.hooks.on("sendas-only-nanp") and not value.startswith("+1"):
            return None, [f"default_send_as {_show(value)} is not a North American number"]
        owned = self.config.owned_numbers
        if owned is not None and value not in owned:
            return None, [f"default_send_as {_show(value)} is not a purchased or verified number of "
                          "the project"]
        return value, []

    def _accepts_number(self, value: str) -> bool:
        if self.hooks.on("sendas-accepts-no-plus") and re.fullmatch(r"[0-9]+", value):
            value = "+" + value
        if self.hooks.on("sendas-accepts-16-digits") and re.fullmatch(r"\+[0-9]{16,}", value):
            return True
        if self.hooks.on("sendas-accepts-national-format") and self._is_number(value, region="US"):
            return True
        return self.is_e164(value)

    def is_e164(self, value: str) -> bool:
        """The fragment's pattern (the documented format); with ``numbers="allocated"`` libphonenumber must
        also know it as a real number written canonically."""
        pattern = self._spec.e164_pattern
        if self.hooks.on("sendas-line-anchored"):  # ^…$ as Ruby reads them: at every line's start and end
            if not re.search(pattern.pattern, value, re.MULTILINE):
                return False
        elif not pattern.fullmatch(value):
            return False
        if self.hooks.on("sendas-max-14-digits") and len(value) > 15:
            return False
        if self.config.numbers == "format":
            return True
        return self._is_number(value, region=None, canonical=True)

    @staticmethod
    def _is_number(value: str, *, region: str | None, canonical: bool = False) -> bool:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return False
        if not phonenumbers.is_valid_number(number):
            return False
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return not canonical or e164 == value
