"""Billing rules without a network or a table: the effective plan, grace and held plans, upsell, and the Stripe
adapter's webhook verification with the official SDK (signatures computed here as Stripe computes them)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from radar.billing.errors import InvalidWebhook
from radar.billing.models import BillingItem
from radar.billing.port import SubscriptionState
from radar.billing.service import BillingService, effective_plan
from radar.billing.settings import BillingSettings
from radar.billing.stripe_provider import StripeProvider
from radar.tiers import load_tiers

DAY = 86400.0
SECRET = "whsec_unit_test_secret"
TIERS = load_tiers()


def _item(**fields: Any) -> BillingItem:
    return BillingItem("TENANT#t1", "BILLING", tenant_id="t1", **fields)


def _service(grace_days: float = 7.0) -> BillingService:
    settings = BillingSettings(BILLING_GRACE_DAYS=grace_days)
    return BillingService(settings=settings, tenants=None, gateway_keys=None, repository=object(),  # type: ignore[arg-type]
                          provider=lambda: None)  # type: ignore[arg-type, return-value]


def _state(status: str, plan: str | None = "pro", sub: str = "sub_1") -> SubscriptionState:
    return SubscriptionState(id=sub, customer_id="cus_1", status=status, plan=plan, period_end=int(10 * DAY),
                             cancel_at_period_end=False)


@pytest.mark.parametrize(
    ("fields", "now", "expected"),
    [
        ({}, 0, "free"),
        ({"subscription_status": "active", "subscription_plan": "pro"}, 0, "pro"),
        ({"subscription_status": "incomplete", "subscription_plan": "pro"}, 0, "free"),
        ({"subscription_status": "canceled", "subscription_plan": "business"}, 0, "free"),
        ({"subscription_status": "past_due", "subscription_plan": "pro", "grace_until": 5 * DAY}, DAY, "pro"),
        ({"subscription_status": "past_due", "subscription_plan": "pro", "lapsed": True}, DAY, "free"),
        ({"subscription_status": "active", "subscription_plan": "pro", "held_plan": "business",
          "held_until": 5 * DAY}, DAY, "business"),
        ({"subscription_status": "active", "subscription_plan": "pro", "held_plan": "business",
          "held_until": 5 * DAY}, 6 * DAY, "pro"),
        ({"subscription_status": "active", "subscription_plan": "pro", "granted_plan": "enterprise"}, 0, "enterprise"),
        ({"subscription_status": "active", "subscription_plan": "business", "granted_plan": "pro"}, 0, "business"),
        ({"granted_plan": "platinum"}, 0, "free"),
    ],
)
def test_the_effective_plan_is_the_highest_of_what_is_paid_held_and_granted(
    fields: dict[str, Any], now: float, expected: str
) -> None:
    assert effective_plan(_item(**fields), now, TIERS) == expected


def test_a_past_due_subscription_gets_the_grace_period_once_then_lapses() -> None:
    service, item = _service(grace_days=7), _item(subscription_status="active", subscription_plan="pro")
    notes = service._reconcile(item, _state("past_due"), 100 * DAY)
    assert [n[0] for n in notes] == ["billing.subscription", "billing.payment_failed", "billing.notice"]
    assert item.grace_until == 107 * DAY and "POST /billing/portal" in notes[-1][1]
    # A second failure (a retry) does not restart the grace period.
    assert service._reconcile(item, _state("past_due"), 103 * DAY) == []
    assert item.grace_until == 107 * DAY
    assert service._advance(item, 106 * DAY) == [] and effective_plan(item, 106 * DAY, TIERS) == "pro"
    expired = service._advance(item, 107 * DAY)
    assert [n[0] for n in expired] == ["billing.grace_expired", "billing.notice"]
    assert item.lapsed and effective_plan(item, 107 * DAY, TIERS) == "free"
    # An evaluation at an earlier time does not undo it; a paid invoice does.
    assert effective_plan(item, 101 * DAY, TIERS) == "free"
    recovered = service._reconcile(item, _state("active"), 108 * DAY)
    assert "billing.payment_recovered" in [n[0] for n in recovered]
    assert not item.lapsed and item.grace_until is None and effective_plan(item, 108 * DAY, TIERS) == "pro"


def test_an_old_subscriptions_news_does_not_undo_the_current_one() -> None:
    service, item = _service(), _item(subscription_id="sub_new", subscription_status="active",
                                      subscription_plan="business")
    assert service._reconcile(item, _state("canceled", sub="sub_old"), DAY) == []
    assert item.subscription_id == "sub_new" and effective_plan(item, DAY, TIERS) == "business"


def test_upsell_names_the_next_plan_its_price_and_the_checkout() -> None:
    offer = TIERS.upsell("free")
    assert offer is not None and offer["plan"] == "pro"
    pro = TIERS.get("pro")
    assert pro.price is not None
    assert offer["price"] == pro.price.model_dump() and offer["gives"]["monthly_checks"] == pro.monthly_checks
    assert offer["checkout"] == {"route": "POST /billing/checkout", "body": {"plan": "pro"}}
    assert pro.price.display() in TIERS.offer("free") and '"' not in TIERS.offer("free")
    top = list(TIERS.tiers)[-1]
    assert TIERS.upsell(top) is None and TIERS.offer(top) == ""


def _signed(payload: str, *, secret: str = SECRET, at: int | None = None) -> str:
    stamp = int(time.time()) if at is None else at
    return f"t={stamp},v1=" + hmac.new(secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()


def _provider() -> StripeProvider:
    return StripeProvider("sk_test_unit", SECRET, api_base="http://127.0.0.1:9", tolerance_seconds=300,
                          plan_of_lookup_key={"radar_pro_monthly": "pro"})


INVOICE_EVENT = json.dumps({
    "id": "evt_1", "object": "event", "type": "invoice.payment_failed", "created": 1_800_000_000,
    "data": {"object": {"object": "invoice", "id": "in_1", "customer": "cus_1", "parent": {
        "subscription_details": {"subscription": "sub_1", "metadata": {"tenant_id": "t-claimed"}}}}},
}, indent=2)


def test_a_signed_event_verifies_and_names_its_customer_and_subscription() -> None:
    event = _provider().verify_event(INVOICE_EVENT.encode(), _signed(INVOICE_EVENT))
    assert (event.id, event.type, event.created) == ("evt_1", "invoice.payment_failed", 1_800_000_000)
    assert (event.customer_id, event.subscription_id, event.metadata_tenant_id) == ("cus_1", "sub_1", "t-claimed")


@pytest.mark.parametrize(
    ("signature", "payload", "reason"),
    [
        ("", INVOICE_EVENT, "missing"),
        (_signed(INVOICE_EVENT, secret="whsec_other"), INVOICE_EVENT, "signature_mismatch"),
        (_signed(INVOICE_EVENT, at=int(time.time()) - 3600), INVOICE_EVENT, "timestamp_outside_tolerance"),
        (_signed(INVOICE_EVENT), INVOICE_EVENT.replace("cus_1", "cus_2"), "signature_mismatch"),
        (_signed(json.dumps(json.loads(INVOICE_EVENT))), INVOICE_EVENT, "signature_mismatch"),  # re-serialized
    ],
)
def test_anything_but_a_fresh_signature_over_the_raw_body_is_refused(signature: str, payload: str,
                                                                     reason: str) -> None:
    with pytest.raises(InvalidWebhook) as refused:
        _provider().verify_event(payload.encode(), signature)
    assert refused.value.status == 400 and refused.value.details[0]["reason"] == reason
