"""contracts.runner.multi: the targets file, its checks, grouping by project, a run on two mock spaces."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from contracts.cli import main
from contracts.errors import ConfigError
from contracts.mock import MockSpace, serving
from contracts.runner.multi import groups, load_targets, run_targets, worst

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "targets.toml"

MINIMAL = """
[targets.alpha]
base_url_env = "ALPHA_URL"
project_env = "ALPHA_PROJECT"
token_env = "ALPHA_TOKEN"
"""
ALPHA_ENV = {"ALPHA_URL": "http://127.0.0.1:9", "ALPHA_PROJECT": "p-alpha", "ALPHA_TOKEN": "t-alpha"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text)
    return path


def error_of(path: Path, env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as info:
        load_targets(path, env)
    message = str(info.value)
    assert "\n" not in message, "errors are one line"
    assert "t-alpha" not in message, "a token never appears in an error"
    return message


def test_minimal_file_loads(tmp_path: Path) -> None:
    (entry,) = load_targets(write(tmp_path, MINIMAL), ALPHA_ENV)
    assert entry.name == "alpha" and entry.allow_writes is None
    target = entry.target(ALPHA_ENV)
    assert target.base_url == "http://127.0.0.1:9" and target.primary.project_id == "p-alpha"
    assert target.primary.curl_user() == '"$ALPHA_PROJECT:$ALPHA_TOKEN"', "reproducers name our variables"
    assert "t-alpha" not in repr(entry) + repr(target)


def test_the_example_file_is_valid() -> None:
    text = EXAMPLE.read_text()
    names = re.findall(r'_env = "([A-Z0-9_]+)"', text)
    env = {name: "x" for name in names}
    env["STAGING_EU_SPACE"] = "staging-eu"
    env["STAGING_US_REST_BASE_URL"] = "https://staging-us.example.com"
    env["STAGING_EU_TEST_NUMBERS"] = "+12015550123"
    entries = load_targets(EXAMPLE, env)
    assert [e.name for e in entries] == ["staging-eu", "staging-us"]
    eu = entries[0].target(env)
    assert eu.host == "staging-eu.signalwire.com" and eu.secondary is not None and eu.novoice is not None


@pytest.mark.parametrize(("text", "env", "expected"), [
    (MINIMAL + 'colour = "blue"\n', ALPHA_ENV, "unknown key 'colour'"),
    ("[other]\n" + MINIMAL, ALPHA_ENV, "unknown top-level key 'other'"),
    ("", ALPHA_ENV, "no targets"),
    (MINIMAL, {**ALPHA_ENV, "ALPHA_TOKEN": ""}, "token_env names ALPHA_TOKEN, which is not set"),
    (MINIMAL, {"ALPHA_URL": "http://127.0.0.1:9", "ALPHA_TOKEN": "t"}, "ALPHA_PROJECT, which is not set"),
    (MINIMAL + 'space_env = "ALPHA_SPACE"\n', {**ALPHA_ENV, "ALPHA_SPACE": "x"}, "exactly one of"),
    (MINIMAL.replace('token_env = "ALPHA_TOKEN"\n', ""), ALPHA_ENV, "missing token_env"),
    (MINIMAL + 'secondary_project_env = "B"\n', {**ALPHA_ENV, "B": "b"}, "go together"),
    (MINIMAL + 'allow_writes = "example.com"\n', ALPHA_ENV, "does not name the target's host '127.0.0.1:9'"),
    (MINIMAL.replace("alpha]", '"../up"]'), ALPHA_ENV, "target name"),
    (MINIMAL.replace('"ALPHA_TOKEN"', '"not a name"'), ALPHA_ENV, "not an environment variable name"),
    (MINIMAL + "project_env = 3\n", ALPHA_ENV, "not a readable TOML file"),
    (MINIMAL, {**ALPHA_ENV, "ALPHA_URL": "ftp://x"}, "ALPHA_URL has value 'ftp://x'"),
], ids=lambda v: v if isinstance(v, str) and "\n" not in v and len(v) < 60 else "")
def test_bad_files_are_one_line_errors(tmp_path: Path, text: str, env: dict[str, str], expected: str) -> None:
    assert expected in error_of(write(tmp_path, text), env)


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in error_of(tmp_path / "nope.toml", {})


def test_run_targets_returns_2_before_any_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_targets(write(tmp_path, MINIMAL), workers=2, profile="quick", seed=1,
                       report_dir=tmp_path / "reports", env={}, finish=_never)
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and err.startswith("sip-contracts: error: ")
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"workers": 0}, "--workers must be at least 1"),
    ({"workers": 1, "profile": "nightly"}, "unknown profile 'nightly'"),
    ({"workers": 1, "baseline_dir": "/nonexistent"}, "a directory holding"),
])
def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str], kwargs: dict[str, object],
                       expected: str) -> None:
    assert run_targets(write(tmp_path, MINIMAL), env=ALPHA_ENV, finish=_never,
                       **kwargs) == 2  # type: ignore[arg-type]
    assert expected in capsys.readouterr().err


def _never(*_: object) -> int:
    raise AssertionError("no target may run when the configuration is refused")


def _cli(path: Path, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """``sip-contracts run --targets``, with only these variables set (as a CI job would have them)."""
    for key in [k for k in os.environ if k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return main(["run", "--targets", str(path), "--workers", "2", "--seed", "1", "--report-dir",
                 str(tmp_path / "reports"), "--example-db", "none", "--no-history"])


def test_worst_exit_code() -> None:
    assert worst([0, 0]) == 0
    assert worst([0, 3]) == 3
    assert worst([3, 1, 0]) == 1
    assert worst([1, 2]) == 2
    assert worst([3, 4]) == 4 and worst([4, 1]) == 1
    assert worst([]) == 0


def _pair_table(name: str, prefix: str) -> str:
    return (f'[targets.{name}]\nbase_url_env = "{prefix}_URL"\nproject_env = "{prefix}_P"\n'
            f'token_env = "{prefix}_T"\nsecondary_project_env = "{prefix}_SP"\n'
            f'secondary_token_env = "{prefix}_ST"\n')


def test_targets_sharing_a_project_share_a_group(tmp_path: Path) -> None:
    text = _pair_table("a", "A") + _pair_table("b", "B") + _pair_table("c", "C")
    url = "http://127.0.0.1:9"
    env = {"A_URL": url, "A_P": "p1", "A_T": "t", "A_SP": "p2", "A_ST": "t",
           "B_URL": url, "B_P": "p2", "B_T": "t", "B_SP": "p3", "B_ST": "t",   # p2 is a's secondary
           "C_URL": "http://127.0.0.2:9", "C_P": "p1", "C_T": "t", "C_SP": "p4", "C_ST": "t"}  # other host
    got = groups(load_targets(write(tmp_path, text), env), env)
    assert got["a"] == got["b"] != got["c"]
    assert all("p1" not in g for g in got.values()), "group names do not show project ids"


# -- real runs against mock spaces served over HTTP --------------------------------------------------------


def _table(name: str, prefix: str, url: str, *, swap: bool = False) -> str:
    first, second = ("SECONDARY", "PRIMARY") if swap else ("PRIMARY", "SECONDARY")
    return "\n".join([
        f"[targets.{name}]",
        f'base_url_env = "{prefix}_URL"',
        f'project_env = "{prefix}_{first}_ID"', f'token_env = "{prefix}_{first}_TOKEN"',
        f'secondary_project_env = "{prefix}_{second}_ID"', f'secondary_token_env = "{prefix}_{second}_TOKEN"',
        f'novoice_project_env = "{prefix}_NOVOICE_ID"', f'novoice_token_env = "{prefix}_NOVOICE_TOKEN"',
        f'numbers_env = "{prefix}_NUMBERS"',
        f'allow_writes = "{url.split("://", 1)[1]}"', "",
    ])


def _env(prefix: str, space: MockSpace, url: str) -> dict[str, str]:
    p = space.projects
    env = {f"{prefix}_URL": url, f"{prefix}_NUMBERS": "+12015550123"}
    for who in ("primary", "secondary", "novoice"):
        env[f"{prefix}_{who.upper()}_ID"] = p[who].project_id
        env[f"{prefix}_{who.upper()}_TOKEN"] = p[who].token
    return env


@pytest.fixture
def two_spaces() -> Iterator[list[tuple[MockSpace, str]]]:
    with ExitStack() as stack:
        spaces = [MockSpace(), MockSpace()]
        yield [(s, stack.enter_context(serving(s))) for s in spaces]


def _workers(out: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\S+): exit \d+ on (\S+)", out, flags=re.M))


@pytest.mark.http
@pytest.mark.slow
def test_two_projects_two_workers(tmp_path: Path, two_spaces: list[tuple[MockSpace, str]],
                                  capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (a, url_a), (b, url_b) = two_spaces
    path = write(tmp_path, _table("staging-a", "A", url_a) + _table("staging-b", "B", url_b))
    code = _cli(path, {**_env("A", a, url_a), **_env("B", b, url_b)}, tmp_path, monkeypatch)
    out = capfd.readouterr().out
    for name in ("staging-a", "staging-b"):
        doc = json.loads((tmp_path / "reports" / name / "conformance.json").read_text())
        assert doc["verdict"] == "pass", (name, [c["id"] for c in doc["clauses"] if c["verdict"] != "pass"])
        assert doc["run"]["seed"] == 1 and doc["run"]["writes_allowed"] is True
    assert code == 0, out
    assert a.request_log and b.request_log, "each target ran against its own space"
    workers = _workers(out)
    assert len(set(workers.values())) == 2, out
    for secret in (a.projects["primary"].token, b.projects["secondary"].token):
        assert secret not in (tmp_path / "reports" / "staging-a" / "conformance.json").read_text()


@pytest.mark.http
@pytest.mark.slow
def test_one_projects_singleton_is_never_shared_by_two_workers(
        tmp_path: Path, two_spaces: list[tuple[MockSpace, str]], capfd: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    (space, url), _ = two_spaces
    # Two targets on one space: the primary project as primary, then as secondary.
    path = write(tmp_path, _table("first", "S", url) + _table("second", "S", url, swap=True))
    code = _cli(path, _env("S", space, url), tmp_path, monkeypatch)
    out = capfd.readouterr().out
    workers = _workers(out)
    assert len(set(workers.values())) == 1, f"both targets must run on one worker: {out}"
    assert code == 0, out
