"""``pytest --sip-contracts``: one pytest item per clause, run through the CLI's own stepwise run.

Off unless ``--sip-contracts`` is given: without it this module only adds its options. With it, the
suite's clauses are collected as ``sip_profile::<ID>`` (so ``-k``, ``--lf``, ``-x``, ``--junitxml`` and
IDE runners work), the configuration is the CLI's (``SIGNALWIRE_*``, else the embedded mock), and the run
is :class:`contracts.runner.Run`, the object ``sip-contracts run`` itself uses: the snapshot hook saves each
profile before its first write, and :meth:`~contracts.runner.Run.finish` restores it under the shield.
The finish happens in ``pytest_sessionfinish``, which pytest reaches after the last item, after ``-x`` or
``--maxfail`` and after Ctrl-C/SIGTERM alike; the four reports are written there.

Verdicts: pass -> passed; fail -> failed (the violation, expected/actual and the curl reproducer);
skipped -> skipped with its reason; error (a bug in the suite) -> a pytest error (raised in setup);
inconclusive -> skipped with "INCONCLUSIVE: <reason>", and the session exit status becomes 3 (the CLI's
"inconclusive") when nothing failed: pytest has no outcome for "no verdict", a pass would claim
conformance that was not shown and a failure would blame the target for our not getting an answer.
xfail is not used: it means "expected to fail", which is a different claim.
"""

from __future__ import annotations

import inspect
import json
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import ExceptionInfo, TerminalRepr

    from contracts.clauses import Clause
    from contracts.document import Conformance
    from contracts.engine.config import RunConfig
    from contracts.engine.verdicts import ClauseResult
    from contracts.runner import Run

__all__ = ["ClauseItem", "SipContracts", "configure_collection", "pytest_addoption"]

PLUGIN_NAME = "sip_contracts_collect"
COLLECTOR_NAME = "sip_profile"
EXIT_INCONCLUSIVE = 3


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sip-contracts", "SIP profile contract suite (sip-contracts)")
    group.addoption("--sip-contracts", action="store_true", default=False,
                    help="collect one test per clause of the SIP profile contract suite (sip_profile::ID); "
                    "target from SIGNALWIRE_*, else the embedded mock")
    group.addoption("--sip-profile", default="quick", help="quick (default) or deep, as `sip-contracts run`")
    group.addoption("--sip-allow-writes", metavar="HOST", default=None,
                    help="allow writes to this exact target host (host:port for a URL)")
    group.addoption("--sip-report-dir", metavar="DIR", default="reports",
                    help="where the four reports go (default: reports/)")
    group.addoption("--sip-seed", type=int, default=None, help="seed for every generator (default: random)")
    group.addoption("--sip-mutant", metavar="NAME", default=None,
                    help="run against the embedded mock broken the named way (`sip-contracts run --mutant`)")
    group.addoption("--sip-baseline", metavar="PATH", default=None,
                    help="a previous conformance.json to compare against")
    group.addoption("--sip-waivers", metavar="PATH", default=None, help="a waivers file")


def configure_collection(config: pytest.Config) -> None:
    """Called by the entry module's ``pytest_configure``: registers the collection when asked for."""
    if not config.getoption("sip_contracts"):
        return
    if getattr(config, "workerinput", None) is not None or config.getoption("numprocesses", None):
        # Every worker would run its own snapshot/restore against the same singleton profile.
        raise pytest.UsageError("--sip-contracts runs in one process: drop -n/--numprocesses (several "
                                "targets: `sip-contracts run --targets`)")
    config.pluginmanager.register(SipContracts(config), PLUGIN_NAME)


def _usage(exc: Exception) -> pytest.UsageError:
    from contracts.redact import scrub_text

    return pytest.UsageError(f"--sip-contracts: {scrub_text(str(exc))}")


class SipContracts:
    """The collection and the run: configured before collection, started by the first item, finished at
    the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.cfg = self._load_config()  # a bad configuration is a usage error before any request
        self.baseline, self.waivers = self._load_inputs()
        self.selected: list[Clause] = []
        self.run: Run | None = None
        self.document: Conformance | None = None
        self.paths: dict[str, Path] = {}
        self.aborted = False  # the run stopped the session: the target stopped answering

    def _load_config(self) -> RunConfig:
        from contracts.cli import DEFAULT_EXAMPLE_DB, _check_mutant, _check_report_dir
        from contracts.engine.config import load_config
        from contracts.errors import ConfigError

        opt = self.config.getoption
        try:
            cfg = load_config(profile=opt("sip_profile"), seed=opt("sip_seed"),
                              report_dir=opt("sip_report_dir"), allow_writes=opt("sip_allow_writes"),
                              example_db=DEFAULT_EXAMPLE_DB, mutant=opt("sip_mutant"))
            if opt("sip_mutant"):
                _check_mutant(opt("sip_mutant"))
            _check_report_dir(cfg.report_dir)
        except ConfigError as exc:
            raise _usage(exc) from None
        return cfg

    def _load_inputs(self) -> tuple[Any, list[Any]]:
        from contracts import report
        from contracts.cli import _known_ids

        opt = self.config.getoption
        try:
            base, waived = opt("sip_baseline"), opt("sip_waivers")
            baseline = report.load_conformance(Path(base)) if base else None
            waivers = report.load_waivers(Path(waived), _known_ids()) if waived else []
        except report.ReportError as exc:
            raise _usage(exc) from None
        return baseline, waivers

    # -- collection --------------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Any:
        """The clauses hang off the session itself, beside whatever else pytest collects: ``-k``,
        ``--lf``, ``--collect-only`` and the "collected N items" count then treat them like any test."""
        report = yield
        if isinstance(collector, pytest.Session) and report.passed:
            report.result.append(ClauseCollector.from_parent(collector, name=COLLECTOR_NAME,
                                                             nodeid=COLLECTOR_NAME))
        return report

    @pytest.hookimpl(trylast=True)  # after every filter: the run covers exactly the selected clauses
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.selected = [i.clause for i in session.items if isinstance(i, ClauseItem)]

    def start(self) -> Run:
        from contracts.runner import Run, ordered_clauses

        if self.run is None:
            chosen = {c.id for c in self.selected}
            clauses = [c for c in ordered_clauses() if c.id in chosen]
            self.run = Run(self.cfg, clauses=clauses).start()
        return self.run

    # -- the end -----------------------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.run is None:
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED and not self.run.interrupted:
            self.run.interrupt()
        elif (session.shouldstop or session.shouldfail) and not self.run.interrupted:  # -x, --maxfail
            self.run.interrupted = f"stopped by pytest: {session.shouldstop or session.shouldfail}"
        outcome = self.run.finish()
        self.document = doc = self._write(outcome.doc)
        # Keep the exit status honest: pytest's own non-zero status (failures, interrupt, usage) stands;
        # otherwise the run's verdict decides (1 a failed restore or a regression, 3 inconclusive, 4 a
        # suite bug that pytest did not see as an error); an unreachable target stops the session (pytest
        # calls that "interrupted", 2) and exits 3, as the CLI does, unless a clause failed.
        ours = self.aborted and session.exitstatus == pytest.ExitCode.INTERRUPTED
        if (session.exitstatus == pytest.ExitCode.OK or ours) and doc.exit_code:
            session.exitstatus = int(doc.exit_code)

    def _write(self, data: dict[str, Any]) -> Conformance:
        from contracts import report
        from contracts.redact import scrub

        cfg = self.cfg
        target = cfg.target
        data["run"]["command"] = shlex.join(["pytest", *self.config.invocation_params.args])
        data = scrub(data, target.secrets(), target.basic_pairs())
        finished = report.finish(data, baseline=self.baseline, baseline_path=self.config.getoption(
            "sip_baseline"), waivers=self.waivers)
        self.paths = report.write_all(finished, cfg.report_dir)
        return finished

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        doc = self.document
        if doc is None:
            return
        terminalreporter.section("sip-contracts")
        line = terminalreporter.write_line
        line(f"verdict: {doc.verdict} (exit code {doc.exit_code}); target {doc.target.host}; "
             f"{doc.requests.total} requests")
        line(f"restore: {doc.restore.status} ({doc.restore.detail})")
        if doc.run.interrupted:
            line(f"interrupted: {doc.run.interrupted}")
        for name in ("json", "junit", "markdown", "html"):
            if name in self.paths:
                line(f"{name}: {self.paths[name]}")


class ClauseCollector(pytest.Collector):
    """The parent node of the clause items (``sip_profile``); collected by the plugin, not from files."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        from contracts.runner import ordered_clauses

        clauses = ordered_clauses()
        # Monitor clauses judge the traffic of every other clause, so they are reported last.
        clauses = [c for c in clauses if c.watch is None] + [c for c in clauses if c.watch is not None]
        return [ClauseItem.from_parent(self, name=c.id, clause=c) for c in clauses]


class ClauseFailed(Exception):
    """The clause's verdict is fail; carries the result for the report."""

    def __init__(self, result: ClauseResult) -> None:
        super().__init__(result.reason)
        self.result = result


class ClauseError(Exception):
    """The clause's verdict is error: a bug in the suite, reported as a pytest error."""


class ClauseItem(pytest.Item):
    def __init__(self, *, clause: Clause, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clause = clause
        self.result: ClauseResult | None = None
        self.extra_keyword_matches.update({clause.area, clause.kind})

    def _plugin(self) -> SipContracts:
        plugin = self.config.pluginmanager.get_plugin(PLUGIN_NAME)
        assert isinstance(plugin, SipContracts)
        return plugin

    def setup(self) -> None:
        # The clause runs in setup so that a suite bug is a pytest *error*, not a failure of the target.
        from contracts.errors import SuiteAbort

        run = self._plugin().start()
        try:
            run.run(self.clause)
        except SuiteAbort as exc:
            run.abort(exc)
            self._plugin().aborted = True
            self.session.shouldstop = run.interrupted or "the target stopped answering"
            _skip(f"INCONCLUSIVE: {run.interrupted}")
        self.result = result = run.judged(self.clause)
        self.user_properties.extend([("verdict", result.verdict), ("requests", result.requests)])
        for obs in run.session.observations:
            if obs.clause == self.clause.id:
                self.user_properties.append((obs.id, json.dumps(obs.value, sort_keys=True)))
        if result.verdict == "error":
            raise ClauseError(result.reason)
        if result.verdict == "skipped":
            # The run's reasons name the CLI's options; here they are spelt with the sip- prefix.
            _skip((result.reason or "skipped").replace("--allow-writes", "--sip-allow-writes"))
        if result.verdict == "inconclusive":
            _skip(f"INCONCLUSIVE: {result.reason}")

    def runtest(self) -> None:
        if self.result is not None and self.result.verdict == "fail":
            raise ClauseFailed(self.result)

    def repr_failure(self, excinfo: ExceptionInfo[BaseException],
                     style: Any = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, ClauseFailed):
            from contracts.redact import scrub_text

            return scrub_text(_describe_failure(self.clause, excinfo.value.result),
                              self._plugin().cfg.target.secrets())
        if isinstance(excinfo.value, ClauseError):
            return f"{self.clause.id}: {excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        # The clause's check function: where an IDE jumps and where a skip is located.
        check = inspect.unwrap(self.clause.check)
        try:
            _, line = inspect.getsourcelines(check)
            return Path(inspect.getsourcefile(check) or self.path), line - 1, self.clause.id
        except (OSError, TypeError):
            return self.path, 0, self.clause.id


def _skip(reason: str) -> None:
    # Located at the clause item (as a skip marker is), not at this line of the plugin.
    raise pytest.skip.Exception(reason, _use_item_location=True)


def _describe_failure(clause: Clause, result: ClauseResult) -> str:
    lines = [f"{clause.id} {clause.title}", f"  source: {clause.source} ({clause.where})",
             f"  violation: {result.reason}"]
    for failure in result.failures:
        lines += [f"  - {failure.get('message', '')}", f"    expected: {failure.get('expected')}",
                  f"    actual:   {failure.get('actual')}"]
        if failure.get("reproducer"):
            lines.append(f"    reproduce: {failure['reproducer']}")
    return "\n".join(lines)
