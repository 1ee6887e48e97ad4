"""The re-run command a report prints: every option that shaped the run, never a secret.

A command that drops ``--allow-writes`` skips 31 clauses and one that drops ``--mutant`` runs against the
faithful mock: neither reproduces anything. So the command is rebuilt from the configuration the run
actually used; options left at their defaults are left out to keep it readable. Credentials never appear:
a real target is named by the SIGNALWIRE_* variables the user exports again.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from contracts.engine.config import RunConfig

__all__ = ["DEFAULT_EXAMPLE_DB", "rerun_argv", "rerun_command"]

DEFAULT_EXAMPLE_DB = ".hypothesis/sip-contracts"
DEFAULT_TIMEOUT_S = 10.0


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def rerun_argv(cfg: RunConfig, *, baseline: str | None = None, waivers: str | None = None,
               docs_upstream: str | None = None, report_dir: str | None = None) -> list[str]:
    """``sip-contracts run …`` as an argument list for ``cfg`` (plus the CLI-only inputs named)."""
    argv = ["sip-contracts", "run", "--profile", cfg.effort.name, "--seed", str(cfg.seed)]
    target = cfg.target
    if cfg.mutant:
        argv += ["--mutant", cfg.mutant]
    if cfg.allow_writes and target.kind != "mock":
        argv += ["--allow-writes", target.host]
    if target.insecure_http:
        argv.append("--insecure-http")
    if cfg.max_examples is not None:
        argv += ["--max-examples", str(cfg.max_examples)]
    if cfg.budget != cfg.effort.budget:
        argv += ["--budget", str(cfg.budget)]
    default_pace = 0.0 if target.kind == "mock" or target.is_loopback else 4.0
    if cfg.pace_rps != default_pace:
        argv += ["--pace", _num(cfg.pace_rps)]
    if cfg.timeout_s != DEFAULT_TIMEOUT_S:
        argv += ["--timeout", _num(cfg.timeout_s)]
    if cfg.client_har is not None:
        argv += ["--client-har", str(cfg.client_har)]
    if cfg.latency_factor != 3.0:  # RunConfig's default
        argv += ["--latency-factor", _num(cfg.latency_factor)]
    if cfg.example_db is None:
        argv += ["--example-db", "none"]
    elif cfg.example_db != Path(DEFAULT_EXAMPLE_DB):
        argv += ["--example-db", str(cfg.example_db)]
    for flag, value in (("--baseline", baseline), ("--waivers", waivers), ("--docs-upstream", docs_upstream),
                        ("--report-dir", report_dir)):
        if value:
            argv += [flag, str(value)]
    return argv


def rerun_command(cfg: RunConfig, **inputs: str | None) -> str:
    """The same as :func:`rerun_argv`, quoted for a POSIX shell."""
    return shlex.join(rerun_argv(cfg, **inputs))
