"""The pre-traffic hook's smoke events, answered by the real handlers on the emulator: a healthy build passes
every one (so a deploy is not rolled back for nothing), and the answers are the specific ones the hook expects."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from infra_cdk.hooks.pre_traffic.app import SMOKE, check
from tests.support.aws import AwsResources

ROOT = Path(__file__).resolve().parents[2]


def invoke(function: str, event: dict[str, Any], lambda_context: Any, env: dict[str, str]) -> tuple[Any, str | None]:
    """Run functions/<function>/app.py's handler like Lambda: a raised error becomes (errorMessage, 'Unhandled')."""
    spec = importlib.util.spec_from_file_location(f"smoke_{function}", ROOT / "functions" / function / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, env):
        spec.loader.exec_module(module)
        try:
            return module.lambda_handler(event, lambda_context), None
        except Exception as exc:  # what the Lambda runtime reports for an unhandled error
            return {"errorMessage": str(exc), "errorType": type(exc).__name__}, "Unhandled"


@pytest.mark.parametrize("function", sorted(SMOKE))
def test_a_healthy_build_passes_its_smoke_check(
    aws: AwsResources, lambda_context: Any, function: str
) -> None:
    payload, error = invoke(function, SMOKE[function].event, lambda_context, aws.env)
    check(function, payload, error)  # raises SmokeFailed otherwise
