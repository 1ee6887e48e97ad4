"""Judging the traffic users' own applications send: ``sip-contracts check-traffic`` and ``proxy``.

``check-traffic FILE…`` reads HAR files and VCR.py cassettes (``contracts.recorded``), ``proxy`` sees the
exchanges live; both hand each exchange of the endpoint to one :class:`Judge`, which judges it with the
run's own checks (``contracts.clauses._traffic``) and never sends a request. The result is a run document,
finished and written like a run's (``report.finish``, the four formats), each finding naming its
``file#entry``.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from contracts import report
from contracts.document import Conformance
from contracts.recorded import load_traffic
from contracts.redact import scrub, scrub_text
from contracts.spec import PATH

from ._har import har_document, write_har
from ._judge import Judge, Verdict, is_endpoint, judge_traffic
from ._proxy import Proxy, bind, line, serve_proxy

__all__ = ["HAR_NAME", "Judge", "Proxy", "Verdict", "check_traffic", "har_document", "is_endpoint",
           "judge_traffic", "run_proxy", "write_reports"]

#: What the proxy names the HAR of what it saw, in its report directory.
HAR_NAME = "traffic.har"


def write_reports(doc: Conformance, report_dir: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Scrub, finish (root causes, verdict, exit code) and write the four formats; no history (a file
    judged is not a night of the same target)."""
    finished = report.finish(scrub(doc.dump()))
    paths = report.write_all(finished, report_dir, history=False)
    return finished.dump(), paths


def _summary(doc: dict[str, Any], paths: dict[str, Path], out: IO[str]) -> None:
    from contracts.terminal import result_lines

    traffic = doc.get("traffic") or {}
    skipped = ", ".join(f"{n} {why}" for why, n in (traffic.get("not_judged") or {}).items())
    print(f"traffic: {traffic.get('judged', 0)} of {traffic.get('exchanges', 0)} exchanges judged in "
          f"{len(traffic.get('files') or [])} file(s), {len(traffic.get('projects') or [])} recorded "
          f"sequence(s)" + (f"; not judged: {skipped}" if skipped else "") + "; no request sent", file=out)
    if not traffic.get("judged"):
        print(f"no exchange of {PATH} was found (exit 3)", file=out)
    for note in traffic.get("ambiguous") or []:
        print(f"AMBIGUOUS ORDER (not judged): {note}", file=out)
    for _, text in result_lines(doc, paths, snapshot=Path("snapshot.json")):
        if not text.startswith("restore:"):
            print(scrub_text(text), file=out)


def check_traffic(paths: Sequence[str], *, report_dir: Path, out: IO[str] | None = None,
                  err: IO[str] | None = None) -> int:
    """``sip-contracts check-traffic``: judge every file, write the reports, return the exit code.

    Raises :class:`~contracts.recorded.TrafficFileError` (exit 2, one line) before anything is judged.
    """
    out, err = out or sys.stdout, err or sys.stderr
    records = [rec for path in paths for rec in load_traffic(path)]
    doc, verdicts = judge_traffic(paths, records)
    for verdict in verdicts:
        if verdict.violations or verdict.ambiguous:
            rec = next(r for r in records if r.where() == verdict.where)
            print(line(verdict, rec), file=err)
    finished, written = write_reports(doc, report_dir)
    _summary(finished, written, out)
    return int(finished["exit_code"])


def run_proxy(upstream: str, *, host: str, port: int, report_dir: Path, stop_after_s: float | None = None,
              out: IO[str] | None = None) -> int:
    """``sip-contracts proxy``: serve until SIGINT/SIGTERM (or ``stop_after_s``), then write the four reports
    and the HAR of what passed; return the exit code of the verdict."""
    out = out or sys.stdout
    proxy = Proxy(upstream, har_path=report_dir / HAR_NAME,
                  say=lambda text: print(text, file=out, flush=True))
    sock = bind(host, port)

    def ready(url: str) -> None:
        print(f"sip-contracts proxy: {url} -> {upstream}; point SIGNALWIRE_SPACE at "
              f"{url.split('://', 1)[1]} (or SIGNALWIRE_REST_BASE_URL at {url}); Ctrl-C or SIGTERM writes "
              f"the reports to {report_dir}", file=out, flush=True)

    serve_proxy(proxy, sock, stop_after_s=stop_after_s, on_ready=ready)
    command = shlex.join(["sip-contracts", "proxy", "--upstream", upstream, "--listen", f"{host}:{port}",
                          "--report-dir", str(report_dir)])
    doc = proxy.judge.document(command=command, started_at=proxy.started_at)
    har = write_har(proxy.records, report_dir / HAR_NAME)
    finished, written = write_reports(doc, report_dir)
    _summary(finished, {**written, "har": har}, out)
    return int(finished["exit_code"])
