"""radar.http's one error mapping: every dependency failure is a 503 with Retry-After, never a raw 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError
from pynamodb.exceptions import GetError

from radar.errors import DependencyUnavailable
from radar.http import RETRY_AFTER_SECONDS, build_resolver
from radar.settings import HttpSettings


def _client_error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Op")


def _wrapped_timeout() -> Exception:
    try:
        try:
            raise ConnectTimeoutError(endpoint_url="http://dynamodb")
        except ConnectTimeoutError as exc:
            raise GetError("Failed to get item", exc) from exc
    except GetError as outer:
        return outer


def _answer(raise_it: Callable[[], Any]) -> tuple[int, dict[str, Any], dict[str, Any]]:
    app = build_resolver(HttpSettings.model_validate({}))

    @app.get("/boom")
    def boom() -> dict[str, str]:
        raise_it()
        return {}

    event = {"httpMethod": "GET", "path": "/boom", "resource": "/boom", "headers": {}, "requestContext": {}}
    result = app.resolve(event, None)
    headers = dict(result.get("headers") or {})
    headers.update({k: v[-1] for k, v in (result.get("multiValueHeaders") or {}).items() if v})
    return result["statusCode"], json.loads(result["body"]), headers


@pytest.mark.parametrize(
    "failure",
    [
        lambda: ReadTimeoutError(endpoint_url="http://dynamodb"),
        _wrapped_timeout,
        lambda: _client_error("ProvisionedThroughputExceededException", 400),
        lambda: _client_error("ThrottlingException", 400),
        lambda: _client_error("InternalServerError", 500),
        lambda: DependencyUnavailable("the data store is unavailable, try again"),
    ],
)
def test_a_failing_dependency_is_a_503_with_retry_after(failure: Callable[[], Exception]) -> None:
    """Caught: an SDK timeout or throttle that no repository wrapped became a raw 500, and even the domain's own
    503s carried no Retry-After."""

    def fail() -> None:
        raise failure()

    status, body, headers = _answer(fail)
    assert status == 503 and body["error"]["code"] == "dependency_unavailable"
    assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_our_own_malformed_call_is_still_a_500() -> None:
    def fail() -> None:
        raise _client_error("ValidationException", 400)

    status, _, headers = _answer(fail)
    assert status == 500 and "Retry-After" not in headers
