"""Billing sandbox state without HTTP: Checkout payment, declines, renewals on the sandbox clock, Stripe's retry
schedule, cancellation at period end, expiries, prorated upgrades, and the events each step announces."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scripts.billing_sandbox.config import BillingSandboxConfig, PlanPrice
from scripts.billing_sandbox.errors import StripeApiError
from scripts.billing_sandbox.objects import add_interval, money
from scripts.billing_sandbox.state import BillingState

DAY = 86400


class Account:
    def __init__(self, **settings: Any) -> None:
        prices = (PlanPrice("pro", 4900, price_id="price_pro"), PlanPrice("business", 19900, price_id="price_biz"))
        self.published: list[dict[str, Any]] = []
        self.state = BillingState(BillingSandboxConfig(prices=prices, **settings), self.published.append,
                                  lambda _type: True)

    def types(self) -> list[str]:
        return [e["type"] for e in self.published]

    def take(self) -> list[str]:
        types = self.types()
        self.published.clear()
        return types

    def checkout(self, price: str = "price_pro") -> dict[str, Any]:
        customer = self.state.create_customer(email="ops@example.com", name=None, description=None, phone=None,
                                              metadata={"tenant_id": "t-1"})
        return self.state.create_checkout_session(
            items=[(price, 1)], customer_id=customer["id"], customer_email=None, client_reference_id="t-1",
            metadata={"tenant_id": "t-1"}, subscription_metadata={"tenant_id": "t-1"},
            subscription_description=None, success_url="https://app.example/ok?s={CHECKOUT_SESSION_ID}",
            cancel_url=None, expires_at=None, locale=None)

    def subscribe(self, price: str = "price_pro") -> dict[str, Any]:
        session, paid = self.state.pay_session(self.checkout(price)["id"], "succeeded")
        assert paid
        self.published.clear()
        return self.state.subscriptions[session["subscription"]]


def test_months_are_calendar_months_with_the_day_clamped() -> None:
    jan31 = int(dt.datetime(2027, 1, 31, 12, tzinfo=dt.UTC).timestamp())
    feb28 = dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC)
    assert dt.datetime.fromtimestamp(add_interval(jan31, "month"), dt.UTC) == feb28
    assert dt.datetime.fromtimestamp(add_interval(jan31, "year"), dt.UTC).year == 2028
    assert add_interval(jan31, "week", 2) - jan31 == 14 * DAY
    assert money(4900, "brl") == "R$ 49,00" and money(123456, "brl") == "R$ 1.234,56"


def test_paid_checkout_announces_what_stripe_does_in_order() -> None:
    account = Account()
    session = account.checkout()
    account.take()

    session, paid = account.state.pay_session(session["id"], "succeeded")

    assert paid and session["status"] == "complete" and session["payment_status"] == "paid"
    assert account.types() == ["customer.subscription.created", "invoice.created", "invoice.finalized",
                               "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated",
                               "checkout.session.completed"]
    created, updated = account.published[0], account.published[5]
    assert created["data"]["object"]["status"] == "incomplete"
    assert updated["data"]["object"]["status"] == "active"
    assert updated["data"]["previous_attributes"] == {"status": "incomplete"}
    sub = account.state.subscriptions[session["subscription"]]
    assert sub["metadata"] == {"tenant_id": "t-1"}
    invoice = account.state.invoices[session["invoice"]]
    assert invoice["parent"]["subscription_details"] == {"metadata": {"tenant_id": "t-1"},
                                                         "subscription": sub["id"]}
    assert (invoice["status"], invoice["amount_paid"], invoice["billing_reason"]) == ("paid", 4900,
                                                                                     "subscription_create")
    assert account.state.success_redirect(session) == f"https://app.example/ok?s={session['id']}"


def test_a_declined_card_leaves_the_session_open_and_a_later_payment_completes_it() -> None:
    account = Account()
    session = account.checkout()
    account.take()

    _, paid = account.state.pay_session(session["id"], "failed")
    assert not paid and session["status"] == "open"
    assert account.take() == ["customer.subscription.created", "invoice.created", "invoice.finalized",
                              "invoice.payment_failed"]
    _, paid = account.state.pay_session(session["id"], "succeeded")

    assert paid
    assert account.take() == ["invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated",
                              "checkout.session.completed"]
    invoice = account.state.invoices[session["invoice"]]
    assert invoice["attempt_count"] == 2
    assert len(account.state.subscriptions) == 1  # the retry reused the subscription
    with pytest.raises(StripeApiError):
        account.state.pay_session(session["id"], "succeeded")


def test_renewals_bill_each_period_at_its_own_instant() -> None:
    account = Account()
    sub = account.subscribe()
    _, first_end = account.state.period(sub)

    account.state.advance(65 * DAY)

    renewals = [e for e in account.published if e["type"] == "invoice.paid"]
    assert len(renewals) == 2
    assert renewals[0]["created"] == first_end  # the first renewal happened at the period end, not at +65 days
    assert renewals[0]["data"]["object"]["billing_reason"] == "subscription_cycle"
    assert renewals[0]["data"]["object"]["lines"]["data"][0]["period"]["start"] == first_end
    assert account.state.period(sub)[0] == renewals[1]["created"]
    assert sub["status"] == "active"


def test_failing_card_past_due_then_the_retry_schedule_then_canceled() -> None:
    account = Account(payment_retry_days=(3.0, 5.0, 7.0))
    sub = account.subscribe()
    account.state.set_payment_method(sub["customer"], works=False)
    end = account.state.period(sub)[1]

    account.state.advance(end - account.state.now() + 60)
    assert sub["status"] == "past_due"
    failed = [e for e in account.published if e["type"] == "invoice.payment_failed"]
    assert failed[-1]["data"]["object"]["next_payment_attempt"] == end + 3 * DAY
    assert any(e["type"] == "customer.subscription.updated"
               and e["data"]["previous_attributes"] == {"status": "active"} for e in account.published)
    account.take()

    account.state.advance(8 * DAY)

    assert account.take() == ["invoice.payment_failed"] * 3 + ["customer.subscription.deleted"]
    assert sub["status"] == "canceled" and sub["cancellation_details"]["reason"] == "payment_failed"


def test_a_fixed_card_pays_the_open_invoice_and_reactivates() -> None:
    account = Account()
    sub = account.subscribe()
    account.state.set_payment_method(sub["customer"], works=False)
    account.state.advance(32 * DAY)
    assert sub["status"] == "past_due"
    account.take()

    retried = account.state.set_payment_method(sub["customer"], works=True)

    assert [i["status"] for i in retried] == ["paid"]
    assert account.take() == ["invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]
    assert sub["status"] == "active"


def test_cancel_at_period_end_ends_the_subscription_at_the_period_end() -> None:
    account = Account()
    sub = account.subscribe()
    end = account.state.period(sub)[1]

    account.state.update_subscription(sub["id"], cancel_at_period_end=True, metadata=None, description=None,
                                      items=None, proration_behavior="none", cancellation_reason=None)
    assert account.take() == ["customer.subscription.updated"]
    assert sub["cancel_at"] == end and sub["status"] == "active"
    account.state.advance(end - account.state.now() + 10)

    assert account.take() == ["customer.subscription.deleted"]  # no renewal invoice
    assert sub["status"] == "canceled" and sub["ended_at"] == end


def test_an_unpaid_checkout_expires_with_its_incomplete_subscription() -> None:
    account = Account()
    session = account.checkout()
    account.state.pay_session(session["id"], "failed")
    account.take()

    account.state.advance(DAY + 1)

    assert account.take() == ["customer.subscription.updated", "invoice.voided", "checkout.session.expired"]
    assert session["status"] == "expired"
    sub = next(iter(account.state.subscriptions.values()))
    assert sub["status"] == "incomplete_expired"


def test_an_upgrade_with_always_invoice_bills_the_prorated_difference() -> None:
    account = Account()
    sub = account.subscribe()
    start, end = account.state.period(sub)
    account.state.clock_offset += (end - start) / 2  # half-way through the period
    item = sub["items"]["data"][0]

    account.state.update_subscription(sub["id"], cancel_at_period_end=None, metadata=None, description=None,
                                      items=[{"id": item["id"], "price": "price_biz"}],
                                      proration_behavior="always_invoice", cancellation_reason=None)

    assert sub["items"]["data"][0]["price"]["id"] == "price_biz"
    updated = account.published[0]
    assert updated["type"] == "customer.subscription.updated"
    assert updated["data"]["previous_attributes"]["items"]["data"][0]["price"]["id"] == "price_pro"
    invoice = account.state.invoices[sub["latest_invoice"]]
    assert invoice["billing_reason"] == "subscription_update" and invoice["status"] == "paid"
    assert invoice["amount_paid"] == pytest.approx((19900 - 4900) / 2, abs=100)


def test_the_clock_only_moves_forward() -> None:
    with pytest.raises(ValueError):
        Account().state.advance(-1)
