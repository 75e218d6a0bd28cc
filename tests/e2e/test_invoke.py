"""`make invoke`: one function, one sample event, a fresh local execution environment, no Docker; the function's
logs on stderr (START, its own lines, END, REPORT) and its result on stdout, as `sam local invoke` shows them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def invoke(function: str, event: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.localcloud", "invoke", function, event],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )


def _log_order(stderr: str) -> list[str]:
    """The invocation's log lines, as START / END / REPORT / other."""
    kinds = []
    for line in stderr.splitlines():
        match = re.match(r"(START|END|REPORT) RequestId: ([0-9a-f-]{36})", line)
        kinds.append(match.group(1) if match else "other")
    return kinds


def test_invoke_runs_one_handler_with_one_event_and_prints_its_logs() -> None:
    result = invoke("checks", "events/checks/get_health.json")
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout[result.stdout.index("{") :])
    assert payload["statusCode"] == 200
    assert json.loads(payload["body"]) == {"status": "ok"}
    kinds = _log_order(result.stderr)
    start, end, report = kinds.index("START"), kinds.index("END"), kinds.index("REPORT")
    assert start < end < report
    assert "other" in kinds[start + 1 : end]  # the function's own output (EMF) between START and END
    request_ids = set(re.findall(r"(?:START|END|REPORT) RequestId: ([0-9a-f-]{36})", result.stderr))
    assert len(request_ids) == 1
    assert "Init Duration" in result.stderr  # a fresh execution environment: a cold start


def test_invoke_runs_the_authorizer_on_its_shipped_sample_event() -> None:
    result = invoke("authorizer", "events/authorizer.json")
    assert result.returncode == 0, result.stderr[-2000:]
    policy = json.loads(result.stdout[result.stdout.index("{") :])
    statement = policy["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow" and statement["Action"] == "execute-api:Invoke"
    assert policy["context"]["principal_type"] == "api_key" and policy["usageIdentifierKey"]
    assert "API-key placeholder is filled" in result.stderr
    kinds = _log_order(result.stderr)
    assert kinds.index("START") < kinds.index("END") < kinds.index("REPORT")


def test_invoke_names_the_choices_when_the_function_is_ambiguous_or_unknown() -> None:
    result = invoke("nosuch", "events/checks/get_health.json")
    assert result.returncode == 2
    assert "WorkerFunction" in result.stderr
