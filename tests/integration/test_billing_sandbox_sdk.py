"""The billing sandbox over real HTTP, driven by the official stripe SDK through its own base-URL setting:
objects, errors parsed into the SDK's exception classes, idempotency, versions, lists, expand."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from scripts.billing_sandbox import BillingSandbox, start_billing_sandbox

PRICES = {"pro": {"unit_amount": 4900, "lookup_key": "radar_pro_monthly"},
          "business": {"unit_amount": 19900, "lookup_key": "radar_business_monthly"}}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[BillingSandbox]:
    server, _ = start_billing_sandbox(prices=PRICES)
    yield server
    server.stop()


@pytest.fixture
def client(sandbox: BillingSandbox) -> stripe.StripeClient:
    sandbox.reset()
    return stripe.StripeClient(sandbox.config.api_key, base_addresses={"api": sandbox.url}, max_network_retries=0)


def _price(client: stripe.StripeClient, lookup_key: str = "radar_pro_monthly") -> stripe.Price:
    return client.v1.prices.list(params={"lookup_keys": [lookup_key]}).data[0]


def _session(client: stripe.StripeClient, customer: str, **extra: Any) -> stripe.checkout.Session:
    params: Any = {"mode": "subscription", "customer": customer,
                   "line_items": [{"price": _price(client).id, "quantity": 1}],
                   "success_url": "https://app.example/billing/ok?session={CHECKOUT_SESSION_ID}",
                   "cancel_url": "https://app.example/billing/cancel", "client_reference_id": "tenant-1",
                   "metadata": {"tenant_id": "tenant-1", "plan": "pro"},
                   "subscription_data": {"metadata": {"tenant_id": "tenant-1", "plan": "pro"}}, **extra}
    return client.v1.checkout.sessions.create(params=params)


def test_customers_are_stripe_objects(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"email": "ops@acme.example", "name": "Acme",
                                                  "metadata": {"tenant_id": "tenant-1"}})

    assert isinstance(customer, stripe.Customer) and customer.id.startswith("cus_")
    assert customer.object == "customer" and customer.livemode is False and customer.created > 1_700_000_000
    assert customer.metadata.to_dict() == {"tenant_id": "tenant-1"}
    again = client.v1.customers.retrieve(customer.id)
    assert again.email == "ops@acme.example" and again.name == "Acme"
    updated = client.v1.customers.update(customer.id, params={"metadata": {"stripe_sync": "1", "tenant_id": ""}})
    assert updated.metadata.to_dict() == {"stripe_sync": "1"}  # an empty value unsets a key, as Stripe does
    assert [c.id for c in client.v1.customers.list(params={"email": "ops@acme.example"}).data] == [customer.id]


def test_customer_search_by_metadata(client: stripe.StripeClient) -> None:
    ours = client.v1.customers.create(params={"metadata": {"tenant_id": "tenant-1"}})
    client.v1.customers.create(params={"metadata": {"tenant_id": "tenant-2"}})

    found = client.v1.customers.search(params={"query": "metadata['tenant_id']:'tenant-1'"})

    assert found.object == "search_result" and [c.id for c in found.data] == [ours.id]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.search(params={"query": "colour:'red'"})
    assert raised.value.param == "query"


def test_seeded_prices_and_created_products_and_prices(client: stripe.StripeClient) -> None:
    pro = _price(client)
    assert pro.id.startswith("price_") and pro.unit_amount == 4900 and pro.currency == "brl"
    assert pro.recurring is not None and pro.recurring.interval == "month" and pro.type == "recurring"
    assert client.v1.products.retrieve(str(pro.product)).metadata.to_dict() == {"plan": "pro"}

    product = client.v1.products.create(params={"name": "Enterprise", "metadata": {"plan": "enterprise"}})
    price = client.v1.prices.create(params={"product": product.id, "currency": "brl", "unit_amount": 99000,
                                            "recurring": {"interval": "month"}, "lookup_key": "radar_ent"})
    assert product.id.startswith("prod_") and price.product == product.id and price.unit_amount == 99000
    assert client.v1.prices.retrieve(price.id).lookup_key == "radar_ent"
    with pytest.raises(stripe.InvalidRequestError) as taken:
        client.v1.prices.create(params={"product": product.id, "currency": "brl", "unit_amount": 1,
                                        "lookup_key": "radar_ent"})
    assert taken.value.param == "lookup_key"


def test_checkout_session_in_subscription_mode(client: stripe.StripeClient, sandbox: BillingSandbox) -> None:
    customer = client.v1.customers.create(params={"email": "ops@acme.example"})

    session = _session(client, customer.id)

    assert isinstance(session, stripe.checkout.Session) and session.id.startswith("cs_test_")
    assert session.object == "checkout.session" and session.mode == "subscription"
    assert session.status == "open" and session.payment_status == "unpaid"
    assert session.url == f"{sandbox.url}/pay/{session.id}"
    assert session.customer == customer.id and session.client_reference_id == "tenant-1"
    assert session.amount_total == 4900 and session.currency == "brl" and session.subscription is None
    page = httpx.get(session.url)
    assert page.status_code == 200 and "R$ 49,00" in page.text and 'id="pay"' in page.text
    expanded = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items", "customer"]})
    assert expanded.line_items is not None and expanded.line_items.data[0].price.id == _price(client).id
    assert isinstance(expanded.customer, stripe.Customer) and expanded.customer.id == customer.id


def test_paying_makes_an_active_subscription_and_a_paid_invoice(client: stripe.StripeClient,
                                                               sandbox: BillingSandbox) -> None:
    customer = client.v1.customers.create(params={"email": "ops@acme.example"})
    session = _session(client, customer.id)

    paid = httpx.post(f"{sandbox.url}/_sandbox/sessions/{session.id}/pay", params={"outcome": "succeeded"}).json()

    assert paid["paid"] is True
    assert paid["redirect"] == f"https://app.example/billing/ok?session={session.id}"
    done = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["subscription.latest_invoice"]})
    assert done.status == "complete" and done.payment_status == "paid"
    sub = done.subscription
    assert isinstance(sub, stripe.Subscription) and sub.status == "active" and sub.customer == customer.id
    assert sub.metadata.to_dict() == {"tenant_id": "tenant-1", "plan": "pro"}
    item = sub["items"].data[0]
    assert item.price.id == _price(client).id and item.current_period_end > item.current_period_start
    invoice = sub.latest_invoice
    assert isinstance(invoice, stripe.Invoice) and invoice.status == "paid" and invoice.amount_paid == 4900
    assert invoice.parent is not None and invoice.parent.subscription_details is not None
    assert invoice.parent.subscription_details.subscription == sub.id
    assert client.v1.invoices.retrieve(invoice.id).id.startswith("in_")
    listed = client.v1.subscriptions.list(params={"customer": customer.id})
    assert [s.id for s in listed.data] == [sub.id]


def test_portal_session_and_subscription_update_and_cancel(client: stripe.StripeClient,
                                                           sandbox: BillingSandbox) -> None:
    customer = client.v1.customers.create(params={"email": "ops@acme.example"})
    session = _session(client, customer.id)
    httpx.post(f"{sandbox.url}/_sandbox/sessions/{session.id}/pay").raise_for_status()
    sub_id = str(client.v1.checkout.sessions.retrieve(session.id).subscription)

    portal = client.v1.billing_portal.sessions.create(params={"customer": customer.id,
                                                              "return_url": "https://app.example/account"})
    assert portal.id.startswith("bps_") and portal.object == "billing_portal.session"
    assert portal.url == f"{sandbox.url}/portal/{portal.id}" and portal.return_url == "https://app.example/account"
    assert "Cancel plan" in httpx.get(portal.url).text

    sub = client.v1.subscriptions.retrieve(sub_id)
    business = _price(client, "radar_business_monthly")
    upgraded = client.v1.subscriptions.update(sub_id, params={
        "items": [{"id": sub["items"].data[0].id, "price": business.id}], "proration_behavior": "none"})
    assert upgraded["items"].data[0].price.id == business.id
    scheduled = client.v1.subscriptions.update(sub_id, params={"cancel_at_period_end": True})
    assert scheduled.cancel_at_period_end is True
    assert scheduled.cancel_at == upgraded["items"].data[0].current_period_end
    canceled = client.v1.subscriptions.cancel(sub_id)
    assert canceled.status == "canceled" and canceled.ended_at is not None
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.cancel(sub_id)


def test_authentication_errors(sandbox: BillingSandbox) -> None:
    wrong = stripe.StripeClient("sk_test_not_the_key", base_addresses={"api": sandbox.url}, max_network_retries=0)
    with pytest.raises(stripe.AuthenticationError) as raised:
        wrong.v1.customers.list()
    assert raised.value.http_status == 401
    assert raised.value.error is not None and raised.value.error.type == "invalid_request_error"
    assert "sk_test_not_the_key" not in str(raised.value.http_body)  # the key is masked, as Stripe does

    bare = httpx.get(f"{sandbox.url}/v1/customers")
    assert bare.status_code == 401 and "did not provide an API key" in bare.json()["error"]["message"]
    basic = httpx.get(f"{sandbox.url}/v1/customers", auth=(sandbox.config.api_key, ""))
    assert basic.status_code == 200 and basic.json()["object"] == "list"


def test_invalid_requests_name_the_param(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create()
    cases: list[tuple[Any, int, str | None, str]] = [
        (lambda: client.v1.checkout.sessions.create(params={"mode": "subscription", "customer": customer.id}),
         400, "parameter_missing", "line_items"),
        (lambda: client.v1.checkout.sessions.create(params={"line_items": [{"price": "price_x"}]}),
         400, "parameter_missing", "mode"),
        (lambda: _session(client, "cus_missing"), 400, "resource_missing", "customer"),
        (lambda: client.v1.checkout.sessions.create(params={"mode": "subscription",
                                                            "line_items": [{"price": "price_nope"}]}),
         400, "resource_missing", "line_items[0][price]"),
        (lambda: client.v1.customers.retrieve("cus_doesnotexist"), 404, "resource_missing", "id"),
        (lambda: client.v1.subscriptions.retrieve("sub_doesnotexist"), 404, "resource_missing", "id"),
        (lambda: client.v1.checkout.sessions.retrieve("cs_test_nope"), 404, "resource_missing", "id"),
        (lambda: client.v1.invoices.retrieve("in_nope"), 404, "resource_missing", "id"),
        (lambda: client.v1.billing_portal.sessions.create(params={"customer": "cus_nope"}), 400,
         "resource_missing", "customer"),
        (lambda: client.v1.customers.create(params={"emali": "typo@example.com"}), 400, "parameter_unknown",
         "emali"),
        (lambda: client.v1.prices.create(params={"currency": "brl", "product": "prod_x"}), 400, None, "product"),
        (lambda: client.v1.customers.create(params={"email": "not-an-email"}), 400, "email_invalid", "email"),
    ]
    for call, status, code, param in cases:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            call()
        assert (raised.value.http_status, raised.value.param) == (status, param), raised.value.user_message
        if code is not None:
            assert raised.value.code == code
        assert raised.value.request_id and raised.value.request_id.startswith("req_")


def test_idempotency_key_replays_the_first_answer(client: stripe.StripeClient, sandbox: BillingSandbox) -> None:
    params: Any = {"email": "ops@acme.example", "metadata": {"tenant_id": "tenant-1"}}
    first = client.v1.customers.create(params=params, options={"idempotency_key": "tenant-1-customer"})
    second = client.v1.customers.create(params=params, options={"idempotency_key": "tenant-1-customer"})

    assert second.id == first.id
    assert second.last_response is not None and second.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(client.v1.customers.list().data) == 1
    with pytest.raises(stripe.IdempotencyError):
        client.v1.customers.create(params={"email": "other@acme.example"},
                                   options={"idempotency_key": "tenant-1-customer"})
    # the SDK sends a fresh key with every POST: two plain calls are two customers
    client.v1.customers.create(params=params)
    assert len(client.v1.customers.list().data) == 2


def test_stripe_version_is_accepted_and_a_malformed_one_refused(sandbox: BillingSandbox) -> None:
    pinned = stripe.StripeClient(sandbox.config.api_key, base_addresses={"api": sandbox.url},
                                 stripe_version="2025-03-31.basil", max_network_retries=0)
    customer = pinned.v1.customers.create()
    assert customer.last_response is not None
    assert customer.last_response.headers["Stripe-Version"] == "2025-03-31.basil"
    bad = httpx.get(f"{sandbox.url}/v1/customers", headers={"Authorization": f"Bearer {sandbox.config.api_key}",
                                                            "Stripe-Version": "yesterday"})
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "invalid_request_error"


def test_lists_paginate_newest_first(client: stripe.StripeClient) -> None:
    ids = [client.v1.customers.create(params={"name": f"c{i}"}).id for i in range(5)]

    page = client.v1.customers.list(params={"limit": 2})
    assert [c.id for c in page.data] == ids[::-1][:2] and page.has_more is True
    everything = [c.id for c in page.auto_paging_iter()]
    assert everything == ids[::-1]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.list(params={"limit": 101})


def test_unknown_routes_answer_like_stripe(sandbox: BillingSandbox) -> None:
    response = httpx.post(f"{sandbox.url}/v1/charges", headers={"Authorization": f"Bearer {sandbox.config.api_key}"})
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("Unrecognized request URL (POST: /v1/charges)")
    assert response.headers["Request-Id"].startswith("req_")


def test_the_module_level_api_base_setting_works_too(sandbox: BillingSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.reset()
    monkeypatch.setattr(stripe, "api_key", sandbox.config.api_key)
    monkeypatch.setattr(stripe, "api_base", sandbox.url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)

    customer = stripe.Customer.create(email="ops@acme.example")

    assert customer.id.startswith("cus_") and stripe.Customer.retrieve(customer.id).email == "ops@acme.example"


def test_search_can_lag_behind_writes_as_stripes_does(client: stripe.StripeClient, sandbox: BillingSandbox) -> None:
    sandbox.configure({"search_lag_seconds": 0.3})
    try:
        customer = client.v1.customers.create(params={"metadata": {"tenant_id": "tenant-9"}})
        query: Any = {"query": "metadata['tenant_id']:'tenant-9'"}
        assert client.v1.customers.search(params=query).data == []  # read-after-write misses it
        time.sleep(0.35)
        assert [c.id for c in client.v1.customers.search(params=query).data] == [customer.id]
    finally:
        sandbox.configure({"search_lag_seconds": 0})
