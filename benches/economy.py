"""Benchmark of issue 18 (request economy, bounded time): one table, before and after, from one run.

``python -m benches.economy --before DIR`` measures the quick profile of two checkouts on the same machine,
each as a subprocess started the way a user starts it: *before* is the checkout at ``DIR`` (e.g. the
merge-base in a temporary worktree: ``git worktree add /tmp/base-18 <sha>``; its code is put first on
``PYTHONPATH``), *after* is this checkout. Every row runs against a fresh embedded mock (this checkout's
``MockSpace``; the faithful service is the same in both), seed 1, no example database:

* ``requests in-process``: ``conformance.json``'s ``requests.total`` of ``sip-contracts run``;
* ``requests over HTTP``: requests the mock received (``space.request_log``), served on 127.0.0.1;
* ``wall +100 ms``: every answer 100 ms later;
* ``wall 5 rps + 150 ms``: every answer 150 ms later and the client held to 5 requests per second
  (``--pace 5``: an account that serves 5 requests per second);
* ``wall PUT +2.5 s``: every PUT answered 2.5 s later (``Faults(put_latency_s=2.5)``);
* ``kill rate``: ``sip-contracts mutants`` (the kill matrix, in-process), killed / mutants, and the most
  requests one mutant's run sent.

Wall times include the start-up of the program; nothing here is asserted (a script, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benches.bench import _clean_env, _doc_requests, _mock_env, _timed
from contracts.mock import Faults, MockSpace, serving

__all__ = ["Checkout", "main"]

_KILLED = re.compile(r"(\d+)/(\d+) mutants killed")


@dataclass(frozen=True)
class Checkout:
    name: str
    root: Path | None  #: None: this checkout, as installed

    def env(self, base: dict[str, str]) -> dict[str, str]:
        env = dict(base, COLUMNS="240")  # the kill matrix's table is parsed: no wrapped rows
        if self.root is not None:
            paths = [str(self.root), env.get("PYTHONPATH", "")]
            env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        return env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "contracts", *args]


def _run_argv(c: Checkout, report_dir: Path, extra: Sequence[str] = ()) -> list[str]:
    return c.argv("run", "--profile", "quick", "--seed", "1", "--report-dir", str(report_dir), "--quiet",
                  "--no-history", "--example-db", "none", *extra)


def inproc(c: Checkout, work: Path) -> dict[str, Any]:
    report_dir = Path(tempfile.mkdtemp(prefix=f"{c.name}-inproc-", dir=work))
    code, _, wall = _timed(_run_argv(c, report_dir), env=c.env(_clean_env()), cwd=work, bound_s=900)
    doc = json.loads((report_dir / "conformance.json").read_text())
    per_clause = {row["id"]: row["requests"] for row in doc["clauses"]}
    return {"requests": _doc_requests(report_dir), "wall_s": round(wall, 1), "exit": code,
            "per_clause": dict(sorted(per_clause.items(), key=lambda kv: -kv[1]))}


def halves(names: Sequence[str]) -> dict[str, list[str]]:
    """The mutants split in two by sorted name, alternately: a reduction is tuned on one half and checked on
    the other (issue 18): a request only the held-out half needs is coverage, not redundancy."""
    ordered = sorted(names)
    return {"A": ordered[0::2], "B": ordered[1::2]}


def served(c: Checkout, work: Path, faults: Faults, extra: Sequence[str] = ()) -> dict[str, Any]:
    report_dir = Path(tempfile.mkdtemp(prefix=f"{c.name}-http-", dir=work))
    space = MockSpace(faults=faults)
    with serving(space) as url:
        host = url.split("://", 1)[1]
        code, _, wall = _timed([*_run_argv(c, report_dir, extra), "--allow-writes", host],
                               env=c.env(_mock_env(space, url)), cwd=work, bound_s=1500)
        log = space.request_log
    doc = report_dir / "conformance.json"
    reduced = json.loads(doc.read_text())["run"].get("examples_reduced") if doc.is_file() else None
    return {"requests": len(log), "wall_s": round(wall, 1), "exit": code,
            "puts": sum(1 for method, _, _ in log if method == "PUT"), "examples_reduced": reduced}


def kills(c: Checkout, work: Path) -> dict[str, Any]:
    report_dir = Path(tempfile.mkdtemp(prefix=f"{c.name}-km-", dir=work))
    started = time.monotonic()
    done = subprocess.run(c.argv("mutants", "--seed", "1", "--report-dir", str(report_dir)),
                          env=c.env(_clean_env()), cwd=work, capture_output=True, text=True, timeout=1800,
                          check=False)
    m = _KILLED.search(done.stdout + done.stderr)
    rows: list[dict[str, Any]] = []
    for line in (done.stdout).splitlines():
        cells = [x.strip() for x in line.split("│")]
        if len(cells) >= 7 and cells[2] in ("killed", "survived"):
            # the requests column is third from the end (before the seconds and the closing border)
            rows.append({"mutant": cells[1], "verdict": cells[2], "requests": int(cells[-3] or 0)})
    verdicts = {r["mutant"]: r["verdict"] for r in rows}
    split = {half: f"{sum(verdicts[n] == 'killed' for n in names)}/{len(names)}"
             for half, names in halves(list(verdicts)).items()}
    return {"killed": int(m.group(1)) if m else None, "mutants": int(m.group(2)) if m else None,
            "max_requests": max((r["requests"] for r in rows), default=None), "rows": rows,
            "half_A": split["A"], "half_B": split["B"], "wall_s": round(time.monotonic() - started, 1)}


ROWS: tuple[tuple[str, str], ...] = (
    ("requests in-process (quick, seed 1)", "inproc.requests"),
    ("requests over HTTP", "http.requests"),
    ("wall s, +100 ms per answer", "latency.wall_s"),
    ("wall s, 5 rps + 150 ms", "paced.wall_s"),
    ("wall s, every PUT 2.5 s slower", "slow_put.wall_s"),
    ("  PUTs sent then", "slow_put.puts"),
    ("kill rate (quick)", "kill_rate"),
    ("  half A (sorted names, even)", "kills.half_A"),
    ("  half B (sorted names, odd)", "kills.half_B"),
    ("most requests against one mutant", "kills.max_requests"),
)


def measure(c: Checkout, work: Path, *, slow: bool, kill: bool) -> dict[str, Any]:
    def say(what: str) -> None:
        print(f"{c.name}: {what}", file=sys.stderr, flush=True)

    out: dict[str, Any] = {}
    say("in-process")
    out["inproc"] = inproc(c, work)
    say("over HTTP")
    out["http"] = served(c, work, Faults())
    say("+100 ms")
    out["latency"] = served(c, work, Faults(latency_s=0.1))
    say("5 rps + 150 ms")
    out["paced"] = served(c, work, Faults(latency_s=0.15), ("--pace", "5"))
    if slow:
        say("PUT +2.5 s")
        out["slow_put"] = served(c, work, Faults(put_latency_s=2.5))
    if kill:
        say("kill matrix")
        out["kills"] = k = kills(c, work)
        out["kill_rate"] = f"{k['killed']}/{k['mutants']}" if k["killed"] is not None else None
    return out


def _get(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def render(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    width = max(len(label) for label, _ in ROWS)
    lines = [f"{'':<{width}}  " + "  ".join(f"{n:>12}" for n in names)]
    for label, path in ROWS:
        cells = ["-" if _get(results[n], path) is None else str(_get(results[n], path)) for n in names]
        lines.append(f"{label:<{width}}  " + "  ".join(f"{v:>12}" for v in cells))
    for n in names:
        reduced = _get(results[n], "slow_put.examples_reduced")
        if reduced:
            lines.append(f"{n}, PUT +2.5 s: {reduced}")
    for n in names:
        top = _get(results[n], "inproc.per_clause") or {}
        lines.append(f"{n}, requests per clause (top 12): "
                     + ", ".join(f"{cid} {k}" for cid, k in list(top.items())[:12]))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benches.economy", description=__doc__.split("\n")[0])
    p.add_argument("--before", type=Path, help="the checkout to compare with (e.g. a worktree of the base)")
    p.add_argument("--no-slow", action="store_true", help="skip the 2.5 s slower PUT rows (minutes each)")
    p.add_argument("--no-slow-before", action="store_true",
                   help="skip the 2.5 s slower PUT row of --before only (it took 531 s at b0c4b64)")
    p.add_argument("--no-kill", action="store_true", help="skip the kill matrix")
    p.add_argument("--no-kill-before", action="store_true", help="skip the kill matrix of --before only")
    p.add_argument("--out", type=Path, default=Path("economy.json"))
    a = p.parse_args(argv)
    checkouts = ([Checkout("before", a.before.resolve())] if a.before else []) + [Checkout("after", None)]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="sip-economy-") as tmp:
        for c in checkouts:
            slow = not a.no_slow and not (a.no_slow_before and c.name == "before")
            kill = not a.no_kill and not (a.no_kill_before and c.name == "before")
            results[c.name] = measure(c, Path(tmp), slow=slow, kill=kill)
    table = render(results)
    print(table)
    a.out.write_text(json.dumps({"results": results, "table": table}, indent=2, default=str))
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
