"""The ``sip-contracts`` command line.

Exit codes (the same for every command): 0 every clause passes; 1 contract violations (or a regression /
unwaived drift against the baseline, or a failed restore); 2 usage or configuration error, one line, no
traceback; 3 target unreachable or verdict inconclusive; 4 a bug in the suite itself.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .outcomes import ExitCode

__all__ = ["main"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INCONCLUSIVE, EXIT_SUITE_ERROR = (
    ExitCode.OK, ExitCode.FAIL, ExitCode.USAGE, ExitCode.INCONCLUSIVE, ExitCode.SUITE_ERROR)
DEFAULT_EXAMPLE_DB = ".hypothesis/sip-contracts"
#: User configuration is looked up from the working directory (where the user runs the suite), never
#: from inside the installed package.
DEFAULT_WAIVERS = "sip-contracts-waivers.yaml"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"sip-contracts: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sip-contracts", description="Contract tests for SignalWire's SIP profile API.")
    parser.add_argument("--version", action="version", version=f"sip-contracts {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run the conformance suite and write the reports")
    run.add_argument("--report-dir", default="reports", help="where the reports go (default: reports/)")
    run.add_argument("--seed", type=_positive_int, help="seed for every generator (default: random)")
    run.add_argument("--max-examples", type=_positive_int, help="examples per explored clause")
    run.add_argument("--profile", default="quick", help="quick (nightly, default) or deep (weekly)")
    run.add_argument("--allow-writes", metavar="HOST",
                     help="allow writes to this exact target host (host:port for a URL)")
    run.add_argument("--baseline", metavar="PATH", help="a previous conformance.json to compare against")
    run.add_argument("--waivers", metavar="PATH", help=f"waivers file (default: {DEFAULT_WAIVERS} in the "
                     "working directory, when it exists)")
    run.add_argument("--timeout", type=_float, help="seconds per request (default 10)")
    run.add_argument("--pace", type=_float, help="max requests per second (default: 4 for remote targets)")
    run.add_argument("--budget", type=_positive_int, help="hard cap on requests (default: per profile)")
    run.add_argument("--latency-factor", type=_float, metavar="X",
                     help="latency drift: an operation X times slower than in the baseline, relative to "
                          "the run's GETs (default 3)")
    run.add_argument("--example-db", metavar="DIR", default=DEFAULT_EXAMPLE_DB,
                     help=f"hypothesis example database (default {DEFAULT_EXAMPLE_DB}; 'none' disables it)")
    run.add_argument("--mutant", help="run against the embedded mock broken the named way")
    run.add_argument("--client-har", metavar="FILE",
                     help="a HAR (or VCR cassette) of your application talking to the API: its request "
                          "shape (headers, body formatting, media types; never credentials, cookies or "
                          "values) joins the client matrix as the 'har' profile")
    run.add_argument("--no-history", action="store_true", help="do not append to history.sqlite")
    run.add_argument("--targets", metavar="PATH", help="a TOML file naming several targets "
                     "(examples/targets.toml); each writes REPORT_DIR/<name>/")
    run.add_argument("--workers", type=_positive_int,
                     help="with --targets: how many targets run at once (worker processes; default 1)")
    run.add_argument("--quiet", action="store_true", help="no progress display")
    run.add_argument("--docs-upstream", metavar="PATH|URL",
                     help="also compare the fragment with SignalWire's published description (the "
                     "report's documentation section; never fails the run)")
    run.add_argument("--insecure-http", action="store_true",
                     help="allow Basic credentials over plain http to a host that is not loopback")

    mock = sub.add_parser("mock", help="serve the embedded mock over HTTP (Ctrl-C stops it)")
    mock.add_argument("--host", default="127.0.0.1")
    mock.add_argument("--port", type=_positive_int, default=8080)
    mock.add_argument("--mutant", help="serve the mock broken the named way")
    mock.add_argument("--latency", type=_float, default=0.0, help="seconds added to every answer")
    mock.add_argument("--error-rate", type=_float, default=0.0, help="fraction of answers that are 503")

    clauses = sub.add_parser("clauses", help="list the clause catalogue")
    clauses.add_argument("--json", action="store_true")

    report = sub.add_parser("report", help="re-render every report format from a conformance.json")
    report.add_argument("path")
    report.add_argument("--out", help="output dir (default: the file's dir)")

    merge = sub.add_parser("merge", help="combine several runs' conformance.json into one report (every "
                           "format, a per-target table, the worst verdict and exit code)")
    merge.add_argument("runs", nargs="+", metavar="RUN",
                       help="a conformance.json, a directory holding one, or NAME=either (default name: "
                       "the directory's)")
    merge.add_argument("--report-dir", default="reports", help="where the merged reports go")

    sub.add_parser("schema", help="print the JSON Schema of conformance.json (generated from the models)")

    restore = sub.add_parser("restore", help="put a snapshot.json back on the target")
    restore.add_argument("path")
    restore.add_argument("--allow-writes", metavar="HOST")

    docs = sub.add_parser("docs-diff", help="compare the fragment with SignalWire's published API "
                          "description (0 all differences known, 1 stale, 2 malformed, 3 unreachable)")
    docs.add_argument("--upstream", metavar="PATH|URL", help="the description (default: x-upstream.url "
                      "of the fragment, SignalWire's docs repository on GitHub)")
    docs.add_argument("--cache-dir", metavar="DIR", help="where a fetched copy is cached with its date "
                      "(default ~/.cache/sip-contracts)")
    docs.add_argument("--json", action="store_true", help="machine-readable output")

    check = sub.add_parser("check-traffic", help="judge recorded exchanges (HAR 1.2 files, VCR.py cassettes) "
                           "of your own application with every check that needs no request; sends none")
    check.add_argument("files", nargs="+", metavar="FILE", help="a .har file or a VCR.py cassette (.yaml)")
    check.add_argument("--report-dir", default="reports", help="where the reports go (default: reports/)")

    proxy = sub.add_parser("proxy", help="a validating proxy on loopback: forwards each request unchanged to "
                           "--upstream, judges each exchange; SIGINT/SIGTERM writes the reports and a HAR")
    proxy.add_argument("--upstream", required=True, metavar="URL",
                       help="the API's base URL (https; plain http only to a loopback host)")
    proxy.add_argument("--listen", default="127.0.0.1:8081", metavar="HOST:PORT",
                       help="loopback address to serve on (default 127.0.0.1:8081; port 0: a free one)")
    proxy.add_argument("--report-dir", default="reports", help="where the reports and traffic.har go")
    proxy.add_argument("--stop-after", type=_float, metavar="S",
                       help="stop by itself after S seconds (bounded runs), as on SIGTERM")

    mutants = sub.add_parser("mutants", help="list the mock's mutants or run the kill matrix")
    mutants.add_argument("--list", action="store_true")
    mutants.add_argument("--profile", default="quick")
    mutants.add_argument("--seed", type=_positive_int, default=1)
    mutants.add_argument("--report-dir", default="reports")
    mutants.add_argument("--only", nargs="*", help="run only these mutants")
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = {"run": cmd_run, "mock": cmd_mock, "clauses": cmd_clauses, "report": cmd_report,
                   "restore": cmd_restore, "mutants": cmd_mutants, "schema": cmd_schema,
                   "merge": cmd_merge, "docs-diff": cmd_docs_diff, "check-traffic": cmd_check_traffic,
                   "proxy": cmd_proxy}[args.command]
        code = handler(args)
        return _flushed(code)
    except ConfigError as exc:
        from contracts.redact import scrub_text

        print(f"sip-contracts: error: {scrub_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sip-contracts: interrupted", file=sys.stderr)
        return EXIT_INCONCLUSIVE
    except Exception as exc:  # a bug in the suite: one scrubbed line, never a traceback with secrets
        from contracts.redact import scrub_text

        print(f"sip-contracts: internal error (a bug in the suite, not the target): "
              f"{type(exc).__name__}: {scrub_text(str(exc))}", file=sys.stderr)
        return EXIT_SUITE_ERROR



def _flushed(code: int) -> int:
    """``code``, after stdout is flushed: a reader that stopped early (``sip-contracts run | head -2``) does
    not turn the run's exit code into a Python error at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's own advice: point stdout at devnull, so that the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


def _check_report_dir(path: Path) -> None:
    """An unwritable report dir is a configuration error found before any request, not after the run."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise ConfigError(f"--report-dir {path}: not writable ({exc.strerror or exc})") from None


def _report_error() -> type[Exception]:
    from .report import ReportError

    return ReportError


def _known_ids() -> set[str]:
    from .catalogue import CATALOGUE, OBSERVATION_IDS

    return {c.id for c in CATALOGUE} | set(OBSERVATION_IDS)


def _load_inputs(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """Baseline and waivers are read before any request: a bad one is exit 2, not a wasted run."""
    from . import report

    baseline = None
    try:
        if args.baseline:
            baseline = report.load_conformance(Path(args.baseline))
        waivers_path = args.waivers or (DEFAULT_WAIVERS if Path(DEFAULT_WAIVERS).is_file()
                                        else None)
        waivers = report.load_waivers(Path(waivers_path), _known_ids()) if waivers_path else []
    except _report_error() as exc:
        raise ConfigError(str(exc)) from None
    return baseline, waivers


def cmd_run(args: argparse.Namespace) -> int:
    from contracts.engine.config import load_config
    from contracts.redact import scrub
    from contracts.runner import execute
    from contracts.runner._rerun import rerun_command
    from contracts.terminal import ProgressPrinter

    from . import report

    if args.targets:
        return _run_targets(args)
    if args.workers is not None:
        raise ConfigError("--workers applies to --targets only (several targets at once); this run has one "
                          "target")
    if args.baseline and not Path(args.baseline).is_file():
        raise ConfigError(f"--baseline {args.baseline}: no such file")
    cfg = load_config(profile=args.profile, seed=args.seed, report_dir=args.report_dir,
                      allow_writes=args.allow_writes, timeout_s=args.timeout, pace_rps=args.pace,
                      budget=args.budget, max_examples=args.max_examples,
                      example_db=args.example_db,
                      mutant=args.mutant, insecure_http=args.insecure_http,
                      latency_factor=args.latency_factor, client_har=args.client_har)
    if args.mutant:
        _check_mutant(args.mutant)
    baseline, waivers = _load_inputs(args)
    _check_report_dir(cfg.report_dir)
    printer = ProgressPrinter(cfg, enabled=not args.quiet)
    documentation = _docs_section(args.docs_upstream)  # before the run: never mixed into its requests
    outcome = execute(cfg, progress=printer.update)
    doc = scrub(outcome.doc, cfg.target.secrets(), cfg.target.basic_pairs())
    if documentation is not None:
        doc["documentation"] = documentation
    doc["run"]["command"] = rerun_command(cfg, baseline=args.baseline, waivers=args.waivers,
                                          docs_upstream=args.docs_upstream,
                                          report_dir=None if args.report_dir == "reports"
                                          else args.report_dir)
    finished = report.finish(doc, baseline=baseline, baseline_path=args.baseline, waivers=waivers)
    paths = report.write_all(finished, cfg.report_dir, history=not args.no_history)
    printer.summary(finished.dump(), paths)
    return int(finished.exit_code)


def _run_targets(args: argparse.Namespace) -> int:
    """Several staging projects in one job: the runner runs them in worker processes (contracts.runner.multi)
    and hands each document back here, where it is finished and written like a single run's."""
    from contracts import report
    from contracts.redact import scrub
    from contracts.runner.multi import TargetEntry, run_targets

    if args.mutant or args.allow_writes:
        raise ConfigError("with --targets, --mutant does not apply and allow_writes is set per target "
                          "in the file")
    _, waivers = _load_inputs(argparse.Namespace(**{**vars(args), "baseline": None}))
    options = {key: value for key, value in (("timeout_s", args.timeout), ("pace_rps", args.pace),
                                             ("budget", args.budget), ("max_examples", args.max_examples))
               if value is not None}

    def finish(entry: TargetEntry, doc: dict[str, Any], baseline_path: Path | None) -> int:
        baseline = report.load_conformance(baseline_path) if baseline_path else None
        target = entry.target(os.environ)
        doc = scrub(doc, target.secrets(), target.basic_pairs())
        doc["run"]["command"] = _targets_command(args, doc["run"].get("seed"))
        finished = report.finish(doc, baseline=baseline, baseline_path=baseline_path, waivers=waivers)
        report.write_all(finished, Path(args.report_dir) / entry.name, history=not args.no_history)
        return int(finished.exit_code)

    return run_targets(args.targets, workers=args.workers or 1, finish=finish, profile=args.profile,
                       seed=args.seed, report_dir=args.report_dir, baseline_dir=args.baseline,
                       waivers=args.waivers, example_db=args.example_db, options=options)


def _targets_command(args: argparse.Namespace, seed: Any) -> str:
    """The re-run command of a --targets run: every option that shaped it (the file names no secret)."""
    import shlex

    argv = ["sip-contracts", "run", "--targets", args.targets, "--workers", str(args.workers or 1),
            "--profile", args.profile] + (["--seed", str(seed)] if seed is not None else [])
    for flag, value in (("--timeout", args.timeout), ("--pace", args.pace), ("--budget", args.budget),
                        ("--max-examples", args.max_examples), ("--baseline", args.baseline),
                        ("--waivers", args.waivers), ("--docs-upstream", args.docs_upstream)):
        if value is not None:
            argv += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    if args.example_db != DEFAULT_EXAMPLE_DB:
        argv += ["--example-db", str(args.example_db)]
    if args.report_dir != "reports":
        argv += ["--report-dir", args.report_dir]
    return shlex.join(argv)


def _check_mutant(name: str) -> None:
    from .mock import MUTANTS

    if name not in MUTANTS:
        raise ConfigError(f"unknown mutant {name!r}; see `sip-contracts mutants --list`")


def cmd_mock(args: argparse.Namespace) -> int:
    from .mock import Faults, MockConfig, MockSpace, describe, serve

    if args.mutant:
        _check_mutant(args.mutant)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError(f"--host {args.host}: the mock serves on loopback only")
    if args.latency < 0:
        raise ConfigError(f"--latency {args.latency:g}: seconds must not be negative")
    if not 0 <= args.error_rate <= 1:
        raise ConfigError(f"--error-rate {args.error_rate:g}: a fraction between 0 and 1")
    if args.port > 65535:
        raise ConfigError(f"--port {args.port}: not a TCP port (0-65535)")
    faults = Faults(latency_s=args.latency, error_rate=args.error_rate)
    space = MockSpace(MockConfig(), mutant=args.mutant, faults=faults)

    def ready(url: str) -> None:
        print(describe(space, base_url=url), flush=True)
        print(f"Serving the embedded mock on {url} — Ctrl-C stops it.", flush=True)

    try:
        serve(space, host=args.host, port=args.port, on_ready=ready)
    except OSError as exc:  # the socket could not be bound: the user's choice of port, not a suite bug
        raise ConfigError(f"--port {args.port}: cannot listen on {args.host}:{args.port} "
                          f"({exc.strerror or exc}); pick another port or --port 0 for a free one") from None
    return EXIT_OK


def cmd_clauses(args: argparse.Namespace) -> int:
    from .catalogue import CATALOGUE

    rows = [{"id": c.id, "area": c.area, "kind": c.kind, "title": c.title, "source": c.source,
             "where": c.where, "reading": c.reading, "needs": list(c.needs), "observes": list(c.observes),
             "check": c.check_name} for c in CATALOGUE]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    from rich.table import Table

    from contracts.terminal import PipeSafeConsole

    table = Table(title=f"{len(rows)} clauses", show_lines=False)
    for col in ("id", "area", "kind", "title", "check"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(str(row["id"]), str(row["area"]), str(row["kind"]), str(row["title"]),
                      str(row["check"]).split(".")[-1])
    PipeSafeConsole(width=max(140, int(os.environ.get("COLUMNS", "0") or 0))).print(table)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from . import report

    try:
        paths = report.rerender(Path(args.path), Path(args.out) if args.out else None)
    except _report_error() as exc:
        raise ConfigError(str(exc)) from None
    for name, path in sorted(paths.items()):
        print(f"{name}: {path}")
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    """The merge job of a CI matrix: each run was finished (baseline, waivers, restore) where it ran."""
    from . import report
    from .report._merge import merge

    runs = []
    for given in args.runs:
        name, _, where = given.partition("=") if "=" in given else ("", "", given)
        path = Path(where)
        file = path / "conformance.json" if path.is_dir() else path
        if not file.is_file():
            raise ConfigError(f"merge {given}: no conformance.json there")
        try:
            runs.append((name or file.resolve().parent.name, report.load_conformance(file)))
        except _report_error() as exc:
            raise ConfigError(str(exc)) from None
    try:
        merged = merge(runs, command="sip-contracts merge " + " ".join(args.runs))
        paths = report.write_all(merged, Path(args.report_dir), history=False)
    except _report_error() as exc:
        raise ConfigError(str(exc)) from None
    for row in merged.targets or []:
        print(f"{row.name}: {row.verdict} (exit {row.exit_code}) {row.host}"
              + (f" failing {', '.join(row.failing)}" if row.failing else ""))
    print(f"merged: {merged.verdict} (exit {merged.exit_code}); report: {paths['html']}")
    return int(merged.exit_code)


def cmd_schema(args: argparse.Namespace) -> int:
    from contracts.document import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from contracts.engine.client import Client
    from contracts.engine.config import check_write_guard, target_from_env
    from contracts.engine.safety import SnapshotStore, restore_profiles

    try:
        snap = SnapshotStore.load(Path(args.path))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read snapshot {args.path}: {exc}") from None
    target = target_from_env()
    if target is None:
        raise ConfigError("restore needs the SIGNALWIRE_* variables of the target the snapshot came from")
    if snap["target"]["host"] != target.host:
        raise ConfigError(f"the snapshot is of {snap['target']['host']!r} but the target is {target.host!r}")
    allow = args.allow_writes or os.environ.get("SIP_CONTRACTS_ALLOW_WRITES")
    if not check_write_guard(target, allow):
        raise ConfigError(f"restoring writes: pass --allow-writes {target.host}")
    client = Client(base_url=target.base_url, allow_writes=True, budget=20)
    from .errors import NoAnswer

    try:
        result = restore_profiles(client, target, snap["profiles"])
    except NoAnswer as exc:
        print(f"sip-contracts: restore: no answer from the target: {exc}", file=sys.stderr)
        return EXIT_INCONCLUSIVE
    print(f"restore: {result['status']} ({result['detail']})")
    if result["status"] != "restored":
        return EXIT_FAIL
    # Keep it for the record, but under a name that a later `restore` will not pick up by mistake: running
    # it again would silently undo legitimate changes made since.
    done = Path(args.path).with_name(f"snapshot.restored-{int(time.time())}.json")
    Path(args.path).rename(done)
    print(f"the snapshot is kept as {done}")
    return EXIT_OK


def _docs_section(upstream: str | None) -> dict[str, Any] | None:
    """The report's documentation section; a fetch failure is recorded there, never fails the run."""
    if not upstream:
        return None
    from .docsdiff import docs_diff

    return docs_diff(upstream).as_section()


def cmd_docs_diff(args: argparse.Namespace) -> int:
    from .docsdiff import docs_diff, render_text

    result = docs_diff(args.upstream, cache_dir=Path(args.cache_dir) if args.cache_dir else None)
    if args.json:
        print(json.dumps(result.as_section(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result), file=sys.stderr if result.exit_code in (2, 3) else sys.stdout)
    return result.exit_code


def cmd_check_traffic(args: argparse.Namespace) -> int:
    from .recorded import TrafficFileError
    from .traffic import check_traffic

    report_dir = Path(args.report_dir)
    _check_report_dir(report_dir)
    try:
        return check_traffic(args.files, report_dir=report_dir)
    except TrafficFileError as exc:
        raise ConfigError(str(exc)) from None


def _listen(value: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    from .env import is_loopback_host

    try:
        parts = urlsplit(f"//{value}")
        host, port = parts.hostname or "", parts.port
    except ValueError:
        host, port = "", None
    if port is None or not host:
        raise ConfigError(f"--listen {value}: expected HOST:PORT, e.g. 127.0.0.1:8081")
    if not is_loopback_host(host):
        raise ConfigError(f"--listen {value}: the proxy serves on loopback only (127.0.0.1, ::1, localhost)")
    return host, port


def cmd_proxy(args: argparse.Namespace) -> int:
    from .env import check_url
    from .traffic import run_proxy

    upstream = check_url(args.upstream, "--upstream")
    host, port = _listen(args.listen)
    if args.stop_after is not None and args.stop_after <= 0:
        raise ConfigError("--stop-after must be a positive number of seconds")
    report_dir = Path(args.report_dir)
    _check_report_dir(report_dir)
    try:
        return run_proxy(upstream, host=host, port=port, report_dir=report_dir, stop_after_s=args.stop_after)
    except OSError as exc:  # the socket could not be bound: the user's choice of port
        raise ConfigError(f"--listen {args.listen}: cannot listen there ({exc.strerror or exc})") from None


def cmd_mutants(args: argparse.Namespace) -> int:
    if args.list:
        return _show_mutants()
    from .mock import MUTANTS

    unknown = [name for name in args.only or [] if name not in MUTANTS]
    if unknown:
        raise ConfigError(f"--only: unknown mutant(s) {', '.join(unknown)}; "
                          "see `sip-contracts mutants --list`")
    if args.only is not None and not args.only:
        raise ConfigError("--only needs at least one mutant name; see `sip-contracts mutants --list`")
    return _kill_matrix(profile=args.profile, seed=args.seed, report_dir=Path(args.report_dir),
                        only=args.only)


def _judge(document: Any, baseline: dict[str, Any] | None) -> dict[str, Any]:
    from contracts import report

    return report.finish(document, baseline=baseline).dump()


def _kill_matrix(*, profile: str, seed: int, report_dir: Path, only: list[str] | None) -> int:
    """The runner returns the rows; printing them and writing the reports is the CLI's job."""
    from rich.table import Table

    from contracts import report
    from contracts.runner.killmatrix import matrix
    from contracts.terminal import PipeSafeConsole

    faithful, rows = matrix(judge=_judge, profile=profile, seed=seed, report_dir=report_dir / "killmatrix",
                            only=only)
    console = PipeSafeConsole(file=sys.stdout, width=160)
    table = Table(title=f"Kill matrix ({profile}, seed {seed}); faithful mock: {faithful['verdict']}")
    for col in ("mutant", "verdict", "caught by", "causes", "req. to 1st failure", "requests", "s"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["mutant"], r["verdict"], ", ".join(r["caught_by"][:3]), str(r["causes"]),
                      str(r["requests_to_first_failure"] or "-"), str(r["requests"]),
                      f"{r['duration_s']:.1f}")
    console.print(table)
    killed = sum(r["verdict"] == "killed" for r in rows)
    single = sum(r["causes"] == 1 for r in rows)
    console.print(f"{killed}/{len(rows)} mutants killed; {single}/{len(rows)} give exactly 1 root cause")
    faithful["mutants"] = rows
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "killmatrix.json").write_text(json.dumps(rows, indent=2))
    report.write_all(report.finish(faithful), report_dir / "killmatrix", history=False)
    return EXIT_OK if killed == len(rows) and faithful["exit_code"] == 0 else EXIT_FAIL


def _show_mutants() -> int:
    from rich.table import Table

    from contracts.terminal import PipeSafeConsole

    from .mock import MUTANTS

    table = Table(title=f"{len(MUTANTS)} mutants")
    for col in ("name", "area", "description", "expected to be caught by"):
        table.add_column(col, overflow="fold")
    for name, m in sorted(MUTANTS.items()):
        table.add_row(name, m.area, m.description, ", ".join(m.catches))
    PipeSafeConsole(width=160).print(table)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
