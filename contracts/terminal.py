"""Progress while a run goes, and the closing summary (rich on a terminal, plain lines in CI logs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from contracts.catalogue import Clause
from contracts.engine.config import RunConfig
from contracts.engine.verdicts import ClauseResult
from contracts.redact import scrub_text

__all__ = ["ProgressPrinter"]

_STYLE = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "error": "magenta",
          "skipped": "dim", "waived": "cyan"}


class ProgressPrinter:
    def __init__(self, cfg: RunConfig, *, enabled: bool = True) -> None:
        self.cfg = cfg
        self.enabled = enabled
        self.console = Console(file=sys.stderr, highlight=False)
        if not self.console.is_terminal:
            self.console = Console(file=sys.stderr, highlight=False, width=200)
        self._status: Any = None
        if enabled:
            t = cfg.target
            self.console.print(f"sip-contracts: {t.kind} target [bold]{t.host}[/], profile "
                               f"{cfg.effort.name}, seed {cfg.seed}, writes "
                               f"{'allowed' if cfg.allow_writes else 'NOT allowed (read-only clauses)'}")

    def update(self, i: int, n: int, clause: Clause, result: ClauseResult | None) -> None:
        if not self.enabled:
            return
        if result is None:
            if self.console.is_terminal:
                self._status = self.console.status(f"[{i}/{n}] {clause.id} {clause.title}")
                self._status.start()
            return
        if self._status is not None:
            self._status.stop()
            self._status = None
        style = _STYLE.get(result.verdict, "")
        reason = f" — {result.reason}" if result.reason and result.verdict != "pass" else ""
        reason = scrub_text(reason, self.cfg.target.secrets())
        self.console.print(f"[{i:>2}/{n}] {clause.id:<14} [{style}]{result.verdict:<12}[/] "
                           f"{result.requests:>3} req {result.duration_s:6.2f}s{reason[:160]}")

    def summary(self, doc: dict[str, Any], paths: dict[str, Path]) -> None:
        counts = doc["counts"]
        req = doc["requests"]
        style = _STYLE.get(doc["verdict"], "")
        self.console.print(
            f"[{style}]{doc['verdict'].upper()}[/] — " + ", ".join(f"{k} {v}" for k, v in counts.items())
            + f" — {req['total']} requests in {doc['run']['duration_s']:.1f}s"
            + (f" (retries {req['retries']})" if req["retries"] else ""))
        base = doc.get("baseline") or {}
        if base:
            reg = base.get("clauses", {}).get("regression", [])
            drift = base.get("observations", {}).get("changed", [])
            self.console.print(f"baseline: {len(reg)} regression(s), {len(drift)} changed observation(s)")
        restore = doc.get("restore") or {}
        if restore.get("status") == "failed":
            self.console.print(f"[bold red]RESTORE FAILED[/]: {restore.get('detail')} — the snapshot is kept "
                               f"in {self.cfg.report_dir / 'snapshot.json'}; "
                               "run `sip-contracts restore` on it")
        for name, path in sorted(paths.items()):
            self.console.print(f"  {name}: {path}")
        print(f"requests made: {req['total']}", file=sys.stderr)
