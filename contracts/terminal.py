"""Progress while a run goes (stderr), and the closing result (stdout).

Progress goes to stderr so that ``sip-contracts run > result.txt`` captures the result alone: the verdict,
the root causes, each project's restore, an interruption if any, and the report to open first. On a
terminal rich draws a spinner; in CI logs the lines are plain.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any

from rich.console import Console

from contracts.catalogue import Clause
from contracts.engine.config import RunConfig
from contracts.engine.verdicts import ClauseResult
from contracts.redact import scrub_text

__all__ = ["PipeSafeConsole", "ProgressPrinter", "result_lines"]

_STYLE = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "error": "magenta",
          "skipped": "dim", "waived": "cyan"}
_OPEN_FIRST = ("html", "markdown", "junit", "json", "history")


class PipeSafeConsole(Console):
    """Every console of the CLI: output piped into a reader that stops early is dropped, not fatal."""

    def on_broken_pipe(self) -> None:
        """A reader that stopped early (``sip-contracts run | head -2``): the rest is written to devnull and
        the run ends with its own exit code (rich's default exits 1, which reads as a failed run)."""
        self.quiet = True
        if self.file is sys.stdout or self.file is sys.__stdout__:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _console(file: IO[str]) -> Console:
    console = PipeSafeConsole(file=file, highlight=False)
    return console if console.is_terminal else PipeSafeConsole(file=file, highlight=False, width=200)


class ProgressPrinter:
    def __init__(self, cfg: RunConfig, *, enabled: bool = True, out: IO[str] | None = None,
                 err: IO[str] | None = None) -> None:
        self.cfg = cfg
        self.enabled = enabled
        self.console = _console(err or sys.stderr)  # progress
        self.out = _console(out or sys.stdout)  # the result
        self._status: Any = None
        self._reasons: dict[str, str] = {}  #: skip reason -> the first clause that gave it
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
        secrets = self.cfg.target.secrets()
        reason = "" if result.verdict == "pass" else scrub_text(result.reason or "", secrets)
        if reason and result.verdict == "skipped":
            first = self._reasons.setdefault(reason, clause.id)
            if first != clause.id:  # said once; the closing lines give the count
                reason = f"same reason as {first}"
        reason = f" — {reason}" if reason else ""
        self.console.print(f"[{i:>2}/{n}] {clause.id:<14} [{style}]{result.verdict:<12}[/] "
                           f"{result.requests:>3} req {result.duration_s:6.2f}s{reason[:160]}")

    def summary(self, doc: dict[str, Any], paths: dict[str, Path]) -> None:
        """The result, on stdout (also with --quiet: it is the answer, not progress)."""
        for style, line in result_lines(doc, paths, snapshot=self.cfg.report_dir / "snapshot.json"):
            self.out.print(line, style=style or None, markup=False)
            if line.startswith("RESTORE FAILED"):  # an alarm: also where the progress (and CI logs) went
                self.console.print(line, style=style or None, markup=False)


def _restore_line(doc: dict[str, Any], snapshot: Path) -> tuple[str, str]:
    restore = doc.get("restore") or {}
    mock = doc["target"].get("kind") == "mock"
    where = "the embedded mock" if mock else "project(s) " + (", ".join(restore.get("projects") or []) or "?")
    status = restore.get("status")
    if status == "restored":
        return "", f"restore: {where} restored and verified ({restore.get('detail')})"
    if status == "failed":
        left = ("the embedded mock's state was left modified (no live project was touched)" if mock else
                f"a live project was left modified; the snapshot is kept in {snapshot.resolve()}: run "
                "`sip-contracts restore` on it")
        return "bold red", f"RESTORE FAILED: {restore.get('detail')} — {left}"
    return "", "restore: not needed (nothing was written)"


def result_lines(doc: dict[str, Any], paths: dict[str, Path], *, snapshot: Path) -> list[tuple[str, str]]:
    """(style, text) lines of the closing result: verdict, causes, restore, then report.html and the rest."""
    from contracts.report._summary import cause_line, causes, plural, run_warnings, server_errors_seen

    lines: list[tuple[str, str]] = []
    counts, req = doc["counts"], doc["requests"]
    lines.append((_STYLE.get(doc["verdict"], ""),
                  f"{doc['verdict'].upper()} — " + ", ".join(f"{k} {v}" for k, v in counts.items() if v)
                  + f" — {req['total']} requests in {doc['run']['duration_s']:.1f}s"
                  + (f" (retries {req['retries']})" if req["retries"] else "")
                  + (f" — {plural(server_errors_seen(doc), 'server error')} (5xx) seen"
                     if server_errors_seen(doc) else "")))
    found = causes(doc)
    if found:
        lines.append(("bold", f"{len(found)} root cause{'s' if len(found) != 1 else ''}:"))
        lines += [("", f"  {c['id']}: {cause_line(c)}") for c in found]
    base = doc.get("baseline") or {}
    if base:
        reg = base.get("clauses", {}).get("regression", [])
        drift = base.get("observations", {}).get("changed", [])
        lines.append(("", f"baseline: {len(reg)} regression(s), {len(drift)} changed observation(s)"))
    reasons = Counter(c.get("reason") or "" for c in doc["clauses"] if c["verdict"] == "skipped")
    lines += [("dim", f"skipped ×{n}: {reason or 'no reason given'}") for reason, n in reasons.most_common()]
    interrupted = doc["run"].get("interrupted")
    if interrupted:
        lines.append(("bold yellow", f"INTERRUPTED: {interrupted}; the clauses not run are inconclusive"))
    lines.append(_restore_line(doc, snapshot))
    lines += [("bold yellow", f"WARNING: {w}") for w in run_warnings(doc)]
    if "html" in paths:
        lines.append(("bold", f"open this first: {paths['html'].resolve()}"))
    for name in sorted(paths, key=lambda k: _OPEN_FIRST.index(k) if k in _OPEN_FIRST else len(_OPEN_FIRST)):
        if name != "html":
            lines.append(("", f"  {name}: {paths[name].resolve()}"))
    if doc["run"].get("command"):
        lines.append(("", f"re-run: {doc['run']['command']}"))
    return lines
