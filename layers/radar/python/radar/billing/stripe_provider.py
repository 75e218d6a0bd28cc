"""The Stripe adapter of the billing port, through the official `stripe` SDK (imported on first use).

`api_base` is the SDK's own base-URL setting: empty for Stripe itself, the billing sandbox's URL locally. `rekey`, when
given, reads the keys again past any cache: a call Stripe refuses with an authentication error (a key rotated and
revoked while this process still held the old one) re-reads them once and is made once more. `resign`, when given, is
the same for a webhook whose signature does not match the signing secret held (a rotated signing secret): it answers
fresh keys, or None when the caller may not read the secret again now (radar.billing.service throttles it: the webhook
route is public), and the event is verified once more with them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

from radar.billing.errors import BillingProviderError, InvalidWebhook
from radar.billing.port import BillingEvent, SubscriptionState
from radar.observability import logger

__all__ = ["StripeProvider"]

_T = TypeVar("_T")


@contextmanager
def _provider_errors(action: str) -> Iterator[None]:
    import stripe

    try:
        yield
    except stripe.StripeError as exc:
        # Stripe's messages may echo parameters; log only the class and code.
        logger.warning("billing provider error", extra={"action": action, "error_type": type(exc).__name__,
                                                         "stripe_code": getattr(exc, "code", None)})
        raise BillingProviderError(f"the billing provider could not {action}; try again") from exc


def _get(obj: Any, *path: str) -> Any:
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def _id(value: Any) -> str | None:
    """An id field that may be expanded into its object."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


Keys = tuple[str, str]  # (secret key, webhook signing secret)


class _NoMatchingSignature(Exception):
    """A well-formed Stripe-Signature none of whose v1 signatures matches the signing secret held."""

    def __init__(self, invalid: InvalidWebhook) -> None:
        super().__init__(str(invalid))
        self.invalid = invalid


class StripeProvider:
    def __init__(self, secret_key: str, webhook_secret: str, *, api_base: str | None, tolerance_seconds: int,
                 plan_of_lookup_key: dict[str, str], rekey: Callable[[], Keys] | None = None,
                 resign: Callable[[], Keys | None] | None = None) -> None:
        self._base = {"api": api_base.rstrip("/")} if api_base else None
        self._use(secret_key, webhook_secret)
        self._tolerance = tolerance_seconds
        self._plans = plan_of_lookup_key
        self._prices: dict[str, str] = {}
        self._rekey = rekey
        self._resign = resign

    def _use(self, secret_key: str, webhook_secret: str) -> None:
        import stripe

        self._client = stripe.StripeClient(secret_key, base_addresses=self._base,  # type: ignore[arg-type]
                                           max_network_retries=2)
        self._webhook_secret = webhook_secret

    def _call(self, action: str, call: Callable[[], _T]) -> _T:
        """`call` reads self._client when it runs, so after a re-key the same call goes out with the new key."""
        import stripe

        with _provider_errors(action):
            try:
                return call()
            except stripe.AuthenticationError:
                if self._rekey is None:
                    raise
                rekey, self._rekey = self._rekey, None  # once per provider (one request): a second refusal stands
                logger.info("billing key refused; reading the billing secret again", extra={"action": action})
                self._use(*rekey())
            return call()

    def _price_id(self, lookup_key: str) -> str:
        if lookup_key not in self._prices:
            found = self._call("find the plan's price", lambda: self._client.v1.prices.list(
                params={"lookup_keys": [lookup_key], "active": True, "limit": 1}))
            if not found.data:
                raise BillingProviderError(f"the billing provider has no active price {lookup_key!r}")
            self._prices[lookup_key] = found.data[0].id
        return self._prices[lookup_key]

    def create_customer(self, tenant_id: str, name: str) -> str:
        customer = self._call("create the customer", lambda: self._client.v1.customers.create(
            params={"name": name, "metadata": {"tenant_id": tenant_id}},
            # Two concurrent first checkouts of one tenant get the same customer.
            options={"idempotency_key": f"radar-customer-{tenant_id}"},
        ))
        return str(customer.id)

    def checkout_url(self, *, customer_id: str, tenant_id: str, plan: str, lookup_key: str, success_url: str,
                     cancel_url: str) -> tuple[str, str]:
        price = self._price_id(lookup_key)
        metadata = {"tenant_id": tenant_id, "plan": plan}
        session = self._call("start the checkout", lambda: self._client.v1.checkout.sessions.create(params={
            "mode": "subscription",
            "customer": customer_id,
            "line_items": [{"price": price, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": tenant_id,
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }))
        return str(session.id), str(session.url)

    def portal_url(self, customer_id: str, return_url: str) -> str:
        session = self._call("open the customer portal", lambda: self._client.v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": return_url}))
        return str(session.url)

    def verify_event(self, payload: bytes, signature: str) -> BillingEvent:
        if not signature:
            raise InvalidWebhook("the Stripe-Signature header is missing", reason="missing")
        try:
            self._construct(payload, signature)
        except _NoMatchingSignature as exc:
            keys = self._resign() if self._resign is not None else None
            self._resign = None  # once per provider (one request): a second mismatch stands
            if keys is None or keys[1] == self._webhook_secret:
                raise exc.invalid from None
            logger.info("webhook signature did not match; verifying with the signing secret read again")
            self._use(*keys)
            try:
                self._construct(payload, signature)
            except _NoMatchingSignature as again:
                raise again.invalid from None
        raw = json.loads(payload)
        obj = _get(raw, "data", "object") or {}
        kind = obj.get("object")
        if kind == "subscription":
            subscription = _id(obj.get("id"))
        elif kind == "invoice":
            subscription = _id(_get(obj, "parent", "subscription_details", "subscription")) or _id(
                obj.get("subscription"))
        else:
            subscription = _id(obj.get("subscription"))
        claimed = _get(obj, "metadata", "tenant_id") or _get(obj, "parent", "subscription_details", "metadata",
                                                             "tenant_id")
        return BillingEvent(
            id=str(raw.get("id") or ""),
            type=str(raw.get("type") or ""),
            created=int(raw.get("created") or 0),
            customer_id=_id(obj.get("customer")) or (_id(obj.get("id")) if kind == "customer" else None),
            subscription_id=subscription,
            metadata_tenant_id=str(claimed) if claimed else None,
        )

    def _construct(self, payload: bytes, signature: str) -> None:
        """Stripe's own check: any one of the header's `v1=` signatures matching the secret verifies (during a
        signing-secret rotation Stripe signs with the old and the new one), then the timestamp's tolerance."""
        import stripe

        try:
            self._client.construct_event(payload, signature, self._webhook_secret, tolerance=self._tolerance)
        except stripe.SignatureVerificationError as exc:
            message = str(exc).lower()
            if "tolerance" in message:  # the SDK checks the timestamp only after a signature matched
                raise InvalidWebhook("the Stripe-Signature header does not verify",
                                     reason="timestamp_outside_tolerance") from exc
            invalid = InvalidWebhook("the Stripe-Signature header does not verify", reason="signature_mismatch")
            if "matching the expected signature" in message:  # well formed, signed with another secret
                raise _NoMatchingSignature(invalid) from exc
            raise invalid from exc
        except ValueError as exc:
            raise InvalidWebhook("the body is not a Stripe event", reason="invalid_payload", field="body") from exc

    def subscription(self, subscription_id: str) -> SubscriptionState:
        sub = self._call("read the subscription", lambda: self._client.v1.subscriptions.retrieve(subscription_id))
        raw = sub.to_dict()
        items = _get(raw, "items", "data") or []
        first = items[0] if items else {}
        price = first.get("price") or {}
        plan = self._plans.get(str(price.get("lookup_key") or "")) or _get(price, "metadata", "plan")
        end = first.get("current_period_end") or raw.get("current_period_end")
        return SubscriptionState(
            id=str(raw["id"]),
            customer_id=_id(raw.get("customer")) or "",
            status=str(raw.get("status") or ""),
            plan=str(plan) if plan in set(self._plans.values()) else None,
            period_end=int(end) if end else None,
            cancel_at_period_end=bool(raw.get("cancel_at_period_end")),
        )

    def change_subscription(self, subscription_id: str, *, plan: str | None, lookup_key: str | None) -> None:
        if plan is None or lookup_key is None:
            self._call("schedule the cancellation", lambda: self._client.v1.subscriptions.update(
                subscription_id, params={"cancel_at_period_end": True}))
            return
        # No proration: the paid period stays as paid; the next invoice bills the lower price.
        self._move_item(subscription_id, lookup_key, proration="none")

    def upgrade_subscription(self, subscription_id: str, *, lookup_key: str) -> None:
        # always_invoice: the difference for the rest of the period is invoiced and charged now, not next month.
        self._move_item(subscription_id, lookup_key, proration="always_invoice")

    def _move_item(self, subscription_id: str, lookup_key: str, *,
                   proration: Literal["always_invoice", "none"]) -> None:
        """Give the subscription's one item another price (Stripe's subscriptions.modify with the item's id)."""
        sub = self._call("read the subscription", lambda: self._client.v1.subscriptions.retrieve(subscription_id))
        item_id = sub.to_dict()["items"]["data"][0]["id"]
        price = self._price_id(lookup_key)
        self._call("change the subscription", lambda: self._client.v1.subscriptions.update(subscription_id, params={
            "items": [{"id": item_id, "price": price}], "proration_behavior": proration,
            "cancel_at_period_end": False}))

    def cancel_subscription(self, subscription_id: str) -> None:
        sub = self._call("read the subscription", lambda: self._client.v1.subscriptions.retrieve(subscription_id))
        if str(sub.to_dict().get("status") or "") in {"canceled", "incomplete_expired"}:
            return
        self._call("cancel the subscription", lambda: self._client.v1.subscriptions.cancel(subscription_id))
