"""The billing sandbox's webhooks over real HTTP: the hosted pay and portal pages and their HTTP twins change
state and send events signed as Stripe signs them, verified here with `stripe.Webhook.construct_event`; retries
with backoff, duplicates, out-of-order delivery, the sandbox clock, and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe

from scripts.billing_sandbox import BillingSandbox, sign, start_billing_sandbox
from scripts.billing_sandbox.receiver import WebhookReceiver
from tests.support.aws import free_port

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400


@pytest.fixture(scope="module")
def sandbox() -> Iterator[BillingSandbox]:
    server, _ = start_billing_sandbox(prices={"pro": {"unit_amount": 4900, "lookup_key": "radar_pro_monthly"}},
                                      retry_delays=(0.2, 0.4))
    yield server
    server.stop()


@pytest.fixture
def receiver(sandbox: BillingSandbox) -> Iterator[WebhookReceiver]:
    sandbox.reset()
    endpoint = WebhookReceiver(sandbox.config.webhook_secret)
    sandbox.configure({"webhook_url": endpoint.url, "retry_delays": [0.2, 0.4], "enabled_events": ["*"]})
    yield endpoint
    endpoint.stop()


@pytest.fixture
def client(sandbox: BillingSandbox, receiver: WebhookReceiver) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.config.api_key, base_addresses={"api": sandbox.url}, max_network_retries=0)


@pytest.fixture
def http(sandbox: BillingSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=10.0) as session:
        yield session


def _checkout(client: stripe.StripeClient) -> stripe.checkout.Session:
    customer = client.v1.customers.create(params={"email": "ops@acme.example",
                                                  "metadata": {"tenant_id": "tenant-1"}})
    price = client.v1.prices.list(params={"lookup_keys": ["radar_pro_monthly"]}).data[0]
    return client.v1.checkout.sessions.create(params={
        "mode": "subscription", "customer": customer.id, "line_items": [{"price": price.id, "quantity": 1}],
        "success_url": "https://app.example/billing/ok?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://app.example/billing/cancel", "client_reference_id": "tenant-1",
        "metadata": {"tenant_id": "tenant-1"}, "subscription_data": {"metadata": {"tenant_id": "tenant-1"}}})


def _flush(http: httpx.Client) -> None:
    assert http.post("/_sandbox/webhooks/flush", params={"timeout": 10}).json()["flushed"] is True


def _paid(client: stripe.StripeClient, http: httpx.Client, receiver: WebhookReceiver) -> stripe.checkout.Session:
    session = _checkout(client)
    http.post(f"/_sandbox/sessions/{session.id}/pay").raise_for_status()
    _flush(http)
    receiver.wait_for(lambda d: any(x.event.type == "checkout.session.completed" for x in d))
    return client.v1.checkout.sessions.retrieve(session.id)


def test_paying_on_the_hosted_page_sends_verified_events(client: stripe.StripeClient, http: httpx.Client,
                                                         receiver: WebhookReceiver) -> None:
    session = _checkout(client)
    page = http.get(f"/pay/{session.id}")
    assert page.status_code == 200 and 'id="pay-fail"' in page.text and 'id="cancel"' in page.text

    answer = http.post(f"/pay/{session.id}", data={"action": "pay"})

    assert answer.status_code == 303
    assert answer.headers["Location"] == f"https://app.example/billing/ok?session={session.id}"
    deliveries = receiver.wait_for(lambda d: any(x.event.type == "checkout.session.completed" for x in d))
    types = [d.event.type for d in deliveries]
    assert types == ["customer.created", "customer.subscription.created", "invoice.created", "invoice.finalized",
                     "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated",
                     "checkout.session.completed"]
    completed = deliveries[-1].event
    assert isinstance(completed, stripe.Event)
    obj = completed.data.object
    assert obj["id"] == session.id and obj["client_reference_id"] == "tenant-1"
    assert obj["metadata"]["tenant_id"] == "tenant-1" and obj["payment_status"] == "paid"
    assert obj["subscription"].startswith("sub_") and obj["customer"] == session.customer
    paid_invoice = deliveries[4].event.data.object
    assert paid_invoice["parent"]["subscription_details"]["subscription"] == obj["subscription"]
    assert receiver.rejected == []


def test_events_are_stripe_events_signed_with_the_endpoint_secret(client: stripe.StripeClient, http: httpx.Client,
                                                                  sandbox: BillingSandbox,
                                                                  receiver: WebhookReceiver) -> None:
    _paid(client, http, receiver)
    first = receiver.deliveries[0]
    event = json.loads(first.raw)

    assert event["id"].startswith("evt_") and event["object"] == "event"
    assert event["api_version"] == stripe.api_version and event["livemode"] is False
    assert event["pending_webhooks"] == 1 and isinstance(event["created"], int)
    assert event["request"]["id"].startswith("req_") and event["request"]["idempotency_key"]  # an API call
    from_page = json.loads(receiver.deliveries[-1].raw)
    assert from_page["request"] == {"id": None, "idempotency_key": None}  # a payment, not an API call
    timestamp = int(first.signature.split(",")[0].removeprefix("t="))
    assert abs(timestamp - time.time()) < 30
    assert first.signature == sign(first.raw.decode(), sandbox.config.webhook_secret, timestamp)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(first.raw.replace(b"tenant-1", b"tenant-2"), first.signature,
                                       sandbox.config.webhook_secret)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(first.raw, first.signature, "whsec_someone_else")
    old = sign(first.raw.decode(), sandbox.config.webhook_secret, int(time.time()) - 301)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):  # replayed after the tolerance
        stripe.Webhook.construct_event(first.raw, old, sandbox.config.webhook_secret, tolerance=300)
    retrieved = client.v1.events.retrieve(event["id"])
    assert retrieved.type == event["type"]


def test_a_declined_payment_announces_invoice_payment_failed(client: stripe.StripeClient, http: httpx.Client,
                                                             receiver: WebhookReceiver) -> None:
    session = _checkout(client)

    answer = http.post(f"/pay/{session.id}", data={"action": "fail"})

    assert answer.status_code == 303 and answer.headers["Location"] == f"/pay/{session.id}?error=card_declined"
    assert "declined" in http.get(answer.headers["Location"]).text
    receiver.wait_for(lambda d: "invoice.payment_failed" in [x.event.type for x in d])
    assert "checkout.session.completed" not in receiver.types()
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_cancel_on_the_pay_page_goes_back_and_changes_nothing(client: stripe.StripeClient, http: httpx.Client,
                                                              receiver: WebhookReceiver) -> None:
    session = _checkout(client)
    _flush(http)
    before = len(receiver.deliveries)

    answer = http.post(f"/pay/{session.id}", data={"action": "cancel"})

    assert answer.status_code == 303 and answer.headers["Location"] == "https://app.example/billing/cancel"
    _flush(http)
    assert len(receiver.deliveries) == before
    expired = http.post(f"/_sandbox/sessions/{session.id}/expire").json()
    assert [e["type"] for e in expired["events"]] == ["checkout.session.expired"]


def test_non_2xx_answers_are_retried_with_backoff_and_do_not_hold_back_others(
        client: stripe.StripeClient, http: httpx.Client, sandbox: BillingSandbox, receiver: WebhookReceiver) -> None:
    receiver.fail_next(2)
    first = client.v1.customers.create(params={"name": "first"})
    _flush(http)

    attempts = http.get("/_sandbox/webhooks").json()["attempts"]
    mine = [a for a in attempts if a["event_type"] == "customer.created"]
    assert [a["status"] for a in mine] == [500, 500, 200] and [a["attempt"] for a in mine] == [1, 2, 3]
    assert mine[1]["at"] - mine[0]["at"] >= 0.2 and mine[2]["at"] - mine[1]["at"] >= 0.4
    assert mine[2]["signature_timestamp"] >= mine[0]["signature_timestamp"]  # re-signed on each attempt
    assert [d.event.data.object["id"] for d in receiver.deliveries] == [first.id]

    receiver.fail_next(1)
    slow = client.v1.customers.create(params={"name": "slow"})
    fast = client.v1.customers.create(params={"name": "fast"})
    _flush(http)
    assert [d.event.data.object["id"] for d in receiver.deliveries[1:]] == [fast.id, slow.id]


def test_delivery_gives_up_after_the_last_retry(client: stripe.StripeClient, http: httpx.Client,
                                                receiver: WebhookReceiver) -> None:
    receiver.fail_next(100)
    client.v1.customers.create()
    _flush(http)

    status = http.get("/_sandbox/webhooks").json()
    assert [a["status"] for a in status["attempts"]] == [500, 500, 500] and status["pending"] == 0


def test_duplicates_redeliveries_and_out_of_order(client: stripe.StripeClient, http: httpx.Client,
                                                  receiver: WebhookReceiver) -> None:
    http.post("/_sandbox/webhooks/duplicate", params={"on": "true"})
    customer = client.v1.customers.create()
    _flush(http)
    http.post("/_sandbox/webhooks/duplicate", params={"on": "false"})
    event_id = receiver.deliveries[0].event.id
    assert [d.event.id for d in receiver.deliveries] == [event_id, event_id]
    assert http.post(f"/_sandbox/events/{event_id}/deliver", params={"times": 2}).json()["queued"] == 2
    _flush(http)
    assert [d.event.id for d in receiver.deliveries] == [event_id] * 4

    session = _checkout(client)
    http.post("/_sandbox/webhooks/hold")
    paid = http.post(f"/_sandbox/sessions/{session.id}/pay").json()
    time.sleep(0.1)
    assert receiver.types()[-1] != "checkout.session.completed"  # held
    released = http.post("/_sandbox/webhooks/release", params={"order": "reverse"}).json()["released"]
    _flush(http)

    assert released == [e["id"] for e in reversed(paid["events"])]
    arrived = receiver.types()[-len(paid["events"]):]
    assert arrived[0] == "checkout.session.completed" and arrived[-1] == "customer.subscription.created"
    assert customer.id


def test_enabled_events_filter_what_is_sent(client: stripe.StripeClient, http: httpx.Client,
                                            sandbox: BillingSandbox, receiver: WebhookReceiver) -> None:
    sandbox.configure({"enabled_events": ["checkout.session.completed", "invoice.paid"]})
    _paid(client, http, receiver)
    assert receiver.types() == ["invoice.paid", "checkout.session.completed"]
    event = client.v1.events.list(params={"type": "customer.created"}).data[0]
    assert event.pending_webhooks == 0  # stored, not sent


def test_portal_cancel_at_period_end_then_the_clock_ends_it(client: stripe.StripeClient, http: httpx.Client,
                                                            receiver: WebhookReceiver) -> None:
    session = _paid(client, http, receiver)
    portal = client.v1.billing_portal.sessions.create(params={"customer": str(session.customer),
                                                              "return_url": "https://app.example/account"})
    answer = http.post(f"/portal/{portal.id}", data={"action": "cancel"})
    assert answer.status_code == 303 and "canceled at the end" in http.get(answer.headers["Location"]).text
    updated = receiver.wait_for(lambda d: d[-1].event.type == "customer.subscription.updated")[-1].event
    assert updated.data.object["cancel_at_period_end"] is True
    assert updated.data.previous_attributes["cancel_at_period_end"] is False
    end = updated.data.object["cancel_at"]

    advanced = http.post("/_sandbox/advance", params={"days": 40}).json()

    assert [e["type"] for e in advanced["events"]] == ["customer.subscription.deleted"]
    assert advanced["events"][0]["created"] == end
    deleted = receiver.wait_for(lambda d: d[-1].event.type == "customer.subscription.deleted")[-1].event
    assert deleted.data.object["status"] == "canceled"
    assert client.v1.subscriptions.retrieve(str(session.subscription)).status == "canceled"


def test_failing_card_from_the_portal_then_renewal_fails_and_a_new_card_pays(
        client: stripe.StripeClient, http: httpx.Client, receiver: WebhookReceiver) -> None:
    session = _paid(client, http, receiver)
    sub_id = str(session.subscription)
    portal = client.v1.billing_portal.sessions.create(params={"customer": str(session.customer)})
    assert http.post(f"/portal/{portal.id}", data={"action": "fail_card"}).status_code == 303
    assert "failing" in http.get(f"/portal/{portal.id}").text

    advanced = http.post("/_sandbox/advance", params={"days": 31}).json()

    types = [e["type"] for e in advanced["events"]]
    assert "invoice.payment_failed" in types and "invoice.paid" not in types
    _flush(http)
    failed = [d.event for d in receiver.deliveries if d.event.type == "invoice.payment_failed"][-1]
    assert failed.data.object["next_payment_attempt"] > failed.data.object["created"]
    assert client.v1.subscriptions.retrieve(sub_id).status == "past_due"

    assert http.post(f"/portal/{portal.id}", data={"action": "fix_card"}).status_code == 303
    _flush(http)
    assert receiver.types()[-3:] == ["invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]
    assert client.v1.subscriptions.retrieve(sub_id).status == "active"
    assert http.get("/_sandbox/clock").json()["offset"] >= 31 * DAY - 5


def test_the_command_line_starts_a_sandbox_the_sdk_talks_to(tmp_path: Path) -> None:
    port = free_port()
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"pro": {"unit_amount": 4900, "price_id": "price_cli_pro"}}), encoding="utf-8")
    key = "sk_test_cli_" + os.urandom(6).hex()
    command = [sys.executable, "-m", "scripts.billing_sandbox", "--port", str(port), "--api-key", key,
               "--webhook-secret", "whsec_cli_" + os.urandom(6).hex(), "--prices", str(prices)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/_sandbox/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the sandbox did not start"
            time.sleep(0.1)
        client = stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)
        price: Any = client.v1.prices.retrieve("price_cli_pro")
        assert price.unit_amount == 4900 and price.nickname == "pro"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stderr is not None and f"billing sandbox on http://127.0.0.1:{port}" in process.stderr.read()
