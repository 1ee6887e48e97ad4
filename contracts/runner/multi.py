"""Several staging projects in one job: a TOML file of targets, run by a pool of worker processes.

The file names each target and the *names* of the environment variables that hold its credentials, never
the credentials themselves::

    [targets.staging-eu]
    base_url_env = "STAGING_EU_REST_BASE_URL"   # or space_env = "STAGING_EU_SPACE"
    project_env = "STAGING_EU_PROJECT_ID"
    token_env = "STAGING_EU_API_TOKEN"
    allow_writes = "staging-eu.signalwire.com"  # optional: the exact host[:port] writes may go to

Optional keys: ``secondary_project_env``/``secondary_token_env``, ``novoice_project_env``/
``novoice_token_env`` and ``numbers_env`` (the variables standing for ``SIGNALWIRE_SECONDARY_*``,
``SIGNALWIRE_NOVOICE_*`` and ``SIGNALWIRE_TEST_NUMBERS``).

:func:`run_targets` checks the file and every variable it names before any request (a one-line error and
exit 2), then runs the targets in worker processes: each target is an ordinary run of the suite whose
document the caller finishes and writes into ``report_dir/<name>/``. Targets that touch a common project
(primary, secondary or no-Voice, on the same host) form one group, run by one worker one after the other,
so two workers never write one project's singleton profile at the same time. The result is the worst exit
code of the targets, in the order 2 > 1 > 4 > 3 > 0.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import re
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contracts.engine.config import (
    Credentials,
    RunConfig,
    Target,
    check_write_guard,
    load_config,
    resolve_effort,
    target_from_env,
)
from contracts.errors import ConfigError

__all__ = ["Finisher", "TargetEntry", "groups", "load_targets", "run_targets", "worst"]

EXIT_USAGE = 2
#: Most severe first: a target that could not be configured, then violations, then inconclusive.
SEVERITY = (2, 1, 4, 3, 0)

#: TOML key -> the SIGNALWIRE_* variable it stands for.
STANDARD: Mapping[str, str] = {
    "base_url_env": "SIGNALWIRE_REST_BASE_URL",
    "space_env": "SIGNALWIRE_SPACE",
    "project_env": "SIGNALWIRE_PROJECT_ID",
    "token_env": "SIGNALWIRE_API_TOKEN",
    "secondary_project_env": "SIGNALWIRE_SECONDARY_PROJECT_ID",
    "secondary_token_env": "SIGNALWIRE_SECONDARY_API_TOKEN",
    "novoice_project_env": "SIGNALWIRE_NOVOICE_PROJECT_ID",
    "novoice_token_env": "SIGNALWIRE_NOVOICE_API_TOKEN",
    "numbers_env": "SIGNALWIRE_TEST_NUMBERS",
}
KNOWN_KEYS = (*STANDARD, "allow_writes")
_PAIRS = (("secondary_project_env", "secondary_token_env"), ("novoice_project_env", "novoice_token_env"))
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class TargetEntry:
    """One target of the file: its name, the variables it reads (SIGNALWIRE_* name -> the user's name)."""

    name: str
    variables: Mapping[str, str]
    allow_writes: str | None = None

    def environment(self, env: Mapping[str, str]) -> dict[str, str]:
        """The SIGNALWIRE_* environment this target stands for, read from ``env``."""
        return {std: env.get(mine, "") for std, mine in self.variables.items()}

    def target(self, env: Mapping[str, str], *, where: str = "") -> Target:
        """The Target, checked as ``sip-contracts run`` checks SIGNALWIRE_*; errors name our variables."""
        prefix = f"{where}target {self.name!r}: "
        try:
            target = target_from_env(self.environment(env))
        except ConfigError as exc:
            raise ConfigError(prefix + self._translate(str(exc))) from None
        if target is None:  # pragma: no cover - load_targets requires the project variables
            raise ConfigError(prefix + "no credentials")
        try:
            check_write_guard(target, self.allow_writes)
        except ConfigError:
            raise ConfigError(f"{prefix}allow_writes = {self.allow_writes!r} does not name the target's "
                              f"host {target.host!r}") from None
        return self._renamed(target)

    def _translate(self, message: str) -> str:
        for std in sorted(self.variables, key=len, reverse=True):
            message = re.sub(rf"\b{std}\b", self.variables[std], message)
        return message

    def _renamed(self, target: Target) -> Target:
        """Reproducers should name the variables the user set, not SIGNALWIRE_*."""
        def rename(creds: Credentials | None, prefix: str) -> Credentials | None:
            if creds is None:
                return None
            return replace(creds, project_var=self.variables.get(f"{prefix}_PROJECT_ID", creds.project_var),
                           token_var=self.variables.get(f"{prefix}_API_TOKEN", creds.token_var))

        primary = rename(target.primary, "SIGNALWIRE")
        assert primary is not None
        return replace(target, primary=primary, secondary=rename(target.secondary, "SIGNALWIRE_SECONDARY"),
                       novoice=rename(target.novoice, "SIGNALWIRE_NOVOICE"))


# -- reading and checking the file -------------------------------------------------------------------------


def load_targets(path: str | Path, env: Mapping[str, str] | None = None) -> list[TargetEntry]:
    """Parse and check the targets file against ``env``; raises :class:`ConfigError` (one line)."""
    env = os.environ if env is None else env
    where = f"{path}: "
    data = _read_toml(Path(path))
    unknown = sorted(set(data) - {"targets"})
    if unknown:
        raise ConfigError(f"{where}unknown top-level key {unknown[0]!r}; "
                          "targets go in [targets.<name>] tables")
    tables = data.get("targets")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{where}no targets; add a [targets.<name>] table per target")
    entries = [_entry(name, table, where) for name, table in tables.items()]
    for entry in entries:
        _require_set(entry, env, where)
        entry.target(env, where=where)
    return entries


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"--targets {path}: no such file") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable TOML file: {exc}") from None


def _entry(name: str, table: object, where: str) -> TargetEntry:
    at = f"{where}target {name!r}: "
    if not _NAME.match(name):
        raise ConfigError(f"{at}a target name is 1-64 letters, digits, '.', '_' or '-' and starts with a "
                          "letter or digit (it names the report directory)")
    if not isinstance(table, dict):
        raise ConfigError(f"{at}expected a table [targets.{name}]")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(f"{at}unknown key {unknown[0]!r} (known: {', '.join(KNOWN_KEYS)})")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{at}{key} must be a non-empty string")
        if key != "allow_writes" and not _VARIABLE.match(value):
            raise ConfigError(f"{at}{key} = {value!r} is not an environment variable name")
    _check_shape(table, at)
    variables = {STANDARD[k]: v for k, v in table.items() if k in STANDARD}
    return TargetEntry(name=name, variables=variables, allow_writes=table.get("allow_writes"))


def _check_shape(table: Mapping[str, str], at: str) -> None:
    for key in ("project_env", "token_env"):
        if key not in table:
            raise ConfigError(f"{at}missing {key} (the name of the variable holding the "
                              f"{'project id' if key == 'project_env' else 'API token'})")
    if ("base_url_env" in table) == ("space_env" in table):
        raise ConfigError(f"{at}give exactly one of base_url_env and space_env")
    for a, b in _PAIRS:
        if (a in table) != (b in table):
            raise ConfigError(f"{at}{a} and {b} go together")


def _require_set(entry: TargetEntry, env: Mapping[str, str], where: str) -> None:
    keys = {v: k for k, v in STANDARD.items()}
    for std, mine in entry.variables.items():
        if not env.get(mine, "").strip():
            raise ConfigError(f"{where}target {entry.name!r}: {keys[std]} names {mine}, which is not set")


# -- grouping: never two workers on one project's singleton ------------------------------------------------


def groups(entries: Sequence[TargetEntry], env: Mapping[str, str]) -> dict[str, str]:
    """Target name -> group. Targets touching a common project (same host) share a group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    touched: dict[str, list[str]] = {}
    for entry in entries:
        t = entry.target(env)
        keys = [f"{t.host}|{c.project_id}" for c in (t.primary, t.secondary, t.novoice) if c is not None]
        touched[entry.name] = keys
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
    out = {}
    for name, keys in touched.items():
        root = find(keys[0])
        # A digest, not the project id: group names may appear in output.
        out[name] = "project-" + hashlib.blake2b(root.encode(), digest_size=5).hexdigest()
    return out


def worst(codes: Sequence[int]) -> int:
    """The most severe exit code: 2 > 1 > 4 > 3 > 0 (an unknown code counts as 1)."""
    known = [c if c in SEVERITY else 1 for c in codes]
    return min(known, key=SEVERITY.index) if known else 0


# -- running -----------------------------------------------------------------------------------------------

#: Called in the calling process for each finished target: (entry, its run document, its baseline file or
#: None) -> the target's exit code. The CLI passes one that finishes and writes the target's reports.
Finisher = Callable[[TargetEntry, dict[str, Any], Path | None], int]


@dataclass(frozen=True, kw_only=True)
class _Settings:
    profile: str
    seed: int
    report_dir: Path
    baseline_dir: Path | None
    waivers: Path | None
    example_db: str | None
    options: Mapping[str, Any]


def run_targets(path: str | Path, *, workers: int, finish: Finisher, profile: str = "quick",
                seed: int | None = None, report_dir: str | Path = "reports",
                baseline_dir: str | Path | None = None, waivers: str | Path | None = None,
                example_db: str | None = ".hypothesis/sip-contracts",
                options: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None) -> int:
    """Run every target of the file, ``workers`` at a time; the worst exit code (2 > 1 > 4 > 3 > 0).

    Each group of targets that share a project runs in one worker process, one target after the other, so
    two workers never write one project's singleton at once. A worker runs the suite itself (no CLI, no
    environment swapped: each target's credentials are handed over as a Target) and returns the run's
    document; ``finish`` (in this process) judges it against ``baseline_dir/<name>/conformance.json`` when
    that exists and writes ``report_dir/<name>/``. ``options`` are load_config keywords for every target
    (``timeout_s``, ``pace_rps``, ``budget``, ``max_examples``). Problems with the file or the environment are
    one line on stderr and return 2 before any request.
    """
    env = dict(os.environ if env is None else env)
    try:
        entries, settings, names_to_groups = _prepare(path, workers, profile, seed, report_dir, baseline_dir,
                                                      waivers, example_db, options or {}, env)
        batches = _batches(entries, names_to_groups, settings, env)
    except ConfigError as exc:
        print(f"sip-contracts: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    workers = min(workers, len(batches))  # more would idle
    print(f"sip-contracts: {len(entries)} targets, {workers} workers, profile {settings.profile}, "
          f"seed {settings.seed}", flush=True)
    settings.report_dir.mkdir(parents=True, exist_ok=True)
    by_name = {e.name: e for e in entries}
    codes: dict[str, int] = {}
    labels: dict[int, str] = {}
    for name, doc, pid in _run_batches(batches, workers):
        entry = by_name[name]
        baseline = settings.baseline_dir / name / "conformance.json" if settings.baseline_dir else None
        codes[name] = 3 if doc is None else finish(entry, doc, baseline if baseline and baseline.is_file()
                                                   else None)
        label = labels.setdefault(pid, f"worker-{len(labels) + 1}")
        print(f"  {name}: exit {codes[name]} on {label} — {_verdict(settings.report_dir / name)}", flush=True)
    # A target without a result (its worker died) counts as inconclusive: nothing may be taken as a pass.
    return worst([codes.get(e.name, 3) for e in entries])


def _prepare(path: str | Path, workers: int, profile: str, seed: int | None, report_dir: str | Path,
             baseline_dir: str | Path | None, waivers: str | Path | None, example_db: str | None,
             options: Mapping[str, Any], env: Mapping[str, str]
             ) -> tuple[list[TargetEntry], _Settings, dict[str, str]]:
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1 (got {workers})")
    resolve_effort(profile)
    if baseline_dir is not None and not Path(baseline_dir).is_dir():
        raise ConfigError(f"--baseline {baseline_dir}: with --targets, this names a directory holding "
                          "<target>/conformance.json")
    if waivers is not None and not Path(waivers).is_file():
        raise ConfigError(f"--waivers {waivers}: no such file")
    entries = load_targets(path, env)
    settings = _Settings(
        profile=profile, seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
        report_dir=Path(report_dir).absolute(),
        baseline_dir=Path(baseline_dir).absolute() if baseline_dir is not None else None,
        waivers=Path(waivers).absolute() if waivers is not None else None,
        example_db=None if example_db in (None, "", "none") else str(Path(str(example_db)).absolute()),
        options=dict(options))
    return entries, settings, groups(entries, env)


def _batches(entries: Sequence[TargetEntry], names_to_groups: Mapping[str, str], s: _Settings,
             env: Mapping[str, str]) -> list[list[tuple[str, RunConfig]]]:
    """One batch per group, each target's configuration checked here (a bad one is exit 2 up front)."""
    out: dict[str, list[tuple[str, RunConfig]]] = {}
    for entry in entries:
        db = str(Path(s.example_db) / entry.name) if s.example_db else "none"
        # env={}: the job's own SIGNALWIRE_* / allow-writes never leak into a target's run.
        cfg = load_config(env={}, target=entry.target(env), profile=s.profile, seed=s.seed,
                          report_dir=s.report_dir / entry.name, allow_writes=entry.allow_writes,
                          example_db=db, **s.options)
        out.setdefault(names_to_groups[entry.name], []).append((entry.name, cfg))
    return list(out.values())


def _run_batches(batches: Sequence[Sequence[tuple[str, RunConfig]]],
                 workers: int) -> Iterator[tuple[str, dict[str, Any] | None, int]]:
    """(name, document or None, worker pid) per target, as the batches finish.

    Worker processes (spawned, so nothing of this process' threads or state is inherited) receive the same
    Ctrl-C as this one and restore what they wrote; here we wait for them to finish doing so.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_run_batch, list(batch)): batch for batch in batches}
        pending = set(futures)
        while pending:
            try:
                for future in as_completed(pending):
                    pending.discard(future)
                    try:
                        results = future.result()
                    except Exception:  # the worker died: its targets are inconclusive
                        results = [(name, None, 0) for name, _ in futures[future]]
                    yield from results
            except KeyboardInterrupt:
                continue  # the workers restore their profiles and return their documents


def _run_batch(batch: Sequence[tuple[str, RunConfig]]) -> list[tuple[str, dict[str, Any] | None, int]]:
    """In a worker process: each target of one group, one after the other."""
    from contracts.runner._run import execute

    return [(name, execute(cfg).doc, os.getpid()) for name, cfg in batch]


def _verdict(target_dir: Path) -> str:
    path = target_dir / "conformance.json"
    if not path.is_file():
        return "no report written"
    doc = json.loads(path.read_text())
    return f"{doc.get('verdict', '?')}, reports in {target_dir}"
