"""Re-make the recorded examples: SignalWire's Python SDK talking to the suite's mock.

    python examples/record_traffic.py                      # examples/traffic/sdk-mock.{har,yaml}
    python examples/record_traffic.py --mutant stale-get --out /tmp/stale

An application's provisioning code (``provision`` below, the kind of thing ``examples/test_app_with_sdk.py``
tests) runs twice against the mock served on 127.0.0.1: once through ``sip-contracts proxy``, which writes
the HAR, and once under VCR.py, which writes the cassette (``filter_headers`` drops the Authorization
header, as pytest-recording users do). Then ``sip-contracts check-traffic`` judges either file:

    sip-contracts check-traffic examples/traffic/sdk-mock.har examples/traffic/sdk-mock.yaml

Needs the dev extra (``signalwire-sdk``, ``vcrpy``). Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STEM = "sdk-mock"


def provision(host: str, project: str, token: str) -> None:
    """What a provisioning app does with the profile: read it, set codecs and encryption, try a codec the
    service does not support (the app handles the 422), set ciphers and its SIP domain, read it back, and
    once use a revoked token (401)."""
    from signalwire.rest import RestClient, SignalWireRestError

    client = RestClient(project=project, token=token, host=host)
    client.sip_profile.get()
    client.sip_profile.update(default_codecs=["OPUS", "PCMU"], default_encryption="required")
    client.sip_profile.get()
    with contextlib.suppress(SignalWireRestError):  # G729 is not supported: the app keeps what it has
        client.sip_profile.update(default_codecs=["OPUS", "G729"])
    client.sip_profile.update(default_ciphers=["AES_CM_128_HMAC_SHA1_80"], domain_identifier="myapp-sip")
    client.sip_profile.get()
    revoked = RestClient(project=project, token="revoked-token-0000", host=host)
    with contextlib.suppress(SignalWireRestError):
        revoked.sip_profile.get()


def _project() -> tuple[str, str]:
    from contracts.env import MOCK_PROJECTS

    primary = next(p for p in MOCK_PROJECTS if p.who == "primary")
    return primary.project_id, primary.token


def record_har(mock_url: str, out: Path) -> tuple[Path, list[str]]:
    """The app through ``sip-contracts proxy`` (in a thread, stopped when the app is done): the HAR it
    wrote and the verdict it printed for each exchange as it passed."""
    from contracts.traffic import Proxy
    from contracts.traffic._har import write_har
    from contracts.traffic._proxy import bind, serve_proxy

    proxy = Proxy(mock_url, har_path=out / f"{STEM}.har", say=lambda _line: None)
    sock = bind("127.0.0.1", 0)
    box: list[Any] = []
    ready = threading.Event()
    thread = threading.Thread(target=serve_proxy, args=(proxy, sock),
                              kwargs={"on_ready": lambda _url: ready.set(), "server_box": box,
                                      "stop_after_s": 60.0}, daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("the proxy did not start")
    host = f"127.0.0.1:{sock.getsockname()[1]}"
    try:
        provision(host, *_project())
    finally:
        box[0].should_exit = True
        thread.join(10)
    return write_har(proxy.records, out / f"{STEM}.har"), [v.word for v in proxy.verdicts]


def record_cassette(mock_url: str, out: Path) -> Path:
    """The app under VCR.py, as pytest-recording runs it."""
    import vcr

    path = out / f"{STEM}.yaml"
    path.unlink(missing_ok=True)
    with vcr.use_cassette(str(path), record_mode="all", filter_headers=["authorization"]):
        provision(mock_url.split("://", 1)[1], *_project())
    return path


def record(out: Path, mutant: str | None = None) -> tuple[Path, Path]:
    """Both recordings against a fresh mock each (faithful, or broken the ``mutant`` way)."""
    from contracts.mock import MockConfig, MockSpace, serving

    out.mkdir(parents=True, exist_ok=True)
    with serving(MockSpace(MockConfig(), mutant=mutant, seed=1)) as url:
        har, _ = record_har(url, out)
    with serving(MockSpace(MockConfig(), mutant=mutant, seed=1)) as url:
        cassette = record_cassette(url, out)
    return har, cassette


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "traffic")
    parser.add_argument("--mutant", help="record against the mock broken this way (sip-contracts mutants)")
    args = parser.parse_args()
    started = time.monotonic()
    for path in record(args.out, args.mutant):
        print(path)
    print(f"recorded in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
