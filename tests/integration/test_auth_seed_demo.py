"""The demo seed against the real auth and authorizer handlers, reached through an in-process HTTP transport."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from radar.accounts.models import email_pk
from scripts.seed_demo import DEMO_EMAIL, seed_demo
from tests.integration.test_auth_api import authorize, load_function, main_items, rest_event, use_cheap_argon2
from tests.support.aws import AwsResources

PUBLIC = {("POST", "/auth/signup"), ("POST", "/auth/login"), ("POST", "/auth/refresh")}


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


def _gateway(lambda_context: Any) -> httpx.MockTransport:
    """What the local cloud's gateway does for these routes: authorize protected ones, then invoke the function."""

    def handle(request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path
        identity = None
        if (method, path) not in PUBLIC:
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            try:
                identity = authorize(token, context=lambda_context)["context"]
            except Exception:
                return httpx.Response(401, json={"message": "Unauthorized"})
        event = rest_event(method, path, identity=identity, raw_body=request.content.decode() or None)
        response = load_function("auth").lambda_handler(event, lambda_context)
        return httpx.Response(response["statusCode"], content=response.get("body") or b"")

    return httpx.MockTransport(handle)


def test_seed_signs_up_once_then_logs_in_and_mints_fresh_keys(aws: AwsResources, lambda_context: Any):
    client = httpx.Client(base_url="http://gateway.test", transport=_gateway(lambda_context))

    first = seed_demo("http://gateway.test", client=client)
    second = seed_demo("http://gateway.test", client=client)

    assert first["email"] == second["email"] == DEMO_EMAIL
    assert first["tenant_id"] == second["tenant_id"]
    assert first["api_key"] != second["api_key"]
    for seeded in (first, second):
        ctx = authorize(seeded["api_key"], kind="api_key", context=lambda_context)["context"]
        assert ctx["tenant_id"] == first["tenant_id"] and ctx["role"] == "analyst"
    assert authorize(second["access_token"], context=lambda_context)["context"]["role"] == "admin"
    assert len(main_items(email_pk(DEMO_EMAIL))) == 1  # one demo account, however often it is seeded
