"""The sandbox's Stripe account: customers, products, prices, Checkout and portal sessions, subscriptions,
invoices and events, on a sandbox clock that can be advanced (renewals, payment retries, expiries happen in time
order, each at its own instant). Every change that Stripe announces by webhook emits the same event type here.

All methods run under one lock; the API layer validates parameters before calling them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from scripts.billing_sandbox import objects as o
from scripts.billing_sandbox.config import BillingSandboxConfig
from scripts.billing_sandbox.errors import StripeApiError, no_such

__all__ = ["BillingState"]

Obj = dict[str, Any]
DAY = 86400
INCOMPLETE_EXPIRES_AFTER = 23 * 3600  # Stripe: an incomplete subscription's first invoice must be paid in 23 h
LIVE_STATUSES = ("active", "past_due", "unpaid", "trialing")


class BillingState:
    def __init__(self, config: BillingSandboxConfig, publish: Callable[[Obj], None],
                 wants: Callable[[str], bool]) -> None:
        self.config = config
        self._publish = publish
        self._wants = wants
        self.lock = threading.RLock()
        self.base_url = "http://127.0.0.1"
        self._request: tuple[str | None, str | None] = (None, None)
        self._reset()

    def _reset(self) -> None:
        self.clock_offset = 0.0
        self.customers: dict[str, Obj] = {}
        self.products: dict[str, Obj] = {}
        self.prices: dict[str, Obj] = {}
        self.sessions: dict[str, Obj] = {}
        self.portal_sessions: dict[str, Obj] = {}
        self.subscriptions: dict[str, Obj] = {}
        self.invoices: dict[str, Obj] = {}
        self.events: dict[str, Obj] = {}
        self._created_wall: dict[str, float] = {}
        self._card: dict[str, str] = {}  # customer id -> "succeeding" | "failing"
        self._session_items: dict[str, list[tuple[str, int]]] = {}
        self._session_line_items: dict[str, list[Obj]] = {}
        self._session_sub_data: dict[str, Obj] = {}
        self._session_subscription: dict[str, str] = {}
        self._incomplete_expires: dict[str, int] = {}
        self._first_failure: dict[str, int] = {}
        self._seed_prices()

    def reset(self) -> None:
        """Every object and event gone, clock back to wall time; the configured plan prices are seeded again."""
        with self.lock:
            self._reset()

    # --- clock, ids, events -------------------------------------------------------------------------------------
    def now(self) -> int:
        return int(time.time() + self.clock_offset)

    @contextmanager
    def request(self, request_id: str | None, idempotency_key: str | None) -> Iterator[None]:
        """Events emitted inside carry `request: {id, idempotency_key}` as Stripe's API-triggered events do."""
        with self.lock:
            previous, self._request = self._request, (request_id, idempotency_key)
            try:
                yield
            finally:
                self._request = previous

    def _emit(self, event_type: str, obj: Obj, previous: Obj | None = None) -> Obj:
        request_id, idempotency_key = self._request
        event = o.event(self.now(), event_type=event_type, obj=obj, previous=previous,
                        api_version=self.config.api_version, pending_webhooks=1 if self._wants(event_type) else 0,
                        request_id=request_id, idempotency_key=idempotency_key)
        self.events[event["id"]] = event
        self._publish(event)
        return event

    def _url(self, path: str) -> str:
        return (self.config.public_url or self.base_url).rstrip("/") + path

    # --- lookups ------------------------------------------------------------------------------------------------
    def get(self, kind: str, object_id: str, param: str | None = None) -> Obj:
        store = {"customer": self.customers, "product": self.products, "price": self.prices,
                 "checkout.session": self.sessions, "billing_portal.session": self.portal_sessions,
                 "subscription": self.subscriptions, "invoice": self.invoices, "event": self.events}[kind]
        found = store.get(object_id)
        if found is None or found.get("deleted"):
            raise no_such(kind, object_id, param=param)
        return found

    def resolve(self, object_id: str) -> Obj | None:
        """The object an id names, for `expand`."""
        for store in (self.customers, self.subscriptions, self.invoices, self.prices, self.products, self.sessions,
                      self.events, self.portal_sessions):
            if object_id in store:
                return store[object_id]
        return None

    def searchable(self, object_id: str) -> bool:
        lag = self.config.search_lag_seconds
        return lag <= 0 or time.time() - self._created_wall.get(object_id, 0.0) >= lag

    # --- customers ----------------------------------------------------------------------------------------------
    def create_customer(self, *, email: str | None, name: str | None, description: str | None, phone: str | None,
                        metadata: dict[str, str]) -> Obj:
        with self.lock:
            customer = o.customer(self.now(), email=email, name=name, description=description, phone=phone,
                                  metadata=metadata)
            self.customers[customer["id"]] = customer
            self._created_wall[customer["id"]] = time.time()
            self._card[customer["id"]] = "succeeding"
            self._emit("customer.created", customer)
            return customer

    def update_customer(self, customer_id: str, changes: Obj) -> Obj:
        with self.lock:
            customer = self.get("customer", customer_id)
            previous = {k: customer[k] for k in changes if customer.get(k) != changes[k]}
            customer.update(changes)
            if previous:
                self._emit("customer.updated", customer, previous)
            return customer

    # --- products and prices ------------------------------------------------------------------------------------
    def _seed_prices(self) -> None:
        created = self.now()
        for plan in self.config.prices:
            product = o.product(created, product_id=None, name=plan.product_name or plan.plan.title(),
                                description=None, active=True, metadata={"plan": plan.plan})
            self.products[product["id"]] = product
            price = o.price(created, price_id=plan.price_id, product_id=product["id"], currency=plan.currency,
                            unit_amount=plan.unit_amount,
                            recurring={"interval": plan.interval, "interval_count": plan.interval_count},
                            lookup_key=plan.lookup_key, nickname=plan.plan, active=True, metadata={"plan": plan.plan})
            self.prices[price["id"]] = price
            product["default_price"] = price["id"]

    def create_product(self, *, product_id: str | None, name: str, description: str | None, active: bool,
                       metadata: dict[str, str]) -> Obj:
        with self.lock:
            if product_id is not None and product_id in self.products:
                raise StripeApiError(400, f"Product already exists: '{product_id}'", code="resource_already_exists",
                                     param="id")
            product = o.product(self.now(), product_id=product_id, name=name, description=description, active=active,
                                metadata=metadata)
            self.products[product["id"]] = product
            self._emit("product.created", product)
            return product

    def create_price(self, *, product_id: str, currency: str, unit_amount: int, recurring: Obj | None,
                     lookup_key: str | None, transfer_lookup_key: bool, nickname: str | None, active: bool,
                     metadata: dict[str, str]) -> Obj:
        with self.lock:
            if lookup_key is not None:
                holder = next((p for p in self.prices.values() if p["lookup_key"] == lookup_key), None)
                if holder is not None and not transfer_lookup_key:
                    raise StripeApiError(
                        400, f"A price ({holder['id']}) already uses that lookup key.", param="lookup_key")
                if holder is not None:
                    previous = {"lookup_key": lookup_key}
                    holder["lookup_key"] = None
                    self._emit("price.updated", holder, previous)
            price = o.price(self.now(), price_id=None, product_id=product_id, currency=currency,
                            unit_amount=unit_amount, recurring=recurring, lookup_key=lookup_key, nickname=nickname,
                            active=active, metadata=metadata)
            self.prices[price["id"]] = price
            self._emit("price.created", price)
            return price

    # --- Checkout -----------------------------------------------------------------------------------------------
    def create_checkout_session(self, *, items: list[tuple[str, int]], customer_id: str | None,
                                customer_email: str | None, client_reference_id: str | None,
                                metadata: dict[str, str], subscription_metadata: dict[str, str],
                                subscription_description: str | None, success_url: str | None,
                                cancel_url: str | None, expires_at: int | None, locale: str | None) -> Obj:
        with self.lock:
            now = self.now()
            session_id = o.new_id("cs_test_", 58)
            line_items = []
            for price_id, quantity in items:
                price = self.prices[price_id]
                line_items.append(o.checkout_line_item(price, quantity, self._product_name(price)))
            session = o.checkout_session(
                now, session_id=session_id, url=self._url(f"/pay/{session_id}"), customer_id=customer_id,
                customer_email=customer_email, amount=sum(li["amount_total"] for li in line_items),
                currency=self.prices[items[0][0]]["currency"], client_reference_id=client_reference_id,
                metadata=metadata, success_url=success_url, cancel_url=cancel_url,
                expires_at=expires_at or now + self.config.checkout_expires_after, locale=locale)
            self.sessions[session_id] = session
            self._session_items[session_id] = items
            self._session_line_items[session_id] = line_items
            self._session_sub_data[session_id] = {"metadata": subscription_metadata,
                                                  "description": subscription_description}
            return session

    def session_line_items(self, session_id: str) -> list[Obj]:
        with self.lock:
            self.get("checkout.session", session_id)
            return self._session_line_items[session_id]

    def pay_session(self, session_id: str, outcome: str) -> tuple[Obj, bool]:
        """A payment attempt on the pay page: `succeeded` completes the session (subscription active, invoice
        paid); `failed` is a declined card: the subscription stays incomplete, its first invoice open and the
        session open for another attempt. Returns (session, paid)."""
        with self.lock:
            session = self.get("checkout.session", session_id)
            if session["status"] != "open":
                raise StripeApiError(400, f"This Checkout Session is {session['status']}: it can no longer be paid.",
                                     code="checkout_session_not_open")
            if session["customer"] is None:
                email = session["customer_email"] or f"payer+{session_id[-8:].lower()}@example.com"
                customer = self.create_customer(email=email, name=None, description=None, phone=None, metadata={})
                session["customer"] = customer["id"]
            customer = self.customers[session["customer"]]
            sub_id = self._session_subscription.get(session_id)
            if sub_id is None:
                sub = self._create_subscription(session, customer)
                self._session_subscription[session_id] = sub["id"]
            else:
                sub = self.subscriptions[sub_id]
            invoice = self.invoices[sub["latest_invoice"]]
            paid = outcome == "succeeded"
            self._charge(invoice, paid)
            if not paid:
                return session, False
            self._card[customer["id"]] = "succeeding"
            self._incomplete_expires.pop(sub["id"], None)
            self._set(sub, "customer.subscription.updated", status="active")
            if customer["currency"] is None:
                customer["currency"] = sub["currency"]
            session.update({
                "status": "complete", "payment_status": "paid", "subscription": sub["id"], "invoice": invoice["id"],
                "customer_details": {"address": None, "email": customer["email"], "name": customer["name"],
                                     "phone": None, "tax_exempt": "none", "tax_ids": []},
            })
            self._emit("checkout.session.completed", session)
            return session, True

    def success_redirect(self, session: Obj) -> str | None:
        url = session.get("success_url")
        return url.replace("{CHECKOUT_SESSION_ID}", session["id"]) if url else None

    def expire_session(self, session_id: str) -> Obj:
        with self.lock:
            session = self.get("checkout.session", session_id)
            if session["status"] != "open":
                raise StripeApiError(
                    400, f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has '
                    f'a status of "{session["status"]}".', code="checkout_session_not_open")
            session.update({"status": "expired", "url": None})
            sub_id = self._session_subscription.get(session_id)
            if sub_id and self.subscriptions[sub_id]["status"] == "incomplete":
                self._expire_incomplete(self.subscriptions[sub_id])
            self._emit("checkout.session.expired", session)
            return session

    def _product_name(self, price: Obj) -> str:
        product = self.products.get(price["product"])
        return product["name"] if product else price["product"]

    def _create_subscription(self, session: Obj, customer: Obj) -> Obj:
        now = self.now()
        sub_data = self._session_sub_data[session["id"]]
        sub = o.subscription(now, subscription_id=o.new_id("sub_"), customer_id=customer["id"],
                             currency=session["currency"], metadata=dict(sub_data["metadata"]),
                             description=sub_data["description"])
        for price_id, quantity in self._session_items[session["id"]]:
            price = self.prices[price_id]
            recurring = price["recurring"]
            end = o.add_interval(now, recurring["interval"], recurring["interval_count"])
            sub["items"]["data"].append(o.subscription_item(
                now, subscription_id=sub["id"], price_obj=price, quantity=quantity, period_start=now,
                period_end=end))
        sub["items"]["total_count"] = len(sub["items"]["data"])
        self.subscriptions[sub["id"]] = sub
        self._incomplete_expires[sub["id"]] = now + INCOMPLETE_EXPIRES_AFTER
        self._emit("customer.subscription.created", sub)
        self._new_invoice(sub, "subscription_create", period=(now, now))
        return sub

    # --- invoices and charges -----------------------------------------------------------------------------------
    def _new_invoice(self, sub: Obj, reason: str, period: tuple[int, int],
                     amounts: dict[str, int] | None = None) -> Obj:
        """Draft, then finalized (open), as Stripe announces them; `amounts` overrides per-item amounts."""
        customer = self.customers[sub["customer"]]
        invoice_id = o.new_id("in_")
        lines = []
        for item in sub["items"]["data"]:
            price = item["price"]
            amount = (amounts or {}).get(item["id"], price["unit_amount"] * item["quantity"])
            interval = price["recurring"]["interval"]
            description = f"{item['quantity']} x {self._product_name(price)} (at " \
                          f"{o.money(price['unit_amount'], price['currency'])} / {interval})"
            lines.append(o.invoice_line(invoice_id=invoice_id, subscription_obj=sub, item=item, amount=amount,
                                        description=description, period_start=item["current_period_start"],
                                        period_end=item["current_period_end"], proration=amounts is not None))
        number = f"{customer['invoice_prefix']}-{customer['next_invoice_sequence']:04d}"
        customer["next_invoice_sequence"] += 1
        invoice = o.invoice(self.now(), invoice_id=invoice_id, customer_obj=customer, subscription_obj=sub,
                            billing_reason=reason, number=number, account_name=self.config.account_name,
                            hosted_url=self._url(f"/invoice/{invoice_id}"), lines=lines, period_start=period[0],
                            period_end=period[1])
        self.invoices[invoice_id] = invoice
        sub["latest_invoice"] = invoice_id
        self._emit("invoice.created", invoice)
        invoice["status"] = "open"
        invoice["effective_at"] = invoice["status_transitions"]["finalized_at"] = self.now()
        self._emit("invoice.finalized", invoice)
        return invoice

    def _charge(self, invoice: Obj, succeeds: bool) -> bool:
        """One payment attempt on an open invoice; announces invoice.paid + invoice.payment_succeeded or
        invoice.payment_failed. Renewal invoices get Stripe's retry schedule (`next_payment_attempt`)."""
        now = self.now()
        invoice["attempt_count"] += 1
        invoice["attempted"] = True
        if succeeds or invoice["amount_due"] == 0:
            invoice.update({"status": "paid", "amount_paid": invoice["amount_due"], "amount_remaining": 0,
                            "next_payment_attempt": None, "ending_balance": 0})
            invoice["status_transitions"]["paid_at"] = now
            self._first_failure.pop(invoice["id"], None)
            self._emit("invoice.paid", invoice)
            self._emit("invoice.payment_succeeded", invoice)
            return True
        invoice["next_payment_attempt"] = None
        if invoice["billing_reason"] != "subscription_create":
            first = self._first_failure.setdefault(invoice["id"], now)
            retries = self.config.payment_retry_days
            done = invoice["attempt_count"] - 1  # attempts after the first
            if done < len(retries):
                invoice["next_payment_attempt"] = first + int(retries[done] * DAY)
        self._emit("invoice.payment_failed", invoice)
        return False

    def _card_works(self, customer_id: str) -> bool:
        return self._card.get(customer_id, "succeeding") != "failing"

    def _after_renewal_charge(self, sub: Obj, invoice: Obj, paid: bool) -> None:
        if paid:
            if sub["status"] in ("past_due", "unpaid") and not self._open_invoices(sub["id"]):
                self._set(sub, "customer.subscription.updated", status="active")
            return
        if sub["status"] == "active":
            self._set(sub, "customer.subscription.updated", status="past_due")
        if invoice["next_payment_attempt"] is None:  # the retry schedule is exhausted
            if self.config.after_retries == "canceled":
                self._cancel(sub, reason="payment_failed")
            elif self.config.after_retries == "unpaid" and sub["status"] != "unpaid":
                self._set(sub, "customer.subscription.updated", status="unpaid")

    def _open_invoices(self, sub_id: str) -> list[Obj]:
        return [inv for inv in self.invoices.values()
                if inv["status"] == "open" and inv["parent"]["subscription_details"]["subscription"] == sub_id]

    # --- subscriptions ------------------------------------------------------------------------------------------
    def _set(self, sub: Obj, event_type: str, **changes: Any) -> Obj:
        previous = {k: o.snapshot(sub[k]) if isinstance(sub[k], dict) else sub[k]
                    for k, v in changes.items() if sub[k] != v}
        sub.update(changes)
        if previous:
            self._emit(event_type, sub, previous)
        return sub

    @staticmethod
    def period(sub: Obj) -> tuple[int, int]:
        items = sub["items"]["data"]
        return items[0]["current_period_start"], items[0]["current_period_end"]

    def cancel_subscription(self, sub_id: str, reason: str = "cancellation_requested") -> Obj:
        with self.lock:
            sub = self.get("subscription", sub_id)
            if sub["status"] in ("canceled", "incomplete_expired"):
                raise StripeApiError(
                    400, f"This subscription has already been canceled (status {sub['status']}); a canceled "
                    "subscription can only update its cancellation_details and metadata.")
            self._cancel(sub, reason)
            return sub

    def _cancel(self, sub: Obj, reason: str) -> None:
        now = self.now()
        details = {**sub["cancellation_details"], "reason": reason}
        sub.update({"status": "canceled", "ended_at": now, "canceled_at": sub["canceled_at"] or now,
                    "cancellation_details": details})
        for invoice in self._open_invoices(sub["id"]):
            invoice["next_payment_attempt"] = None
        self._incomplete_expires.pop(sub["id"], None)
        self._emit("customer.subscription.deleted", sub)

    def _expire_incomplete(self, sub: Obj) -> None:
        now = self.now()
        self._incomplete_expires.pop(sub["id"], None)
        self._set(sub, "customer.subscription.updated", status="incomplete_expired", ended_at=now, canceled_at=now)
        for invoice in self._open_invoices(sub["id"]):
            invoice["status"] = "void"
            invoice["amount_remaining"] = 0
            invoice["status_transitions"]["voided_at"] = now
            self._emit("invoice.voided", invoice)

    def update_subscription(self, sub_id: str, *, cancel_at_period_end: bool | None, metadata: dict[str, str] | None,
                            description: str | None, items: list[Obj] | None, proration_behavior: str,
                            cancellation_reason: str | None) -> Obj:
        with self.lock:
            sub = self.get("subscription", sub_id)
            if sub["status"] in ("canceled", "incomplete_expired") and (items or cancel_at_period_end is not None):
                raise StripeApiError(400, "A canceled subscription can only update its cancellation_details and "
                                     "metadata.")
            previous: Obj = {}
            if metadata is not None and metadata != sub["metadata"]:
                previous["metadata"] = dict(sub["metadata"])
                sub["metadata"] = metadata
            if description is not None and description != sub["description"]:
                previous["description"] = sub["description"]
                sub["description"] = description
            if cancel_at_period_end is not None and cancel_at_period_end != sub["cancel_at_period_end"]:
                for key in ("cancel_at_period_end", "cancel_at", "canceled_at", "cancellation_details"):
                    previous[key] = o.snapshot(sub[key]) if isinstance(sub[key], dict) else sub[key]
                if cancel_at_period_end:
                    sub.update({"cancel_at_period_end": True, "cancel_at": self.period(sub)[1],
                                "canceled_at": self.now(),
                                "cancellation_details": {**sub["cancellation_details"],
                                                         "reason": cancellation_reason or "cancellation_requested"}})
                else:
                    sub.update({"cancel_at_period_end": False, "cancel_at": None, "canceled_at": None,
                                "cancellation_details": {"comment": None, "feedback": None, "reason": None}})
            proration: dict[str, int] = {}
            if items:
                previous["items"] = o.snapshot(sub["items"])
                proration = self._apply_items(sub, items)
                if previous["items"] == sub["items"]:
                    del previous["items"]
            if previous:
                self._emit("customer.subscription.updated", sub, previous)
            if proration_behavior == "always_invoice" and any(v > 0 for v in proration.values()):
                start, _ = self.period(sub)
                invoice = self._new_invoice(sub, "subscription_update", period=(start, self.now()),
                                            amounts=proration)
                paid = self._charge(invoice, self._card_works(sub["customer"]))
                self._after_renewal_charge(sub, invoice, paid)
            return sub

    def _apply_items(self, sub: Obj, changes: list[Obj]) -> dict[str, int]:
        """Apply items[] (id/price/quantity/deleted); returns each changed item's prorated extra for the rest of
        the period (what always_invoice bills now)."""
        now = self.now()
        data = sub["items"]["data"]
        start, end = self.period(sub)
        remaining = max(0.0, (end - now) / max(1, end - start))
        extra: dict[str, int] = {}
        for change in changes:
            item = next((i for i in data if i["id"] == change.get("id")), None) if change.get("id") else None
            if change.get("id") and item is None:
                raise StripeApiError(400, f"Invalid subscription item: '{change['id']}' is not an item of this "
                                     "subscription", param="items")
            if change.get("deleted"):
                if item is not None:
                    data.remove(item)
                continue
            price = self.prices[change["price"]] if change.get("price") else None
            if item is None:
                if price is None:
                    raise StripeApiError(400, "Missing required param: items[price].", code="parameter_missing",
                                         param="items")
                item = o.subscription_item(now, subscription_id=sub["id"], price_obj=price,
                                           quantity=change.get("quantity", 1), period_start=start, period_end=end)
                data.append(item)
                extra[item["id"]] = round(price["unit_amount"] * item["quantity"] * remaining)
                continue
            old_amount = item["price"]["unit_amount"] * item["quantity"]
            if price is not None:
                item["price"] = o.snapshot(price)
                item["plan"] = o.plan_of(price)
            if "quantity" in change:
                item["quantity"] = change["quantity"]
            new_amount = item["price"]["unit_amount"] * item["quantity"]
            extra[item["id"]] = round((new_amount - old_amount) * remaining)
        if not data:
            raise StripeApiError(400, "A subscription must have at least one active plan.", param="items")
        sub["items"]["total_count"] = len(data)
        return extra

    # --- portal -------------------------------------------------------------------------------------------------
    def create_portal_session(self, *, customer_id: str, return_url: str | None, locale: str | None) -> Obj:
        with self.lock:
            session_id = o.new_id("bps_")
            portal = o.portal_session(self.now(), session_id=session_id, url=self._url(f"/portal/{session_id}"),
                                      customer_id=customer_id, return_url=return_url, locale=locale,
                                      configuration="bpc_sandbox_default")
            self.portal_sessions[session_id] = portal
            return portal

    def customer_subscriptions(self, customer_id: str, live_only: bool = True) -> list[Obj]:
        subs = [s for s in self.subscriptions.values() if s["customer"] == customer_id]
        return [s for s in subs if s["status"] in LIVE_STATUSES] if live_only else subs

    def portal_cancel(self, portal_id: str, subscription_id: str | None, at_period_end: bool) -> list[Obj]:
        """The portal's cancel: at period end (the portal's default) or at once."""
        with self.lock:
            portal = self.get("billing_portal.session", portal_id)
            subs = self._portal_subs(portal, subscription_id)
            for sub in subs:
                if at_period_end:
                    self.update_subscription(sub["id"], cancel_at_period_end=True, metadata=None, description=None,
                                             items=None, proration_behavior="none", cancellation_reason=None)
                else:
                    self._cancel(sub, "cancellation_requested")
            return subs

    def portal_renew(self, portal_id: str, subscription_id: str | None) -> list[Obj]:
        """Undo a cancellation scheduled for the period end."""
        with self.lock:
            subs = self._portal_subs(self.get("billing_portal.session", portal_id), subscription_id)
            for sub in subs:
                self.update_subscription(sub["id"], cancel_at_period_end=False, metadata=None, description=None,
                                         items=None, proration_behavior="none", cancellation_reason=None)
            return subs

    def _portal_subs(self, portal: Obj, subscription_id: str | None) -> list[Obj]:
        subs = self.customer_subscriptions(portal["customer"])
        if subscription_id is not None:
            subs = [s for s in subs if s["id"] == subscription_id]
            if not subs:
                raise no_such("subscription", subscription_id, param="subscription")
        return subs

    def set_payment_method(self, customer_id: str, works: bool) -> list[Obj]:
        """The customer's card from now on. A working card (as updating it in the portal) pays the open invoices of
        past-due subscriptions at once; returns those invoices."""
        with self.lock:
            self.get("customer", customer_id)
            self._card[customer_id] = "succeeding" if works else "failing"
            retried = []
            if works:
                for sub in self.customer_subscriptions(customer_id):
                    for invoice in self._open_invoices(sub["id"]):
                        paid = self._charge(invoice, True)
                        self._after_renewal_charge(sub, invoice, paid)
                        retried.append(invoice)
            return retried

    def card(self, customer_id: str) -> str:
        return self._card.get(customer_id, "succeeding")

    # --- the clock ----------------------------------------------------------------------------------------------
    def advance(self, seconds: float) -> list[str]:
        """Move the sandbox clock forward; what falls due on the way (renewals and their charges, retries,
        cancellations at period end, expiries) happens at its own instant, in time order. Returns the new events'
        ids."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self.lock:
            before = len(self.events)
            target = self.now() + seconds
            for _ in range(100_000):
                due = self._next_due()
                if due is None or due[0] > target:
                    break
                at, action, object_id = due
                self.clock_offset += max(0, at - self.now())
                self._happen(action, object_id)
            self.clock_offset += max(0.0, target - (time.time() + self.clock_offset))
            return list(self.events)[before:]

    def _next_due(self) -> tuple[int, str, str] | None:
        due: list[tuple[int, str, str]] = []
        for sub in self.subscriptions.values():
            if sub["status"] in LIVE_STATUSES:
                end = self.period(sub)[1]
                if sub["cancel_at"] is not None and sub["cancel_at"] <= end:
                    due.append((sub["cancel_at"], "cancel", sub["id"]))
                else:
                    due.append((end, "renew", sub["id"]))
        for sub_id, at in self._incomplete_expires.items():
            due.append((at, "incomplete_expire", sub_id))
        for invoice in self.invoices.values():
            if invoice["status"] == "open" and invoice["next_payment_attempt"] is not None:
                due.append((invoice["next_payment_attempt"], "retry", invoice["id"]))
        for session in self.sessions.values():
            if session["status"] == "open":
                due.append((session["expires_at"], "expire", session["id"]))
        return min(due) if due else None

    def _happen(self, action: str, object_id: str) -> None:
        if action == "cancel":
            self._cancel(self.subscriptions[object_id], "cancellation_requested")
        elif action == "renew":
            self._renew(self.subscriptions[object_id])
        elif action == "incomplete_expire":
            self._expire_incomplete(self.subscriptions[object_id])
        elif action == "retry":
            invoice = self.invoices[object_id]
            sub = self.subscriptions[invoice["parent"]["subscription_details"]["subscription"]]
            paid = self._charge(invoice, self._card_works(sub["customer"]))
            self._after_renewal_charge(sub, invoice, paid)
        elif action == "expire":
            self.expire_session(object_id)

    def _renew(self, sub: Obj) -> None:
        previous = {"items": o.snapshot(sub["items"]), "latest_invoice": sub["latest_invoice"]}
        old_start, old_end = self.period(sub)
        for item in sub["items"]["data"]:
            recurring = item["price"]["recurring"]
            item["current_period_start"] = item["current_period_end"]
            item["current_period_end"] = o.add_interval(item["current_period_end"], recurring["interval"],
                                                        recurring["interval_count"])
        invoice = self._new_invoice(sub, "subscription_cycle", period=(old_start, old_end))
        self._emit("customer.subscription.updated", sub, previous)
        paid = self._charge(invoice, self._card_works(sub["customer"]))
        self._after_renewal_charge(sub, invoice, paid)
