"""The billing service against the billing sandbox (Stripe's wire format, over real HTTP) and the billing secret on
the moto server: Checkout and the portal send the customer back to the console's plan page with the query that says
what happened, and a key rotated (and the old one revoked) works at the next call, not after the secret's cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import stripe

from radar.accounts.repository import TenantRepository
from radar.billing import RETURN_PATH, RETURN_QUERIES
from radar.billing.errors import BillingProviderError
from radar.billing.service import BillingService
from radar.billing.settings import BillingSettings
from radar.gateway_keys import GatewayKeys
from radar.tiers import load_tiers
from scripts.billing_sandbox import BillingSandbox, start_billing_sandbox
from scripts.billing_sandbox.config import generate_api_key
from tests.support.aws import AwsResources
from tests.support.billing import admin_of_new_tenant, billing_secret

TIERS = load_tiers()
CONSOLE = "https://console.radar.example"
EVENT: dict[str, Any] = {"requestContext": {"identity": {"sourceIp": "203.0.113.9", "userAgent": "pytest"}},
                         "headers": {}}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[BillingSandbox]:
    server, _ = start_billing_sandbox(prices=TIERS.model_dump(mode="json"))
    yield server
    server.stop()


@pytest.fixture
def secret(aws: AwsResources, sandbox: BillingSandbox) -> str:
    return billing_secret(aws, sandbox)


def service(aws: AwsResources, sandbox: BillingSandbox, secret: str) -> BillingService:
    settings = BillingSettings(BILLING_SECRET_ARN=secret, BILLING_API_BASE_URL=sandbox.url,
                               BILLING_RETURN_URL=f"{CONSOLE}{RETURN_PATH}")
    return BillingService(settings=settings, tenants=TenantRepository(), gateway_keys=GatewayKeys(aws.usage_plan_ids))


def stored_session(sandbox: BillingSandbox, session_id: str) -> stripe.checkout.Session:
    client = stripe.StripeClient(sandbox.config.api_key, base_addresses={"api": sandbox.url})
    return client.v1.checkout.sessions.retrieve(session_id)


def rotate(sandbox: BillingSandbox, secret: str | None) -> str:
    """Roll the sandbox's key (the old one is refused from now on) and, when `secret` is given, store the new one."""
    key = generate_api_key()
    sandbox.configure({"api_key": key})
    if secret:
        boto3.client("secretsmanager").put_secret_value(SecretId=secret, SecretString=json.dumps(
            {"secret_key": key, "webhook_secret": sandbox.config.webhook_secret}))
    return key


def test_checkout_and_the_portal_send_the_customer_back_to_the_plan_page(
    aws: AwsResources, sandbox: BillingSandbox, secret: str
) -> None:
    billing = service(aws, sandbox, secret)
    ctx = admin_of_new_tenant(aws)
    out = billing.checkout(ctx, "pro", EVENT)
    session = stored_session(sandbox, str(out.session_id))
    plan_page = f"{CONSOLE}/admin/plan"
    assert session.success_url == f"{plan_page}?checkout=success&plan=pro&session_id={{CHECKOUT_SESSION_ID}}"
    assert session.cancel_url == f"{plan_page}?checkout=cancel"
    # What the browser is sent to after paying: the sandbox fills the session id in, as Checkout does.
    assert sandbox.state.success_redirect(session.to_dict()) == (
        f"{plan_page}?checkout=success&plan=pro&session_id={session.id}")
    portal = billing.portal(ctx, EVENT)
    portal_id = portal.url.rsplit("/", 1)[-1]
    assert sandbox.state.get("billing_portal.session", portal_id)["return_url"] == f"{plan_page}?portal=return"
    assert {RETURN_QUERIES[k] for k in ("checkout_success", "checkout_cancel", "portal_return")} == {
        "checkout=success", "checkout=cancel", "portal=return"}


def test_a_rotated_key_works_at_the_next_call_without_waiting_for_the_cache(
    aws: AwsResources, sandbox: BillingSandbox, secret: str
) -> None:
    billing = service(aws, sandbox, secret)
    first = billing.checkout(admin_of_new_tenant(aws), "pro", EVENT)  # the old key is now in the 5-minute cache
    old_key = sandbox.config.api_key
    new_key = rotate(sandbox, secret)
    assert new_key != old_key
    second = billing.checkout(admin_of_new_tenant(aws), "pro", EVENT)  # refused once, re-read, made again
    assert second.session_id and second.session_id != first.session_id
    assert stored_session(sandbox, str(second.session_id)).status == "open"
    # The cache holds the new key now: the next use case goes out with it at once.
    third = billing.checkout(admin_of_new_tenant(aws), "pro", EVENT)
    assert stored_session(sandbox, str(third.session_id)).status == "open"


def test_a_key_still_refused_after_the_fresh_read_is_the_providers_503(
    aws: AwsResources, sandbox: BillingSandbox, secret: str
) -> None:
    billing = service(aws, sandbox, secret)
    ctx = admin_of_new_tenant(aws)
    billing.checkout(ctx, "pro", EVENT)
    rotate(sandbox, None)  # revoked at the provider, and the secret was not updated: the re-read gets the same key
    with pytest.raises(BillingProviderError) as refused:
        billing.checkout(admin_of_new_tenant(aws), "pro", EVENT)
    assert refused.value.status == 503 and refused.value.code == "billing_provider_unavailable"
    assert isinstance(refused.value.__cause__, stripe.AuthenticationError)
