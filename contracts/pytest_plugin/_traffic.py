"""``pytest --sip-check-traffic``: judge the VCR.py cassettes a user's session recorded, at its end.

A user's own tests, run with ``pytest-recording`` (``@pytest.mark.vcr``), leave one cassette per test in
``<test dir>/cassettes/<module>/`` (pytest-recording's default place). With this option the session's end
reads the cassettes of every collected test that carries the ``vcr`` marker, plus any ``--sip-traffic-path``
(a cassette, a HAR file or a folder of them), judges them like ``sip-contracts check-traffic``, writes the
four reports to ``--sip-report-dir`` and fails the session (exit 1) on a violation or an unreadable file.
Nothing is sent: the judge has no client that could. Under pytest-xdist the controlling process sees no
collected test, so the cassettes are named with ``--sip-traffic-path`` there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

__all__ = ["PLUGIN_NAME", "TrafficCheck", "add_options", "configure_traffic"]

PLUGIN_NAME = "sip_contracts_traffic"
_SUFFIXES = (".yaml", ".yml", ".json", ".har")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("sip-contracts")
    group.addoption("--sip-check-traffic", action="store_true", default=False,
                    help="at the end of the session, judge the VCR.py cassettes of the tests marked vcr "
                    "(pytest-recording) like `sip-contracts check-traffic`; a violation fails the session")
    group.addoption("--sip-traffic-path", action="append", default=[], metavar="PATH",
                    help="with --sip-check-traffic: also judge this cassette, HAR file or folder of them "
                    "(under -n/xdist: the only way to name them)")


def configure_traffic(config: pytest.Config) -> None:
    if config.getoption("sip_check_traffic") and getattr(config, "workerinput", None) is None:
        config.pluginmanager.register(TrafficCheck(config), PLUGIN_NAME)


def _files(where: Path) -> list[Path]:
    if where.is_dir():
        return sorted(p for p in where.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
    return [where] if where.exists() else []


class TrafficCheck:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.folders: set[Path] = set()
        self.lines: list[str] = []

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            path = getattr(item, "path", None)
            if path is not None and item.get_closest_marker("vcr") is not None:
                self.folders.add(Path(path).parent / "cassettes" / Path(path).stem)

    def files(self) -> list[str]:
        given = [Path(p) for p in self.config.getoption("sip_traffic_path")]
        found = {f for where in [*sorted(self.folders), *given] for f in _files(where)}
        return [str(f) for f in sorted(found)]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        import io

        from contracts.recorded import TrafficFileError
        from contracts.traffic import check_traffic

        files = self.files()
        if not files:
            self.lines = ["sip-check-traffic: no cassette found (tests marked vcr record them under "
                          "cassettes/<module>/; --sip-traffic-path adds more)"]
            return
        out, err = io.StringIO(), io.StringIO()
        report_dir = Path(self.config.getoption("sip_report_dir"))
        try:
            code = check_traffic(files, report_dir=report_dir, out=out, err=err)
        except TrafficFileError as exc:
            self.lines, code = [f"sip-check-traffic: {exc}"], 1
        else:
            self.lines = [f"sip-check-traffic: {len(files)} file(s)", *err.getvalue().splitlines(),
                          *out.getvalue().splitlines()]
        if code == 1 and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.lines:
            terminalreporter.section("sip-contracts check-traffic")
            for text in self.lines:
                terminalreporter.write_line(text)
