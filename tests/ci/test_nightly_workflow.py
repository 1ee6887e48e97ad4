"""The nightly workflow: its structure, its shell steps run for real, a schema and lint check if available."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "nightly.yml"
SECRETS = ("SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE",
           "SIGNALWIRE_SECONDARY_PROJECT_ID", "SIGNALWIRE_SECONDARY_API_TOKEN",
           "SIGNALWIRE_NOVOICE_PROJECT_ID", "SIGNALWIRE_NOVOICE_API_TOKEN", "SIGNALWIRE_TEST_NUMBERS")
DB = ".hypothesis/sip-contracts"


@pytest.fixture(scope="module")
def wf() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def job(wf: dict[Any, Any]) -> dict[str, Any]:
    jobs = wf["jobs"]
    assert list(jobs) == ["contracts", "merge"], "one job per target (a matrix), then the merge"
    job: dict[str, Any] = jobs["contracts"]
    return job


@pytest.fixture(scope="module")
def merge_job(wf: dict[Any, Any]) -> dict[str, Any]:
    job: dict[str, Any] = wf["jobs"]["merge"]
    return job


@pytest.fixture(scope="module")
def merge_steps(merge_job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(merge_job["steps"])


@pytest.fixture(scope="module")
def all_steps(steps: list[dict[str, Any]], merge_steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return steps + merge_steps


@pytest.fixture(scope="module")
def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def step(steps: list[dict[str, Any]], name: str) -> tuple[int, dict[str, Any]]:
    matches = [(i, s) for i, s in enumerate(steps) if name.lower() in s.get("name", "").lower()]
    assert len(matches) == 1, f"expected one step named like {name!r}, found {len(matches)}"
    return matches[0]


def triggers(wf: dict[Any, Any]) -> dict[str, Any]:
    on: dict[str, Any] = wf["on"] if "on" in wf else wf[True]  # PyYAML reads a bare `on` key as True
    return on


def uses(steps: list[dict[str, Any]], action: str) -> list[tuple[int, dict[str, Any]]]:
    return [(i, s) for i, s in enumerate(steps) if s.get("uses", "").startswith(action + "@")]


def test_triggers_nightly_weekly_and_manual(wf: dict[Any, Any]) -> None:
    on = triggers(wf)
    crons = [c["cron"] for c in on["schedule"]]
    assert len(crons) == 2
    assert any(c.split()[2:] == ["*", "*", "*"] for c in crons), "a nightly schedule"
    assert any(c.split()[4] != "*" for c in crons), "a weekly schedule"
    assert "workflow_dispatch" in on


def test_profile_follows_the_schedule(wf: dict[Any, Any], job: dict[str, Any],
                                      merge_job: dict[str, Any]) -> None:
    on = triggers(wf)
    weekly = next(c["cron"] for c in on["schedule"] if c["cron"].split()[4] != "*")
    assert f"github.event.schedule == '{weekly}' && 'deep'" in job["env"]["PROFILE"]
    assert "inputs.profile" in job["env"]["PROFILE"]
    assert merge_job["env"]["PROFILE"] == job["env"]["PROFILE"], "the merge reads the same profile's runs"


def test_one_run_at_a_time(wf: dict[Any, Any], job: dict[str, Any]) -> None:
    assert wf["concurrency"]["cancel-in-progress"] is False
    # Inside a run, a target's job holds its project's group: two entries naming one project serialise.
    assert job["concurrency"]["group"] == "sip-contracts-${{ matrix.secrets }}"
    assert job["concurrency"]["cancel-in-progress"] is False


def test_one_job_per_target_from_the_matrix(job: dict[str, Any]) -> None:
    strategy = job["strategy"]
    assert strategy["fail-fast"] is False, "one target's violations must not cancel the others"
    entries = strategy["matrix"]["include"]
    assert entries and all(set(e) == {"target", "secrets", "allow_writes_var"} for e in entries)
    names = [e["target"] for e in entries]
    assert len(set(names)) == len(names) and all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", n) for n in names)
    assert job["env"]["TARGET"] == "${{ matrix.target }}"
    assert "matrix.target" in job["name"]


def test_python_311_and_pip_install(steps: list[dict[str, Any]]) -> None:
    (_, setup), = uses(steps, "actions/setup-python")
    assert str(setup["with"]["python-version"]) == "3.11"
    _, install = step(steps, "install")
    assert re.search(r"pip install \.$", install["run"].strip())


def test_credentials_come_from_secrets_and_variables(job: dict[str, Any]) -> None:
    env = job["env"]
    for name in SECRETS:  # each target's own secrets: <prefix>_PROJECT_ID …
        suffix = name.removeprefix("SIGNALWIRE_")
        assert env[name] == f"${{{{ secrets[format('{{0}}_{suffix}', matrix.secrets)] }}}}"
    assert env["SIP_CONTRACTS_ALLOW_WRITES"] == "${{ vars[matrix.allow_writes_var] }}"
    # The first entry keeps the single-target names (SIGNALWIRE_PROJECT_ID …) of existing setups.
    first = job["strategy"]["matrix"]["include"][0]
    assert (first["secrets"], first["allow_writes_var"]) == ("SIGNALWIRE", "SIP_CONTRACTS_ALLOW_WRITES")


def test_no_literal_credentials_anywhere(wf: dict[Any, Any]) -> None:
    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif re.search(r"TOKEN|PROJECT_ID|SECRET", key):
            assert str(node).startswith("${{"), f"{key} has a literal value"

    walk(wf)


def test_the_secrets_are_checked_before_running(steps: list[dict[str, Any]]) -> None:
    i, check = step(steps, "check the secrets")
    j, _ = step(steps, "run the contract suite")
    assert i < j and "SIGNALWIRE_PROJECT_ID" in check["run"] and "exit 2" in check["run"]


def test_example_db_is_cached_between_runs(steps: list[dict[str, Any]]) -> None:
    from contracts import cli

    assert f'"{DB}"' in Path(cli.__file__).read_text(), "the workflow caches the CLI's default --example-db"
    (r, restore), = uses(steps, "actions/cache/restore")
    (s, save), = uses(steps, "actions/cache/save")
    run, _ = step(steps, "run the contract suite")
    assert r < run < s
    assert DB in restore["with"]["path"] and DB in save["with"]["path"]
    key = restore["with"]["key"]
    assert "github.run_id" in key and "matrix.target" in key and save["with"]["key"] == key
    prefix = restore["with"]["restore-keys"].strip()
    assert key.startswith(prefix)
    assert save["if"] == "always()", "failing examples are the ones worth keeping"


def test_baseline_is_optional(steps: list[dict[str, Any]]) -> None:
    i, fetch = step(steps, "fetch the baseline")
    j, run = step(steps, "run the contract suite")
    assert i < j
    assert fetch["continue-on-error"] is True
    assert "gh run download" in fetch["run"] and "--status success" in fetch["run"]
    assert '--name "reports-$PROFILE-$TARGET"' in fetch["run"], "each target's own last report"
    assert "GH_TOKEN" in fetch["env"]
    assert "[ -f baseline/conformance.json ]" in run["run"]


def test_reports_uploaded_and_summarised_before_the_job_fails(steps: list[dict[str, Any]]) -> None:
    run_i, run = step(steps, "run the contract suite")
    (up_i, upload), = uses(steps, "actions/upload-artifact")
    sum_i, summary = step(steps, "job summary")
    fail_i, fail = step(steps, "fail when")
    assert run["id"] == "run" and "sip-contracts run" in run["run"]
    assert "--profile" in run["run"] and "--report-dir reports" in run["run"]
    assert upload["if"] == "always()" and upload["with"]["path"].rstrip("/") == "reports"
    assert upload["with"]["name"] == "reports-${{ env.PROFILE }}-${{ matrix.target }}"
    assert summary["if"] == "always()"
    assert "cat reports/summary.md >> \"$GITHUB_STEP_SUMMARY\"" in summary["run"]
    assert run_i < up_i < fail_i and run_i < sum_i < fail_i
    assert fail_i == len(steps) - 1
    assert fail["if"] == "steps.run.outputs.exit_code != '0'"


def test_run_scripts_use_no_inline_expressions(all_steps: list[dict[str, Any]]) -> None:
    """Expressions go through `env:`; an inline ${{ }} in a script is an injection risk."""
    for s in all_steps:
        assert "${{" not in s.get("run", ""), s.get("name")


def test_run_scripts_are_valid_bash(all_steps: list[dict[str, Any]], tmp_path: Path) -> None:
    for s in all_steps:
        if "run" not in s:
            continue
        path = tmp_path / "step.sh"
        path.write_text(s["run"])
        done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{s.get('name')}: {done.stderr}"


# -- the run and fail steps, executed with a stand-in sip-contracts ------------------------------------------


def _fake_cli(bin_dir: Path, code: int) -> Path:
    bin_dir.mkdir()
    log = bin_dir / "args.txt"
    fake = bin_dir / "sip-contracts"
    fake.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "{log}"\nexit {code}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return log


def _bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **env})


@pytest.mark.parametrize("code", [0, 1, 3])
@pytest.mark.parametrize("with_baseline", [False, True])
def test_run_step_keeps_the_exit_code(steps: list[dict[str, Any]], tmp_path: Path, code: int,
                                      with_baseline: bool) -> None:
    _, run = step(steps, "run the contract suite")
    log = _fake_cli(tmp_path / "bin", code)
    if with_baseline:
        (tmp_path / "baseline").mkdir()
        (tmp_path / "baseline" / "conformance.json").write_text("{}")
    output = tmp_path / "github_output"
    done = _bash(run["run"], tmp_path, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}", PROFILE="quick",
                 GITHUB_OUTPUT=str(output))
    assert done.returncode == 0, "the run step itself never fails: upload comes first"
    assert output.read_text().strip() == f"exit_code={code}"
    args = log.read_text().split()
    assert args[:5] == ["run", "--profile", "quick", "--report-dir", "reports"]
    assert ("--baseline" in args) is with_baseline


@pytest.mark.parametrize(("code", "expected"), [("1", 1), ("2", 2), ("3", 3), ("", 1)])
def test_fail_step_fails_with_the_suites_code(steps: list[dict[str, Any]], tmp_path: Path, code: str,
                                              expected: int) -> None:
    _, fail = step(steps, "fail when")
    done = _bash(fail["run"], tmp_path, CODE=code)
    assert done.returncode == expected
    assert "::error::" in done.stdout


def test_secret_check_fails_without_secrets(steps: list[dict[str, Any]], tmp_path: Path) -> None:
    _, check = step(steps, "check the secrets")
    env = {k: "" for k in SECRETS[:3]}
    done = _bash(check["run"], tmp_path, **env)
    assert done.returncode == 2 and "SIGNALWIRE_API_TOKEN" in done.stdout
    done = _bash(check["run"], tmp_path, **{k: "x" for k in SECRETS[:3]})
    assert done.returncode == 0


# -- the merge job ------------------------------------------------------------------------------------------


def test_merge_job_runs_after_every_target_even_a_failing_one(merge_job: dict[str, Any],
                                                                merge_steps: list[dict[str, Any]]) -> None:
    assert merge_job["needs"] == "contracts" and merge_job["if"] == "always()"
    (d_i, download), = uses(merge_steps, "actions/download-artifact")
    m_i, merge = step(merge_steps, "merge the runs")
    (u_i, upload), = uses(merge_steps, "actions/upload-artifact")
    f_i, fail = step(merge_steps, "fail when")
    assert download["with"]["pattern"] == "reports-${{ env.PROFILE }}-*"
    assert download["with"]["path"] == "runs" and "merge-multiple" not in download["with"]
    assert merge["id"] == "merge" and "sip-contracts merge" in merge["run"]
    assert upload["if"] == "always()" and upload["with"]["path"].rstrip("/") == "merged"
    assert d_i < m_i < u_i < f_i == len(merge_steps) - 1
    assert fail["if"] == "steps.merge.outputs.exit_code != '0'"


def test_docs_diff_runs_once_in_the_merge_job_and_never_fails_it(steps: list[dict[str, Any]],
                                                                 merge_steps: list[dict[str, Any]]) -> None:
    assert not [s for s in steps if "docs-diff" in s.get("run", "")], "not once per target"
    _, docs = step(merge_steps, "documentation drift")
    assert docs["continue-on-error"] is True and "sip-contracts docs-diff" in docs["run"]
    assert docs["run"].rstrip().endswith("exit 0")


def _runs(tmp_path: Path, *targets: tuple[str, bool]) -> None:
    for name, wrote in targets:
        folder = tmp_path / "runs" / f"reports-quick-{name}"
        folder.mkdir(parents=True)
        if wrote:
            (folder / "conformance.json").write_text("{}")


@pytest.mark.parametrize("code", [0, 1, 3])
def test_merge_step_names_each_target_and_keeps_the_exit_code(merge_steps: list[dict[str, Any]],
                                                              tmp_path: Path, code: int) -> None:
    _, merge = step(merge_steps, "merge the runs")
    log = _fake_cli(tmp_path / "bin", code)
    _runs(tmp_path, ("staging", True), ("staging-eu", True))
    output = tmp_path / "github_output"
    done = _bash(merge["run"], tmp_path, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}", PROFILE="quick",
                 GITHUB_OUTPUT=str(output))
    assert done.returncode == 0, done.stderr
    assert output.read_text().strip() == f"exit_code={code}"
    args = log.read_text().split()
    assert args[0] == "merge" and args[-2:] == ["--report-dir", "merged"]
    assert sorted(a.split("=")[0] for a in args[1:-2]) == ["staging", "staging-eu"]


def test_merge_step_a_target_without_a_report_is_exit_2(merge_steps: list[dict[str, Any]],
                                                        tmp_path: Path) -> None:
    _, merge = step(merge_steps, "merge the runs")
    log = _fake_cli(tmp_path / "bin", 0)
    _runs(tmp_path, ("staging", True), ("staging-eu", False))
    output = tmp_path / "github_output"
    done = _bash(merge["run"], tmp_path, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}", PROFILE="quick",
                 GITHUB_OUTPUT=str(output))
    assert output.read_text().strip() == "exit_code=2" and "staging-eu" in done.stdout
    assert [a.split("=")[0] for a in log.read_text().split()[1:-2]] == ["staging"], "the others still merge"


def test_merge_step_without_any_report_is_exit_2(merge_steps: list[dict[str, Any]], tmp_path: Path) -> None:
    _, merge = step(merge_steps, "merge the runs")
    (tmp_path / "runs").mkdir()
    output = tmp_path / "github_output"
    _bash(merge["run"], tmp_path, PROFILE="quick", GITHUB_OUTPUT=str(output))
    assert output.read_text().strip() == "exit_code=2"


# -- external validators, when installed ------------------------------------------------------------------


def _tool(name: str) -> str | None:
    """A console script of this interpreter's environment, else one on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def test_github_workflow_schema() -> None:
    """check-jsonschema ships the GitHub workflow schema; it validates offline."""
    tool = _tool("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema is not installed (pip install check-jsonschema)")
    done = subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint() -> None:
    tool = _tool("actionlint")
    if tool is None:
        pytest.skip("actionlint is not on PATH")
    done = subprocess.run([tool, str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
