"""Plans that are paid for, end to end: the real gateway, the authorizer, the auth function and the billing sandbox
(Stripe's wire format) over real HTTP, with webhooks the sandbox signs and the product verifies."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import httpx
import pytest
import stripe

from radar.tiers import load_tiers
from radar_sdk import ApiError, Client
from tests.support.cloud import RunningCloud, Tenant

# A burst the free plan (2 req/s, burst 5) throttles and the pro plan (10 req/s, burst 20) admits.
BURST = 16


@pytest.fixture(scope="module")
def billing_secret(cloud: RunningCloud) -> dict[str, str]:
    """The keys the local cloud stored for the product (the sandbox's test key and webhook signing secret)."""
    arn = cloud.resource("BillingSecret")["ref"]
    return dict(json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]))


@pytest.fixture(scope="module")
def stripe_api(cloud: RunningCloud, billing_secret: dict[str, str]) -> stripe.StripeClient:
    """The sandbox through the official SDK, as the product itself talks to it."""
    return stripe.StripeClient(billing_secret["secret_key"], base_addresses={"api": cloud.billing_url})


@pytest.fixture(autouse=True)
def _calm_billing(cloud: RunningCloud) -> Iterator[None]:
    yield
    control(cloud, "webhooks/duplicate", on="false")
    control(cloud, "config", payment_retry_days=[3, 5, 7], after_retries="canceled")


def control(cloud: RunningCloud, path: str, **params: Any) -> dict[str, Any]:
    body = {k: v for k, v in params.items() if isinstance(v, list)}
    query = {k: v for k, v in params.items() if not isinstance(v, list)}
    response = httpx.post(f"{cloud.billing_url}/_sandbox/{path}", params=query, json=body or None, timeout=30)
    assert response.status_code == 200, response.text
    return dict(response.json())


def plan_of(tenant: Tenant) -> str:
    response = paced("GET", f"{tenant.api_url}/tenant", headers=tenant.bearer(), timeout=30)
    assert response.status_code == 200, response.text
    return str(response.json()["plan"])


def wait_for_plan(cloud: RunningCloud, tenant: Tenant, plan: str, timeout: float = 30.0) -> None:
    control(cloud, "webhooks/flush", timeout=str(timeout))
    deadline = time.time() + timeout
    while plan_of(tenant) != plan:
        assert time.time() < deadline, f"the tenant is still on {plan_of(tenant)}, not {plan}"
        time.sleep(0.3)


def checkout(tenant: Tenant, plan: str) -> dict[str, Any]:
    response = paced("POST", f"{tenant.api_url}/billing/checkout", json={"plan": plan}, headers=tenant.bearer(),
                     timeout=30)
    assert response.status_code == 201, response.text
    return dict(response.json())


def pay(cloud: RunningCloud, session_id: str, outcome: str = "succeeded") -> dict[str, Any]:
    return control(cloud, f"sessions/{session_id}/pay", outcome=outcome)


def subscribe(cloud: RunningCloud, tenant: Tenant, plan: str = "pro") -> dict[str, Any]:
    session = checkout(tenant, plan)
    paid = pay(cloud, session["session_id"])
    assert paid["paid"] is True
    wait_for_plan(cloud, tenant, plan)
    return session


def burst(tenant: Tenant, n: int = BURST) -> list[int]:
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(
            lambda _: httpx.get(f"{tenant.api_url}/usage", headers=tenant.key(), timeout=60).status_code, range(n)))


def audit_actions(tenant: Tenant) -> list[dict[str, Any]]:
    response = httpx.get(f"{tenant.api_url}/audit", params={"limit": 100}, headers=tenant.bearer(), timeout=30)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def usage_plans_holding(tenant: Tenant) -> list[str]:
    apigw = boto3.client("apigateway")
    found = []
    for plan in apigw.get_usage_plans()["items"]:
        if any(tenant.tenant_id in key["name"] for key in apigw.get_usage_plan_keys(usagePlanId=plan["id"])["items"]):
            found.append(str(plan["name"]).rsplit("-", 1)[-1])
    return found


def signed(payload: str, secret: str, *, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def _number(value: Any) -> int | float:
    """The SDK's objects hold amounts as Decimal; Stripe's JSON has plain numbers."""
    return int(value) if value == int(value) else float(value)


def post_webhook(cloud: RunningCloud, payload: str, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return httpx.post(f"{cloud.api_url}/billing/webhook", content=payload, headers=headers, timeout=30)


# --- plans and the self-upgrade hole ----------------------------------------------------------------------------


def test_plans_are_public_with_their_prices_and_limits(cloud: RunningCloud) -> None:
    response = httpx.get(f"{cloud.api_url}/billing/plans", timeout=30)
    assert response.status_code == 200, response.text
    listed = {p["plan"]: p for p in response.json()["items"]}
    tiers = load_tiers()
    assert list(listed) == list(tiers.tiers)
    for name, tier in tiers.tiers.items():
        assert listed[name]["limits"]["monthly_checks"] == tier.monthly_checks
        assert (listed[name]["price"] or {}).get("unit_amount") == (tier.price.unit_amount if tier.price else None)
    assert listed["free"]["price"] is None and listed["pro"]["price"]["currency"] == "brl"


def test_a_free_tenant_cannot_upgrade_itself(cloud: RunningCloud, tenant: Tenant) -> None:
    refused = httpx.put(f"{cloud.api_url}/tenant/plan", json={"plan": "enterprise"}, headers=tenant.bearer(),
                        timeout=30)
    assert refused.status_code == 402, refused.text
    error = refused.json()["error"]
    assert error["code"] == "upgrade_requires_payment"
    assert error["details"]["checkout"] == {"route": "POST /billing/checkout", "body": {"plan": "enterprise"}}
    time.sleep(1.2)
    assert plan_of(tenant) == "free" and usage_plans_holding(tenant) == ["free"]
    assert "tenant.plan_change" not in {a["action"] for a in audit_actions(tenant)}


# --- checkout, pay, webhook ---------------------------------------------------------------------------------------


def test_checkout_pay_and_the_signed_webhook_move_the_plan_and_its_limits(
    cloud: RunningCloud, tenant: Tenant, stripe_api: stripe.StripeClient
) -> None:
    throttled = burst(tenant)
    assert 429 in throttled, throttled  # free: 2 requests a second, burst 5

    session = checkout(tenant, "pro")
    assert session["url"].startswith(cloud.billing_url) and session["session_id"].startswith("cs_test_")
    time.sleep(1.0)
    assert plan_of(tenant) == "free"  # a session is not a payment
    stored = stripe_api.v1.checkout.sessions.retrieve(session["session_id"])
    assert stored.client_reference_id == tenant.tenant_id and stored.mode == "subscription"

    pay(cloud, session["session_id"])
    wait_for_plan(cloud, tenant, "pro")

    assert usage_plans_holding(tenant) == ["pro"]
    actions = audit_actions(tenant)
    change = next(a for a in actions if a["action"] == "tenant.plan_change")
    assert change["resource"] == "plan/free->pro" and change["actor"] == "billing:stripe"
    time.sleep(1.5)  # the gateway re-reads usage plans every second
    passed = burst(tenant)
    assert passed == [200] * BURST, passed
    portal = httpx.post(f"{cloud.api_url}/billing/portal", headers=tenant.bearer(), timeout=30)
    assert portal.status_code == 200 and portal.json()["url"].startswith(cloud.billing_url)


def test_a_paying_tenant_moves_up_on_its_one_subscription_after_the_webhook(
    cloud: RunningCloud, tenant: Tenant, stripe_api: stripe.StripeClient
) -> None:
    first = subscribe(cloud, tenant, "pro")
    customer = str(stripe_api.v1.checkout.sessions.retrieve(first["session_id"]).customer)
    (subscription,) = stripe_api.v1.subscriptions.list(params={"customer": customer}).data
    control(cloud, "webhooks/hold")  # the confirmation is on its way, not here yet
    try:
        response = paced("POST", f"{tenant.api_url}/billing/checkout", json={"plan": "business"},
                         headers=tenant.bearer(), timeout=30)
        assert response.status_code == 200, response.text
        change = response.json()
        assert change["kind"] == "subscription_update" and change["subscription_id"] == subscription.id
        assert change["plan"] == "business" and change["session_id"] is None
        assert change["url"].endswith("/admin/plan?checkout=success&plan=business")  # the plan page, waiting
        assert plan_of(tenant) == "pro" and usage_plans_holding(tenant) == ["pro"]  # only the webhook moves it
    finally:
        control(cloud, "webhooks/release")
    wait_for_plan(cloud, tenant, "business")
    assert usage_plans_holding(tenant) == ["business"]
    # One subscription, now on the business price; the rest of the period's difference was invoiced and paid now.
    live = stripe_api.v1.subscriptions.list(params={"customer": customer, "status": "all"}).data
    assert [s.id for s in live] == [subscription.id] and live[0].status == "active"
    price = live[0]["items"]["data"][0]["price"]
    assert price["lookup_key"] == load_tiers().get("business").price.lookup_key  # type: ignore[union-attr]
    invoices = stripe_api.v1.invoices.list(params={"customer": customer}).data
    prorated = [i for i in invoices if i.billing_reason == "subscription_update"]
    assert len(prorated) == 1 and prorated[0].status == "paid" and prorated[0].amount_paid > 0
    actions = audit_actions(tenant)
    assert any(a["action"] == "billing.subscription_change" for a in actions)
    move = next(a for a in actions if a["action"] == "tenant.plan_change")  # newest first
    assert move["resource"] == "plan/pro->business" and move["actor"] == "billing:stripe"
    # Not an upgrade any more: refused, and nothing changed at the provider.
    again = paced("POST", f"{tenant.api_url}/billing/checkout", json={"plan": "pro"}, headers=tenant.bearer(),
                  timeout=30)
    assert again.status_code == 409 and again.json()["error"]["details"][0]["reason"] == "not_an_upgrade"
    assert len(stripe_api.v1.subscriptions.list(params={"customer": customer, "status": "all"}).data) == 1


def test_a_declined_card_changes_nothing(cloud: RunningCloud, tenant: Tenant) -> None:
    session = checkout(tenant, "pro")
    declined = pay(cloud, session["session_id"], "failed")
    assert declined["paid"] is False
    control(cloud, "webhooks/flush")
    assert "invoice.payment_failed" in {e["type"] for e in declined["events"]}
    assert plan_of(tenant) == "free" and usage_plans_holding(tenant) == ["free"]


def test_out_of_order_events_end_in_the_subscriptions_own_state(cloud: RunningCloud, tenant: Tenant) -> None:
    session = checkout(tenant, "business")
    control(cloud, "webhooks/hold")
    try:
        paid = pay(cloud, session["session_id"])
    finally:
        # Newest first: subscription.updated and checkout.session.completed come before subscription.created
        # (status incomplete) and the invoices.
        released = control(cloud, "webhooks/release", order="reverse")
    type_of = {e["id"]: e["type"] for e in paid["events"]}
    order = [type_of[i] for i in released["released"] if i in type_of]
    # Queued newest first: the session's completion and the activation before the incomplete subscription's creation.
    assert order.index("checkout.session.completed") < order.index("customer.subscription.created"), order
    assert order.index("customer.subscription.updated") < order.index("customer.subscription.created"), order
    wait_for_plan(cloud, tenant, "business")
    control(cloud, "webhooks/flush")
    time.sleep(0.5)
    assert plan_of(tenant) == "business" and usage_plans_holding(tenant) == ["business"]


def test_a_replayed_event_is_processed_once(cloud: RunningCloud, tenant: Tenant, billing_secret: dict[str, str],
                                           stripe_api: stripe.StripeClient) -> None:
    subscribe(cloud, tenant)
    completed = next(e for e in stripe_api.v1.events.list(params={"type": "checkout.session.completed", "limit": 100})
                     if e.to_dict()["data"]["object"].get("client_reference_id") == tenant.tenant_id)
    event = completed.to_dict()
    event["id"] = f"evt_replay{uuid.uuid4().hex[:16]}"  # an id the product has not seen
    payload = json.dumps(event, indent=2)
    first = post_webhook(cloud, payload, signed(payload, billing_secret["webhook_secret"]))
    second = post_webhook(cloud, payload, signed(payload, billing_secret["webhook_secret"]))
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert first.json()["outcome"] == "processed" and second.json()["outcome"] == "duplicate"
    # The sandbox delivering one of its own events twice more: duplicates too, nothing changes.
    control(cloud, f"events/{completed.id}/deliver", times="2")
    control(cloud, "webhooks/flush")
    attempts = httpx.get(f"{cloud.billing_url}/_sandbox/webhooks", params={"event": completed.id}, timeout=30)
    assert {a["status"] for a in attempts.json()["attempts"]} == {200}
    assert [a["action"] for a in audit_actions(tenant)].count("tenant.plan_change") == 1


def test_unverified_webhooks_are_refused_and_change_nothing(
    cloud: RunningCloud, tenant: Tenant, other_tenant: Tenant, billing_secret: dict[str, str],
    stripe_api: stripe.StripeClient,
) -> None:
    subscribe(cloud, other_tenant, "enterprise")  # an attacker's own, real, paid subscription
    victim_session = checkout(tenant, "pro")  # the victim has a customer too, but pays nothing
    victim_customer = str(stripe_api.v1.checkout.sessions.retrieve(victim_session["session_id"]).customer)
    attacker_sub = next(s for s in stripe_api.v1.subscriptions.list(params={"limit": 100})
                        if s.to_dict()["metadata"].get("tenant_id") == other_tenant.tenant_id).to_dict()
    now = int(time.time())

    def event_naming_the_victim(customer: str) -> str:
        forged = {**attacker_sub, "customer": customer, "metadata": {"tenant_id": tenant.tenant_id,
                                                                     "plan": "enterprise"}}
        return json.dumps({"id": f"evt_forged{uuid.uuid4().hex[:16]}", "object": "event", "api_version":
                           stripe.api_version, "created": now, "livemode": False, "pending_webhooks": 1,
                           "type": "customer.subscription.updated", "data": {"object": forged}},
                          default=_number)

    forged = event_naming_the_victim(victim_customer)
    cases = {
        "missing": (forged, None),
        "signature_mismatch": (forged, signed(forged, "whsec_" + "x" * 32)),
        "timestamp_outside_tolerance": (forged, signed(forged, billing_secret["webhook_secret"], at=now - 3600)),
        "tampered": (forged.replace('"enterprise"', '"business"'), signed(forged, billing_secret["webhook_secret"])),
    }
    for reason, (payload, signature) in cases.items():
        response = post_webhook(cloud, payload, signature)
        assert response.status_code == 400, (reason, response.text)
        assert response.json()["error"]["code"] == "invalid_webhook", reason
        assert response.json()["error"]["details"][0]["reason"] == (
            "signature_mismatch" if reason == "tampered" else reason)

    # Signed for real, the attacker's own subscription event naming the victim in its metadata: the customer's
    # link decides the tenant, and the subscription is read back from the provider, so the victim stays on free.
    own = event_naming_the_victim(str(attacker_sub["customer"]))
    accepted = post_webhook(cloud, own, signed(own, billing_secret["webhook_secret"]))
    assert accepted.status_code == 200 and accepted.json()["outcome"] == "processed", accepted.text
    # And one naming the victim's customer: the provider's subscription belongs to someone else, so it is ignored.
    crossed = event_naming_the_victim(victim_customer)
    ignored = post_webhook(cloud, crossed, signed(crossed, billing_secret["webhook_secret"]))
    assert ignored.status_code == 200 and ignored.json()["outcome"] == "ignored", ignored.text
    time.sleep(1.2)
    assert plan_of(tenant) == "free" and usage_plans_holding(tenant) == ["free"]
    assert plan_of(other_tenant) == "enterprise"


class _LastAnswer(httpx.BaseTransport):
    """The SDK client's transport, keeping the last answer so a caller gets the response, not only the exception."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.last: httpx.Response | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.last = self._inner.handle_request(request)
        return self.last

    def close(self) -> None:
        self._inner.close()


def paced(method: str, url: str, *, timeout: float = 30, **kwargs: Any) -> httpx.Response:
    """A request asked again exactly as the SDK's client asks again (radar_sdk.RetryPolicy, the API's Retry-After
    first): a throttled 429 for any method (a free tenant allows 2 requests a second, burst 5, the plan polls spend it,
    and a usage plan moves a second after the webhook), a 502/503/504 only for idempotent requests. The final answer
    is returned whatever its status, so the test asserts on it; what the throttle did is not what it asserts."""
    transport = _LastAnswer()
    with Client("", transport=transport, timeout=timeout) as client:
        try:
            return client.request(method, url, **kwargs)
        except ApiError:
            assert transport.last is not None
            return transport.last


def test_b_billing_routes_never_reach_a(cloud: RunningCloud, tenant: Tenant, other_tenant: Tenant,
                                       stripe_api: stripe.StripeClient) -> None:
    subscribe(cloud, tenant)  # A has a customer and a subscription
    b = other_tenant
    for role in ("analyst", "viewer"):
        for path, body in (("/billing/checkout", {"plan": "pro"}), ("/billing/portal", None)):
            response = paced("POST", f"{cloud.api_url}{path}", json=body, headers=b.key(role), timeout=30)
            assert response.status_code == 403, (role, path, response.text)
    smuggled = paced("POST", f"{cloud.api_url}/billing/checkout", json={"plan": "pro", "tenant_id": tenant.tenant_id},
                          headers=b.key("admin"), timeout=30)
    assert smuggled.status_code == 422, smuggled.text
    no_account = paced("POST", f"{cloud.api_url}/billing/portal", params={"tenant_id": tenant.tenant_id},
                            headers={**b.key("admin"), "x-tenant-id": tenant.tenant_id}, timeout=30)
    assert no_account.status_code == 409 and no_account.json()["error"]["code"] == "no_billing_account"
    own = paced("POST", f"{cloud.api_url}/billing/checkout", params={"tenant_id": tenant.tenant_id},
                     json={"plan": "pro"}, headers={**b.key("admin"), "x-tenant-id": tenant.tenant_id}, timeout=30)
    assert own.status_code == 201, own.text
    assert stripe_api.v1.checkout.sessions.retrieve(own.json()["session_id"]).client_reference_id == b.tenant_id
    assert tenant.tenant_id not in own.text
    assert plan_of(tenant) == "pro" and plan_of(b) == "free"


# --- downgrades ---------------------------------------------------------------------------------------------------


def test_a_paid_downgrade_waits_for_the_end_of_the_paid_period(cloud: RunningCloud, tenant: Tenant) -> None:
    subscribe(cloud, tenant, "business")
    response = paced("PUT", f"{cloud.api_url}/tenant/plan", json={"plan": "pro"}, headers=tenant.bearer(), timeout=30)
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["plan"] == "business" and view["pending_plan"] == "pro" and view["pending_at"]
    control(cloud, "webhooks/flush")
    time.sleep(0.5)
    assert plan_of(tenant) == "business"  # paid for until the period ends
    control(cloud, "advance", days="31")  # the renewal bills the lower price, and the held plan falls due
    wait_for_plan(cloud, tenant, "pro")
    assert usage_plans_holding(tenant) == ["pro"]


# --- a failed payment: grace, then downgrade ------------------------------------------------------------------------


def test_a_failed_renewal_keeps_the_plan_through_the_grace_period_then_downgrades(
    cloud: RunningCloud, tenant: Tenant, stripe_api: stripe.StripeClient
) -> None:
    # Stripe retries on days 3 and 10 and then leaves the subscription past due: the product's 7-day grace period,
    # not the provider's retries, decides the downgrade.
    control(cloud, "config", payment_retry_days=[3, 10], after_retries="past_due")
    session = subscribe(cloud, tenant)
    customer = str(stripe_api.v1.checkout.sessions.retrieve(session["session_id"]).customer)
    control(cloud, f"customers/{customer}/payment_method", outcome="failing")

    renewal = control(cloud, "advance", days="31")
    assert "invoice.payment_failed" in {e["type"] for e in renewal["events"]}
    control(cloud, "webhooks/flush")
    time.sleep(0.5)
    assert plan_of(tenant) == "pro"  # within the grace period
    actions = audit_actions(tenant)
    assert "billing.payment_failed" in {a["action"] for a in actions}
    notice = next(a for a in actions if a["action"] == "billing.notice")
    assert notice["resource"].startswith("notice/payment_failed:") and "POST /billing/portal" in notice["resource"]

    retry = control(cloud, "advance", days="4")  # the day-3 retry fails too: still in grace
    assert "invoice.payment_failed" in {e["type"] for e in retry["events"]}
    control(cloud, "webhooks/flush")
    time.sleep(0.5)
    assert plan_of(tenant) == "pro"
    # The hourly schedule (fired now through the local cloud) leaves a grace period that is still running alone.
    fired = httpx.post(f"{cloud.api_url}/_localcloud/schedules/BillingSweepSchedule", timeout=60)
    assert fired.status_code == 200, fired.text
    (run,) = fired.json()["results"]
    assert run["function"].endswith("-purge") and run["result"]["failed"] == 0
    assert plan_of(tenant) == "pro"
    # Past due: no move up until the open invoice is paid.
    up = paced("POST", f"{tenant.api_url}/billing/checkout", json={"plan": "business"}, headers=tenant.bearer(),
               timeout=30)
    assert up.status_code == 409 and up.json()["error"]["details"][0]["reason"] == "subscription_past_due"

    control(cloud, "advance", days="7")  # the day-10 retry fails after the grace period ended
    wait_for_plan(cloud, tenant, "free")
    assert usage_plans_holding(tenant) == ["free"]
    actions = audit_actions(tenant)
    assert "billing.grace_expired" in {a["action"] for a in actions}
    assert any(a["action"] == "tenant.plan_change" and a["resource"] == "plan/pro->free" for a in actions)
    assert any(a["action"] == "billing.notice" and a["resource"].startswith("notice/grace_expired:") for a in actions)


# --- operators --------------------------------------------------------------------------------------------------


def test_an_operator_grants_a_plan_with_aws_credentials_and_is_named_in_the_audit(cloud: RunningCloud,
                                                                                  tenant: Tenant) -> None:
    import subprocess
    import sys

    from tests.support.cloud import REPO

    def operator(*args: str) -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-m", "scripts.grant_plan", "grant", "--tenant", tenant.tenant_id,
                               "--state", str(cloud.state_file), *args], cwd=REPO, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    granted = operator("--plan", "business", "--reason", "pilot")
    caller = boto3.client("sts").get_caller_identity()["Arn"]
    assert granted == {"tenant_id": tenant.tenant_id, "granted": "business", "plan": "business", "operator": caller}
    assert plan_of(tenant) == "business" and usage_plans_holding(tenant) == ["business"]
    grant = next(a for a in audit_actions(tenant) if a["action"] == "billing.grant")
    assert grant["actor"] == caller and grant["principal_type"] == "operator" and "pilot" in grant["resource"]
    # No tenant credential reaches it: there is no route, and the tenant's own PUT cannot go back up.
    assert operator("--plan", "free", "--reason", "pilot over")["plan"] == "free"
    again = httpx.put(f"{cloud.api_url}/tenant/plan", json={"plan": "business"}, headers=tenant.bearer(), timeout=30)
    assert again.status_code == 402 and plan_of(tenant) == "free"
    bad = subprocess.run([sys.executable, "-m", "scripts.grant_plan", "grant", "--tenant", tenant.tenant_id, "--plan",
                          "platinum", "--reason", "x", "--state", str(cloud.state_file)], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2 and "unknown plan" in bad.stderr
