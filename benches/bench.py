"""Benchmark: ``sip-contracts`` (quick, deep) beside the plain schemathesis CLI, against the embedded mock.

``python -m benches.bench`` is a script, not a timed test. Every run is a subprocess started the way a
user starts it (console script, startup included) against a fresh :class:`~contracts.mock.MockSpace`:

* ``inproc``: ``sip-contracts run`` with no ``SIGNALWIRE_*`` variable (the in-process mock); the
  schemathesis CLI has no in-process mode (it needs ``--url``), so its row there is "n/a";
* ``http``: the mock served over real HTTP on 127.0.0.1 (``serving()``);
* ``latency``: the same with ``Faults(latency_s=0.1)`` added to every answer.

Figures: median wall time of ``--runs`` runs (``statistics.median``), requests per run (counted on the
mock side from ``space.request_log`` over HTTP; from ``conformance.json`` in-process), cases/s
(= requests / median wall s, startup included), exit codes, and mutants killed. Kills are measured once:
``contracts.runner.killmatrix.matrix`` in-process for the suite (its 1 s timeout is what catches
``slow-responses``), and for schemathesis one run per mutant over HTTP, where a mutant counts as killed when
the run reports a failure (operation, check code, response status) that the same command does not report
against the faithful mock. Schemathesis runs with ``--seed`` and ``--generation-database none`` so that
runs are comparable (a seed alone does not reproduce a CLI run: it replays ``.hypothesis/examples``).
Results print as a table and go to ``bench.json``; the targets print PASS/MISS and are never asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts.mock import MUTANTS, Faults, MockSpace, serving
from contracts.spec import spec_path

__all__ = ["Measurement", "Row", "main", "parse_st_failures"]

TARGETS = ("inproc", "http", "latency")
#: ``--max-examples`` for the "matched" schemathesis row: about (quick's ~180 requests − ~80 coverage-phase
#: cases) / 2 operations, i.e. the request count of a quick run if the CLI never stopped early.
MATCHED_MAX_EXAMPLES = 50
ST_VARIANTS: dict[str, tuple[str, ...]] = {
    "st default": (),
    f"st -n {MATCHED_MAX_EXAMPLES}": ("--max-examples", str(MATCHED_MAX_EXAMPLES)),
}
SIP_PROFILES = ("quick", "deep")
GOAL_QUICK_INPROC_S = 15.0
GOAL_QUICK_LATENCY_S = 60.0

_OP = re.compile(r"^_{3,} ([A-Z]+ \S+) _{3,}$")
_CASE = re.compile(r"^\d+\. Test Case ID: ")
_CHECK = re.compile(r"^- (ST\d{3}) ")
_STATUS = re.compile(r"^\[(\d{3})\] ")

Signature = tuple[str, str, str]  #: (operation, check code, response status)


@dataclass
class Measurement:
    wall_s: float
    requests: int
    exit_code: int | None  #: None: stopped at the time bound
    client_requests: int | None = None  #: what the suite itself counted, when it wrote a report
    signatures: list[Signature] = field(default_factory=list)


@dataclass
class Row:
    tool: str
    target: str
    runs: list[Measurement]
    killed: int | None = None
    mutants: int | None = None
    note: str = ""

    @property
    def wall_s(self) -> float:
        return statistics.median(m.wall_s for m in self.runs)

    @property
    def requests(self) -> float:
        return statistics.median(m.requests for m in self.runs)

    def summary(self) -> dict[str, Any]:
        if not self.runs:
            return {"tool": self.tool, "target": self.target, "note": self.note}
        walls = [m.wall_s for m in self.runs]
        return {
            "tool": self.tool, "target": self.target, "runs": len(self.runs),
            "wall_s_median": round(self.wall_s, 3), "wall_s_min": round(min(walls), 3),
            "wall_s_max": round(max(walls), 3), "requests_median": self.requests,
            "cases_per_s": round(self.requests / self.wall_s, 1) if self.wall_s else None,
            "exit_codes": sorted({m.exit_code for m in self.runs}, key=lambda c: (c is None, c)),
            "killed": self.killed, "mutants": self.mutants, "note": self.note,
            "measurements": [asdict(m) for m in self.runs],
        }


# -- running the two programs ------------------------------------------------------------------------------


def _program(name: str, fallback: list[str]) -> list[str]:
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else fallback


def _clean_env() -> dict[str, str]:
    """The caller's environment without any target: a stray SIGNALWIRE_* must never leak into a run."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_", "SCHEMATHESIS_"))}


def _mock_env(space: MockSpace, url: str) -> dict[str, str]:
    p = space.projects
    env = _clean_env()
    env.update({
        "SIGNALWIRE_REST_BASE_URL": url,
        "SIGNALWIRE_PROJECT_ID": p["primary"].project_id, "SIGNALWIRE_API_TOKEN": p["primary"].token,
        "SIGNALWIRE_SECONDARY_PROJECT_ID": p["secondary"].project_id,
        "SIGNALWIRE_SECONDARY_API_TOKEN": p["secondary"].token,
        "SIGNALWIRE_NOVOICE_PROJECT_ID": p["novoice"].project_id,
        "SIGNALWIRE_NOVOICE_API_TOKEN": p["novoice"].token,
    })
    return env


def _timed(argv: list[str], *, env: dict[str, str], cwd: Path,
           bound_s: float) -> tuple[int | None, str, float]:
    started = time.monotonic()
    try:
        done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=bound_s,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, out, time.monotonic() - started
    return done.returncode, done.stdout, time.monotonic() - started


@contextmanager
def _served(latency_s: float, mutant: str | None = None) -> Iterator[tuple[MockSpace, str]]:
    space = MockSpace(mutant=mutant, faults=Faults(latency_s=latency_s))
    with serving(space) as url:
        yield space, url


def _doc_requests(report_dir: Path) -> int | None:
    path = report_dir / "conformance.json"
    if not path.is_file():
        return None
    return int(json.loads(path.read_text())["requests"]["total"])


def run_sip(profile: str, target: str, *, seed: int, latency_s: float, work: Path,
            bound_s: float) -> Measurement:
    """One ``sip-contracts run`` as a subprocess, against a fresh mock."""
    report_dir = Path(tempfile.mkdtemp(prefix="sip-", dir=work))
    argv = [*_program("sip-contracts", [sys.executable, "-m", "contracts"]), "run", "--profile", profile,
            "--seed", str(seed), "--report-dir", str(report_dir), "--quiet", "--no-history",
            "--example-db", "none"]
    if target == "inproc":
        code, _, wall = _timed(argv, env=_clean_env(), cwd=work, bound_s=bound_s)
        requests = _doc_requests(report_dir)
        return Measurement(wall, requests or 0, code, requests)
    with _served(latency_s if target == "latency" else 0.0) as (space, url):
        host = url.split("://", 1)[1]
        code, _, wall = _timed([*argv, "--allow-writes", host], env=_mock_env(space, url), cwd=work,
                               bound_s=bound_s)
        return Measurement(wall, len(space.request_log), code, _doc_requests(report_dir))


def st_argv(url: str, space: MockSpace, *, seed: int, extra: Sequence[str]) -> list[str]:
    """The command a user types (``--checks all``), plus a seed and no example database."""
    p = space.projects["primary"]
    return [*_program("schemathesis", ["st"]), "run", str(spec_path()), "--url", url,
            "--auth", f"{p.project_id}:{p.token}", "--checks", "all",
            "--seed", str(seed), "--generation-database", "none", *extra]


def run_st(extra: Sequence[str], *, latency_s: float, seed: int, work: Path, bound_s: float,
           mutant: str | None = None) -> Measurement:
    """One plain ``schemathesis run`` against a fresh mock served over HTTP."""
    with _served(latency_s, mutant) as (space, url):
        code, out, wall = _timed(st_argv(url, space, seed=seed, extra=extra), env=_clean_env(), cwd=work,
                                 bound_s=bound_s)
        return Measurement(wall, len(space.request_log), code, signatures=parse_st_failures(out))


def parse_st_failures(stdout: str) -> list[Signature]:
    """(operation, check code, response status) of every failure in the CLI's FAILURES section."""
    found: set[Signature] = set()
    op, codes = "", list[str]()
    for line in stdout.splitlines():
        if m := _OP.match(line):
            op, codes = m.group(1), []
        elif _CASE.match(line):
            codes = []
        elif m := _CHECK.match(line):
            codes.append(m.group(1))
        elif (m := _STATUS.match(line)) and codes:
            found.update((op, code, m.group(1)) for code in codes)
            codes = []
    found.update((op, code, "-") for code in codes)
    return sorted(found)


# -- kills -------------------------------------------------------------------------------------------------


def sip_kills(profile: str, *, seed: int, only: list[str] | None, work: Path) -> dict[str, Any]:
    from contracts.cli import _judge
    from contracts.runner.killmatrix import matrix

    started = time.monotonic()
    faithful, rows = matrix(judge=_judge, profile=profile, seed=seed,
                            report_dir=work / f"killmatrix-{profile}",
                            only=only)
    return {
        "faithful_verdict": faithful["verdict"], "wall_s": round(time.monotonic() - started, 1),
        "killed": sum(r["verdict"] == "killed" for r in rows), "mutants": len(rows),
        "rows": {r["mutant"]: {"verdict": r["verdict"], "caught_by": r["caught_by"][:3],
                               "requests": r["requests"]} for r in rows},
    }


def st_kills(extra: Sequence[str], faithful: set[Signature], *, seed: int, only: list[str] | None,
             work: Path, bound_s: float) -> dict[str, Any]:
    started = time.monotonic()
    rows: dict[str, Any] = {}
    for name in _mutant_names(only):
        m = run_st(extra, latency_s=0.0, seed=seed, work=work, bound_s=bound_s, mutant=name)
        new = sorted(set(m.signatures) - faithful)
        verdict = "killed" if new else "survived"
        rows[name] = {"verdict": verdict, "new_failures": [" ".join(s) for s in new],
                      "exit_code": m.exit_code, "requests": m.requests, "wall_s": round(m.wall_s, 1),
                      "stopped_at_bound": m.exit_code is None}
    killed = sum(r["verdict"] == "killed" for r in rows.values())
    return {"faithful_failures": [" ".join(s) for s in sorted(faithful)],
            "wall_s": round(time.monotonic() - started, 1), "killed": killed, "mutants": len(rows),
            "rows": rows}


def _mutant_names(only: list[str] | None) -> list[str]:
    return [n for n in sorted(MUTANTS) if not only or n in only]


# -- the benchmark -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Options:
    runs: int
    deep_runs: int
    deep: bool
    kill: bool
    targets: tuple[str, ...]
    tools: tuple[str, ...]
    mutants: list[str] | None
    seed: int
    latency_s: float
    bound_s: float
    mutant_bound_s: float
    out: Path


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _done(row: Row) -> Row:
    codes = ",".join(str(m.exit_code) for m in row.runs)
    _say(f"  median {row.wall_s:.1f} s, {row.requests:g} requests, exit {codes}")
    return row


def bench_sip(opts: Options, work: Path) -> tuple[list[Row], dict[str, Any]]:
    rows, kills = [], {}
    for profile in SIP_PROFILES if opts.deep else SIP_PROFILES[:1]:
        runs = opts.runs if profile == "quick" else opts.deep_runs
        for target in opts.targets:
            _say(f"sip-contracts {profile} / {target}: {runs} run(s)")
            ms = [run_sip(profile, target, seed=opts.seed, latency_s=opts.latency_s, work=work,
                          bound_s=opts.bound_s) for _ in range(runs)]
            rows.append(_done(Row(f"sip-contracts {profile}", target, ms)))
        if opts.kill:
            _say(f"sip-contracts {profile}: kill matrix (in-process)")
            kills[profile] = sip_kills(profile, seed=opts.seed, only=opts.mutants, work=work)
            row = next(r for r in rows if r.tool == f"sip-contracts {profile}" and r.target == "inproc") \
                if "inproc" in opts.targets else None
            if row is not None:
                row.killed, row.mutants = kills[profile]["killed"], kills[profile]["mutants"]
    return rows, kills


def bench_st(opts: Options, work: Path) -> tuple[list[Row], dict[str, Any]]:
    rows, kills = [], {}
    for variant, extra in ST_VARIANTS.items():
        faithful: set[Signature] = set()
        for target in opts.targets:
            if target == "inproc":
                rows.append(Row(variant, target, [], note="n/a: the CLI needs --url"))
                continue
            _say(f"{variant} / {target}: {opts.runs} run(s)")
            ms = [run_st(extra, latency_s=opts.latency_s if target == "latency" else 0.0, seed=opts.seed,
                         work=work, bound_s=opts.bound_s) for _ in range(opts.runs)]
            faithful.update(s for m in ms for s in m.signatures)
            rows.append(_done(Row(variant, target, ms)))
        if opts.kill and "http" in opts.targets:
            _say(f"{variant}: one run per mutant over HTTP")
            kills[variant] = st_kills(extra, faithful, seed=opts.seed, only=opts.mutants, work=work,
                                      bound_s=opts.mutant_bound_s)
            row = next(r for r in rows if r.tool == variant and r.target == "http")
            row.killed, row.mutants = kills[variant]["killed"], kills[variant]["mutants"]
    return rows, kills


def goals(rows: list[Row], kills: dict[str, Any]) -> list[dict[str, Any]]:
    """The benchmark's targets, each PASS, MISS or "not measured"; never asserted."""
    def find(tool: str, target: str) -> Row | None:
        return next((r for r in rows if r.tool == tool and r.target == target and r.runs), None)

    out = []
    quick_in, quick_lat = find("sip-contracts quick", "inproc"), find("sip-contracts quick", "latency")
    st_http = find("st default", "http")
    qk, sk = kills.get("sip-contracts quick"), kills.get("st default")
    if quick_in and st_http and qk and sk:
        parts = {"kills every mutant": qk["killed"] == qk["mutants"],
                 "fewer requests per run": quick_in.requests < st_http.requests,
                 "schemathesis kills fewer": sk["killed"] < qk["killed"]}
        ok = all(parts.values())
        detail = (f"quick killed {qk['killed']}/{qk['mutants']} with {quick_in.requests:g} requests/run; "
                  f"plain schemathesis killed {sk['killed']}/{sk['mutants']} with {st_http.requests:g} ("
                  + ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in parts.items()) + ")")
        out.append(_goal("quick kills every mutant, with fewer requests per run than plain schemathesis, "
                         "which kills fewer", ok, detail))
    else:
        out.append(_goal("quick kills every mutant with fewer requests than plain schemathesis", None,
                         "needs the inproc and http targets and the kill runs"))
    for label, row, limit in (("quick in-process", quick_in, GOAL_QUICK_INPROC_S),
                              ("quick at 100 ms latency", quick_lat, GOAL_QUICK_LATENCY_S)):
        out.append(_goal(f"{label} < {limit:g} s", None if row is None else row.wall_s < limit,
                         "not measured" if row is None else f"median {row.wall_s:.1f} s"))
    return out


def _goal(text: str, ok: bool | None, detail: str) -> dict[str, Any]:
    return {"goal": text, "result": "not measured" if ok is None else ("PASS" if ok else "MISS"),
            "detail": detail}


def render(rows: list[Row], targets: list[dict[str, Any]], kills: dict[str, Any], opts: Options) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(120, shutil.get_terminal_size().columns))
    table = Table(title=f"sip-contracts vs plain schemathesis (seed {opts.seed}; wall = median of the runs, "
                        "startup included; cases/s = requests / wall s)")
    for col in ("tool", "target", "runs", "wall s (min–max)", "requests", "cases/s", "exit", "killed"):
        table.add_column(col, overflow="fold")
    for r in rows:
        s = r.summary()
        if not r.runs:
            table.add_row(r.tool, r.target, "-", r.note, "-", "-", "-", "-")
            continue
        killed = f"{r.killed}/{r.mutants}" if r.killed is not None else "-"
        exits = ",".join("bound" if c is None else str(c) for c in s["exit_codes"])
        table.add_row(r.tool, r.target, str(s["runs"]),
                      f"{s['wall_s_median']:.1f} ({s['wall_s_min']:.1f}–{s['wall_s_max']:.1f})",
                      f"{s['requests_median']:g}", f"{s['cases_per_s']}", exits, killed)
    console.print(table)
    for tool, k in kills.items():
        survived = [m for m, v in k["rows"].items() if v["verdict"] != "killed"]
        console.print(f"{tool}: killed {k['killed']}/{k['mutants']} in {k['wall_s']} s; "
                      f"survived: {', '.join(survived) or 'none'}", markup=False)
    for g in targets:
        console.print(f"{g['result']}: {g['goal']} — {g['detail']}", markup=False)


class _NoProbeWarnings(logging.Filter):
    """Schemathesis probes NUL bytes in headers; uvicorn's warning about it is expected noise here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid HTTP request" not in record.getMessage()


def run(opts: Options) -> dict[str, Any]:
    quiet = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _NoProbeWarnings) for f in quiet.filters):
        quiet.addFilter(_NoProbeWarnings())
    rows: list[Row] = []
    kills: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sip-bench-") as tmp:
        work = Path(tmp)
        for tool, fn in (("sip", bench_sip), ("st", bench_st)):
            if tool in opts.tools:
                got_rows, got_kills = fn(opts, work)
                rows += got_rows
                prefix = "sip-contracts " if tool == "sip" else ""
                kills.update({prefix + k: v for k, v in got_kills.items()})
    targets = goals(rows, kills)
    render(rows, targets, kills, opts)
    doc = {
        "meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"), "python": platform.python_version(),
                 "machine": f"{platform.machine()}, {os.cpu_count()} cores", "seed": opts.seed,
                 "runs": opts.runs, "deep_runs": opts.deep_runs, "latency_s": opts.latency_s,
                 "st_command": "schemathesis run SPEC --url URL --auth ID:TOKEN --checks all "
                               f"--seed {opts.seed} --generation-database none",
                 "versions": _versions()},
        "rows": [r.summary() for r in rows], "kills": kills, "targets": targets,
    }
    opts.out.write_text(json.dumps(doc, indent=2, default=str))
    print(f"wrote {opts.out}")
    return doc


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("sip-profile-contracts", "schemathesis", "hypothesis", "uvicorn", "httpx"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out


def _csv(choices: Sequence[str]) -> Any:
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(t.strip() for t in text.split(",") if t.strip())
        bad = [t for t in items if t not in choices]
        if bad or not items:
            raise argparse.ArgumentTypeError(f"expected a comma-separated subset of {','.join(choices)}")
        return items
    return parse


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> Options:
    p = argparse.ArgumentParser(prog="python -m benches.bench", description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=_at_least_one, default=3, help="timed runs per row (median; default 3)")
    p.add_argument("--deep-runs", type=_at_least_one, default=3, help="timed runs per deep row (default 3)")
    p.add_argument("--no-deep", action="store_true", help="skip the deep profile (the slow part)")
    p.add_argument("--no-kill", action="store_true", help="skip the kill matrix and the per-mutant runs")
    p.add_argument("--targets", type=_csv(TARGETS), default=TARGETS, help="inproc,http,latency (default all)")
    p.add_argument("--tools", type=_csv(("sip", "st")), default=("sip", "st"), help="sip,st (default both)")
    p.add_argument("--mutants", type=_csv(tuple(MUTANTS)), help="restrict the kill runs to these mutants")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--latency", type=float, default=0.1, help="seconds added per answer (default 0.1)")
    p.add_argument("--bound", type=float, default=900, help="max seconds for one timed run (default 900)")
    p.add_argument("--mutant-bound", type=float, default=150,
                   help="max seconds for one schemathesis run against a mutant (default 150; only "
                        "slow-responses gets near it: the CLI has no default request timeout)")
    p.add_argument("--out", type=Path, default=Path("bench.json"))
    a = p.parse_args(argv)
    return Options(runs=a.runs, deep_runs=a.deep_runs, deep=not a.no_deep, kill=not a.no_kill,
                   targets=a.targets, tools=a.tools, mutants=list(a.mutants) if a.mutants else None,
                   seed=a.seed, latency_s=a.latency, bound_s=a.bound, mutant_bound_s=a.mutant_bound,
                   out=a.out)


def main(argv: Sequence[str] | None = None) -> int:
    run(parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
