"""Several staging projects in one job: a TOML file of targets, sharded over pytest-xdist workers.

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
exit 2), then runs pytest on the packaged module ``contracts.runner._multi_tests`` with ``--dist loadgroup``:
one test per target, each an ordinary ``sip-contracts run`` writing into ``report_dir/<name>/``. Targets
share an ``xdist_group`` when they touch a common project (primary, secondary or no-Voice, on the same
host), so two workers never write one project's singleton profile at the same time. The result is the
worst exit code of the targets, in the order 2 > 1 > 4 > 3 > 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contracts.engine.config import Credentials, Target, check_write_guard, resolve_effort, target_from_env
from contracts.errors import ConfigError

__all__ = ["PLAN_VARIABLE", "TargetEntry", "load_targets", "run_planned", "run_targets", "worst"]

PLAN_VARIABLE = "SIP_CONTRACTS_MULTI_PLAN"
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
    """Target name -> xdist group. Targets touching a common project (same host) share a group."""
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
        # A digest, not the project id: group names appear in pytest's output.
        out[name] = "project-" + hashlib.blake2b(root.encode(), digest_size=5).hexdigest()
    return out


def worst(codes: Sequence[int]) -> int:
    """The most severe exit code: 2 > 1 > 4 > 3 > 0 (an unknown code counts as 1)."""
    known = [c if c in SEVERITY else 1 for c in codes]
    return min(known, key=SEVERITY.index) if known else 0


# -- running -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Settings:
    profile: str
    seed: int
    report_dir: Path
    baseline_dir: Path | None
    waivers: Path | None
    example_db: str | None
    run_args: tuple[str, ...]


def run_targets(path: str | Path, *, workers: int, profile: str = "quick", seed: int | None = None,
                report_dir: str | Path = "reports", baseline_dir: str | Path | None = None,
                waivers: str | Path | None = None, example_db: str | None = ".hypothesis/sip-contracts",
                run_args: Sequence[str] = (), env: Mapping[str, str] | None = None) -> int:
    """Run every target of the file, ``workers`` at a time; return the worst exit code (2 > 1 > 4 > 3 > 0).

    ``baseline_dir/<name>/conformance.json`` is each target's baseline when it exists; ``example_db`` gets a
    sub-directory per target ("none" disables it); ``run_args`` are extra ``sip-contracts run`` flags for
    every target (``--timeout 5``). Problems with the file or the environment are reported as one line on
    stderr and return 2 before any request.
    """
    env = dict(os.environ if env is None else env)
    try:
        entries, settings, names_to_groups = _prepare(path, workers, profile, seed, report_dir, baseline_dir,
                                                      waivers, example_db, run_args, env)
    except ConfigError as exc:
        print(f"sip-contracts: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    workers = min(workers, len(set(names_to_groups.values())))  # more would idle
    print(f"sip-contracts: {len(entries)} targets, {workers} workers, profile {settings.profile}, "
          f"seed {settings.seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="sip-contracts-multi-") as tmp:
        plan = _write_plan(Path(tmp), entries, settings, names_to_groups)
        pytest_code = _pytest(Path(tmp), plan, workers, env, settings)
        codes = _collect(Path(tmp) / "results", entries, settings.report_dir)
    code = worst(codes)
    if pytest_code not in (0, 1) and code == 0:
        code = 3  # pytest itself failed (interrupted, internal error): nothing may be taken as a pass
    return code


def _prepare(path: str | Path, workers: int, profile: str, seed: int | None, report_dir: str | Path,
             baseline_dir: str | Path | None, waivers: str | Path | None, example_db: str | None,
             run_args: Sequence[str], env: Mapping[str, str]
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
        run_args=tuple(run_args))
    return entries, settings, groups(entries, env)


def _write_plan(tmp: Path, entries: Sequence[TargetEntry], settings: _Settings,
                names_to_groups: Mapping[str, str]) -> Path:
    """The plan the workers read: variable *names* and paths only, never a credential."""
    plan = {
        "version": 1, "results_dir": str(tmp / "results"),
        "targets": [{"name": e.name, "group": names_to_groups[e.name], "variables": dict(e.variables),
                     "argv": _argv(e, settings)} for e in entries],
    }
    (tmp / "results").mkdir()
    path = tmp / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    return path


def _argv(entry: TargetEntry, s: _Settings) -> list[str]:
    db = str(Path(s.example_db) / entry.name) if s.example_db else "none"
    argv = ["run", "--profile", s.profile, "--seed", str(s.seed), "--report-dir",
            str(s.report_dir / entry.name), "--quiet", "--example-db", db]
    if entry.allow_writes:
        argv += ["--allow-writes", entry.allow_writes]
    if s.baseline_dir is not None and (s.baseline_dir / entry.name / "conformance.json").is_file():
        argv += ["--baseline", str(s.baseline_dir / entry.name / "conformance.json")]
    if s.waivers is not None:
        argv += ["--waivers", str(s.waivers)]
    return argv + list(s.run_args)


def _pytest(tmp: Path, plan: Path, workers: int, env: Mapping[str, str], settings: _Settings) -> int:
    """pytest on the packaged module, isolated from the caller's pytest configuration and conftests."""
    (tmp / "pytest.ini").write_text("[pytest]\n")
    settings.report_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "pytest", "--pyargs", "contracts.runner._multi_tests",
            "-c", str(tmp / "pytest.ini"), "--rootdir", str(tmp), "--noconftest",
            "-p", "no:cacheprovider", "-p", "xdist.plugin",
            "-n", str(workers if workers > 1 else 0), "--dist", "loadgroup", "-q", "--tb=line", "-rfE",
            "--junitxml", str(settings.report_dir / "multi-junit.xml")]
    # Autoload off: the user's other pytest plugins (coverage, random order...) stay out of the runs.
    # The package's own parent dir goes first on PYTHONPATH, so a source checkout works like a wheel.
    package_parent = str(Path(__file__).resolve().parent.parent)
    python_path = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    child_env = {**env, PLAN_VARIABLE: str(plan), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                 "PYTHONPATH": python_path}
    proc = subprocess.Popen(argv, env=child_env)
    return _wait(proc)


def _wait(proc: subprocess.Popen[bytes]) -> int:
    """Wait for pytest; on Ctrl-C give the runs time to restore what they wrote before stopping them."""
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            return proc.wait(timeout=60)  # the workers got the same SIGINT and are restoring profiles
        except subprocess.TimeoutExpired:
            proc.terminate()
            return proc.wait(timeout=30)


def _collect(results: Path, entries: Sequence[TargetEntry], report_dir: Path) -> list[int]:
    """Each target's exit code; a target without a result (its worker died) counts as inconclusive."""
    codes = []
    for entry in entries:
        got = results / f"{entry.name}.json"
        result: dict[str, Any] = (json.loads(got.read_text()) if got.is_file()
                                  else {"exit_code": 3, "worker": "-"})
        codes.append(int(result["exit_code"]))
        print(f"  {entry.name}: exit {result['exit_code']} on {result['worker']} — "
              f"{_verdict(report_dir / entry.name)}")
    return codes


def _verdict(target_dir: Path) -> str:
    path = target_dir / "conformance.json"
    if not path.is_file():
        return "no report written"
    doc = json.loads(path.read_text())
    return f"{doc.get('verdict', '?')}, reports in {target_dir}"


# -- the worker side (called by contracts.runner._multi_tests) ----------------------------------------------------


def load_plan() -> dict[str, Any] | None:
    path = os.environ.get(PLAN_VARIABLE)
    if not path:
        return None
    plan: dict[str, Any] = json.loads(Path(path).read_text())
    return plan


@contextmanager
def _target_environment(values: Mapping[str, str]) -> Iterator[None]:
    """Only this target's SIGNALWIRE_* variables (and no job-wide allow-writes) while it runs."""
    saved = {k: v for k, v in os.environ.items()
             if k.startswith("SIGNALWIRE_") or k == "SIP_CONTRACTS_ALLOW_WRITES"}
    for key in saved:
        del os.environ[key]
    os.environ.update({k: v for k, v in values.items() if v})
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("SIGNALWIRE_")]:
            del os.environ[key]
        os.environ.update(saved)


def run_planned(plan: Mapping[str, Any], item: Mapping[str, Any]) -> int:
    """Run one target of the plan as ``sip-contracts run`` would; record and return its exit code."""
    from contracts.cli import main

    entry = TargetEntry(name=item["name"], variables=item["variables"])
    result = Path(plan["results_dir"]) / f"{entry.name}.json"
    code = 3  # what a crash of the run itself counts as
    try:
        with _target_environment(entry.environment(os.environ)):
            code = main(item["argv"])
    except SystemExit as exc:  # a usage error in the argv: the CLI exits 2
        code = exc.code if isinstance(exc.code, int) else EXIT_USAGE
    finally:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        result.write_text(json.dumps({"exit_code": code, "worker": worker}))
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m contracts.runner.multi TARGETS.toml --workers N [--profile P] [--seed S] [--report-dir D]``."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m contracts.runner.multi")
    p.add_argument("targets")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--profile", default="quick")
    p.add_argument("--seed", type=int)
    p.add_argument("--report-dir", default="reports")
    p.add_argument("--baseline", help="a directory of <target>/conformance.json")
    p.add_argument("--waivers")
    p.add_argument("--example-db", default=".hypothesis/sip-contracts")
    a, rest = p.parse_known_args(argv)
    return run_targets(a.targets, workers=a.workers, profile=a.profile, seed=a.seed, report_dir=a.report_dir,
                       baseline_dir=a.baseline, waivers=a.waivers, example_db=a.example_db, run_args=rest)


if __name__ == "__main__":
    raise SystemExit(main())
