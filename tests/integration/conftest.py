"""Integration fixtures: one moto server per test session, with the project's resources in it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.aws import AwsResources, provision_resources, start_moto


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server, endpoint = start_moto()
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def aws(moto_endpoint: str) -> AwsResources:
    """Tables, queues, secrets and usage plans, created once; their names are exported as function env vars."""
    return provision_resources()


@pytest.fixture
def lambda_context() -> Any:
    class _Context:
        function_name = "test-fn"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test-fn"
        aws_request_id = "test-request-id"

        @staticmethod
        def get_remaining_time_in_millis() -> int:
            return 25_000

    return _Context()
