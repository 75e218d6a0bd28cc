"""A rotated Stripe webhook signing secret, against the billing sandbox (its deliveries, signed with its current
secret, over real HTTP) and the billing secret on the moto server: the next webhook after a rotation verifies at once
(one read of the secret past its 5-minute cache), while forged signatures cannot turn into a Secrets Manager read
each: at most one per window per warm container, counted on the boto3 client's own events."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import httpx
import pytest

from radar.accounts.repository import TenantRepository
from radar.billing import RETURN_PATH
from radar.billing.errors import InvalidWebhook
from radar.billing.service import BillingService
from radar.billing.settings import BillingSettings
from radar.context import TenantContext
from radar.gateway_keys import GatewayKeys
from radar.tiers import load_tiers
from scripts.billing_sandbox import BillingSandbox, sign, start_billing_sandbox
from scripts.billing_sandbox.config import generate_webhook_secret
from tests.support.aws import AwsResources
from tests.support.billing import admin_of_new_tenant, billing_secret

TIERS = load_tiers()
EVENT: dict[str, Any] = {"requestContext": {"identity": {"sourceIp": "203.0.113.9", "userAgent": "pytest"}},
                         "headers": {}}
WINDOW = 2.0  # BILLING_WEBHOOK_REREAD_SECONDS of the tests that wait a window out (the default is 30)


class Endpoint(ThreadingHTTPServer):
    """POST / -> BillingService.handle_webhook with the body and Stripe-Signature, 200 or the 400 it raises."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.billing: BillingService | None = None
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: Endpoint

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        assert self.server.billing is not None
        try:
            out = self.server.billing.handle_webhook(raw, self.headers.get("Stripe-Signature") or "", EVENT)
            status, body = 200, out.model_dump(mode="json")
        except InvalidWebhook as exc:
            status, body = 400, {"error": {"code": exc.code, "details": exc.details}}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def sandbox(endpoint: Endpoint) -> Iterator[BillingSandbox]:
    server, _ = start_billing_sandbox(prices=TIERS.model_dump(mode="json"), webhook_url=endpoint.url,
                                      retry_delays=())
    yield server
    server.stop()


@pytest.fixture
def secret(aws: AwsResources, sandbox: BillingSandbox) -> str:
    return billing_secret(aws, sandbox)


class SecretReads:
    """GetSecretValue calls for one secret, counted on the client Powertools reads secrets with (botocore events)."""

    def __init__(self, arn: str) -> None:
        from aws_lambda_powertools.utilities import parameters
        from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS

        if "secrets" not in DEFAULT_PROVIDERS:
            DEFAULT_PROVIDERS["secrets"] = parameters.SecretsProvider()
        self.arn, self.count = arn, 0
        DEFAULT_PROVIDERS["secrets"].client.meta.events.register(
            "provide-client-params.secrets-manager.GetSecretValue", self._seen)

    def _seen(self, params: dict[str, Any], **_: Any) -> None:
        if params.get("SecretId") == self.arn:
            self.count += 1


def service(aws: AwsResources, sandbox: BillingSandbox, secret: str, endpoint: Endpoint,
            window: float = WINDOW) -> BillingService:
    settings = BillingSettings(BILLING_SECRET_ARN=secret, BILLING_API_BASE_URL=sandbox.url,
                               BILLING_RETURN_URL=f"https://console.radar.example{RETURN_PATH}",
                               BILLING_WEBHOOK_REREAD_SECONDS=window)
    billing = BillingService(settings=settings, tenants=TenantRepository(),
                             gateway_keys=GatewayKeys(aws.usage_plan_ids))
    endpoint.billing = billing
    return billing


def pay(sandbox: BillingSandbox, billing: BillingService, ctx: TenantContext) -> list[int | None]:
    """Check out and pay `pro`; the HTTP statuses of the first delivery of each event the payment sent (no retries)."""
    session = billing.checkout(ctx, "pro", EVENT)
    paid = httpx.post(f"{sandbox.url}/_sandbox/sessions/{session.session_id}/pay", json={}, timeout=10).json()
    ids = {e["id"] for e in paid["events"]}
    assert ids and sandbox.dispatcher.flush(timeout=20)
    return [a.status for a in sandbox.dispatcher.attempts if a.event_id in ids]


def rotate_signing_secret(sandbox: BillingSandbox, secret: str) -> str:
    """Roll the sandbox's signing secret (it signs with the new one only from now on) and store it in the secret."""
    new = generate_webhook_secret()
    sandbox.configure({"webhook_secret": new})
    boto3.client("secretsmanager").put_secret_value(SecretId=secret, SecretString=json.dumps(
        {"secret_key": sandbox.config.api_key, "webhook_secret": new}))
    return new


def plan_of(ctx: TenantContext) -> str:
    tenant = TenantRepository().get(ctx.tenant_id)
    assert tenant is not None
    return str(tenant.plan)


def test_the_next_webhook_after_a_rotation_verifies_at_once_and_forgeries_do_not_read_again(
    aws: AwsResources, sandbox: BillingSandbox, secret: str, endpoint: Endpoint
) -> None:
    reads = SecretReads(secret)
    billing = service(aws, sandbox, secret, endpoint)
    first = admin_of_new_tenant(aws, "Rotação Ltda")
    assert set(pay(sandbox, billing, first)) == {200} and plan_of(first) == "pro"
    assert reads.count == 1  # the old signing secret is in the 5-minute cache now
    time.sleep(WINDOW + 0.2)  # the keys held are older than the window
    rotate_signing_secret(sandbox, secret)
    second = admin_of_new_tenant(aws, "Rotação Ltda")
    statuses = pay(sandbox, billing, second)  # the checkout reads nothing: the cache is fresh
    assert set(statuses) == {200} and plan_of(second) == "pro"  # every first delivery accepted
    assert reads.count == 2  # one read past the cache, by the first delivery signed with the new secret
    # Forged signatures after that read: 400 each, and no read while the keys are younger than the window (30 s
    # here, the default, so a slow machine cannot let the window pass between the read and the forgeries).
    service(aws, sandbox, secret, endpoint, window=30.0)
    body = json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "invoice.paid", "created": int(time.time()),
                       "data": {"object": {"object": "invoice", "customer": "cus_x"}}})
    for _ in range(5):
        forged = sign(body, generate_webhook_secret(), int(time.time()))
        answer = httpx.post(endpoint.url, content=body, headers={"Stripe-Signature": forged}, timeout=10)
        assert answer.status_code == 400
        assert answer.json()["error"]["details"][0] == {
            "field": "Stripe-Signature", "reason": "signature_mismatch",
            "message": "the Stripe-Signature header does not verify"}
    assert reads.count == 2


def test_forged_signatures_read_the_secret_at_most_once_per_window(
    aws: AwsResources, sandbox: BillingSandbox, secret: str, endpoint: Endpoint
) -> None:
    reads = SecretReads(secret)
    billing = service(aws, sandbox, secret, endpoint, window=30.0)
    ctx = admin_of_new_tenant(aws, "Rotação Ltda")
    billing.checkout(ctx, "pro", EVENT)  # the keys are read (and cached)
    assert reads.count == 1
    body = json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "invoice.paid", "created": int(time.time()),
                       "data": {"object": {"object": "invoice", "customer": "cus_x"}}}).encode()
    for _ in range(20):
        with pytest.raises(InvalidWebhook) as refused:
            billing.handle_webhook(body, sign(body.decode(), generate_webhook_secret(), int(time.time())), EVENT)
        assert refused.value.status == 400 and refused.value.details[0]["field"] == "Stripe-Signature"
    assert reads.count == 1  # the keys held are younger than the 30 s window: none of the 20 read them again
    assert billing.repository.claim_event(json.loads(body)["id"], "invoice.paid")  # nothing was recorded
    assert plan_of(ctx) == "free"


def test_a_window_later_one_forgery_reads_once_and_a_second_mismatch_stays_400(
    aws: AwsResources, sandbox: BillingSandbox, secret: str, endpoint: Endpoint
) -> None:
    reads = SecretReads(secret)
    billing = service(aws, sandbox, secret, endpoint)
    billing.checkout(admin_of_new_tenant(aws, "Rotação Ltda"), "pro", EVENT)
    time.sleep(WINDOW + 0.2)
    body = b'{"id": "evt_forged", "type": "invoice.paid", "created": 1, "data": {"object": {}}}'
    with pytest.raises(InvalidWebhook) as refused:
        billing.handle_webhook(body, sign(body.decode(), generate_webhook_secret(), int(time.time())), EVENT)
    assert refused.value.details[0]["reason"] == "signature_mismatch"
    assert reads.count == 2  # the one read the window allows; the same secret came back, so the 400 stands


def test_during_a_rotation_stripe_signs_with_both_secrets_and_either_verifies_without_a_read(
    aws: AwsResources, sandbox: BillingSandbox, secret: str, endpoint: Endpoint
) -> None:
    """Stripe's rolled secret with an expiry: each delivery carries a v1= signature per live secret; the SDK accepts
    the header when any one matches, so the old cached secret keeps verifying until the old one expires."""
    reads = SecretReads(secret)
    billing = service(aws, sandbox, secret, endpoint, window=30.0)
    billing.checkout(admin_of_new_tenant(aws, "Rotação Ltda"), "pro", EVENT)
    old, new = sandbox.config.webhook_secret, generate_webhook_secret()
    body = json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "customer.created", "created": int(time.time()),
                       "data": {"object": {"object": "customer", "id": "cus_x"}}})
    now = int(time.time())
    both = f"{sign(body, new, now)},v1={sign(body, old, now).split('v1=')[1]}"
    out = billing.handle_webhook(body.encode(), both, EVENT)
    assert out.outcome == "ignored" and reads.count == 1
    with pytest.raises(InvalidWebhook):
        billing.handle_webhook(body.encode(), sign(body, new, now), EVENT)  # the new one alone: not held yet
