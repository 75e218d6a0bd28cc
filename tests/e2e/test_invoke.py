"""`make invoke`: one function, one sample event, a fresh local execution environment, no Docker."""

from __future__ import annotations

import json
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
        timeout=180,
    )


def test_invoke_runs_one_handler_with_one_event() -> None:
    result = invoke("checks", "events/checks/get_health.json")
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout[result.stdout.index("{") :])
    assert payload["statusCode"] == 200
    assert json.loads(payload["body"]) == {"status": "ok"}


def test_invoke_names_the_choices_when_the_function_is_ambiguous_or_unknown() -> None:
    result = invoke("nosuch", "events/checks/get_health.json")
    assert result.returncode == 2
    assert "WorkerFunction" in result.stderr
