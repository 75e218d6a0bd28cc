"""Billing use cases: checkout, portal, verified webhooks, grace periods, downgrades and operator grants.

The plan a tenant is on is derived, never asked for: the highest of what its subscription pays for (while active,
or past due within the grace period, or held until the end of a paid period after a downgrade) and what an
operator granted. Every change of it moves the tenant's usage key (radar.gateway_keys) and is audited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from radar.accounts.models import TenantItem
from radar.accounts.repository import TenantRepository
from radar.audit import record_event
from radar.billing import RETURN_QUERIES
from radar.billing.errors import BillingNotConfigured, InvalidWebhook, NoBillingAccount, PaymentRequired, PlanNotSold
from radar.billing.models import BillingItem
from radar.billing.port import ACTIVE_STATUSES, BillingEvent, BillingProvider, SubscriptionState
from radar.billing.repository import BillingRepository
from radar.billing.schemas import (
    CheckoutOut,
    PlanList,
    PlanOut,
    PortalOut,
    PriceOut,
    SweepOut,
    TierLimits,
    WebhookOut,
)
from radar.billing.settings import BillingSettings
from radar.context import TenantContext
from radar.errors import Conflict
from radar.gateway_keys import GatewayKeys
from radar.observability import logger
from radar.tiers import CHECKOUT_ROUTE, TiersConfig, UnknownPlan, load_tiers
from radar.timestamps import epoch_iso

__all__ = ["HANDLED_EVENTS", "SWEEP_ACTOR", "BillingService", "PlanChange", "effective_plan", "provider_from_secret"]

HANDLED_EVENTS = frozenset({
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
})
PROVIDER_ACTOR = ("billing:stripe", "billing_provider")
SWEEP_ACTOR = ("billing:sweep", "scheduler")  # the hourly schedule, in the audit trail
SWEEP_LIMIT = 500  # records settled per run; `more` says the next run has more (deadlines are rare)
SWEEP_RESERVE_MS = 10_000  # a run stops settling with this much of its invocation left (~10 calls per record)
_SAVE_ATTEMPTS = 8
_SECRET_MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class PlanChange:
    plan: str  # the plan now
    pending_plan: str | None = None
    pending_at: str | None = None


def effective_plan(item: BillingItem, now: float, tiers: TiersConfig) -> str:
    default = tiers.default_plan
    paid = default
    plan, status = item.subscription_plan, item.subscription_status
    if plan in tiers.tiers and (status in ACTIVE_STATUSES or (status == "past_due" and not item.lapsed)):
        paid = str(plan)
    if item.held_plan and item.held_until and now < item.held_until and tiers.rank(item.held_plan) > tiers.rank(paid):
        paid = item.held_plan
    granted = item.granted_plan if item.granted_plan in tiers.tiers else default
    return paid if tiers.rank(paid) >= tiers.rank(str(granted)) else str(granted)


def provider_from_secret(settings: BillingSettings, tiers: TiersConfig) -> BillingProvider:
    """The Stripe adapter with the key and signing secret from Secrets Manager (cached five minutes). A call Stripe
    refuses as unauthenticated reads the secret again past the cache, once, and is retried once (a rotated key); so
    does a webhook whose signature does not match, at most once per `webhook_reread_seconds` (_webhook_keys)."""
    from radar.billing.stripe_provider import StripeProvider

    key, signing = _billing_keys(settings, fresh=False)
    lookup = {t.price.lookup_key: name for name, t in tiers.tiers.items() if t.price}
    return StripeProvider(key, signing, api_base=settings.billing_api_base_url,
                          tolerance_seconds=settings.webhook_tolerance_seconds, plan_of_lookup_key=lookup,
                          rekey=lambda: _billing_keys(settings, fresh=True),
                          resign=lambda: _webhook_keys(settings))


# When this warm container last read each billing secret from Secrets Manager (time.monotonic()): the cache's age.
_read_at: dict[str, float] = {}


def _billing_keys(settings: BillingSettings, *, fresh: bool) -> tuple[str, str]:
    """(secret key, webhook signing secret) from the billing secret; `fresh` bypasses (and refills) the cache."""
    arn = settings.billing_secret_arn
    if not arn:
        raise BillingNotConfigured()
    from aws_lambda_powertools.utilities import parameters

    now = time.monotonic()
    fresh = fresh or now - _read_at.get(arn, -math.inf) >= _SECRET_MAX_AGE_SECONDS
    try:
        value: Any = parameters.get_secret(arn, transform="json", max_age=_SECRET_MAX_AGE_SECONDS,
                                           force_fetch=fresh)
    except Exception as exc:
        logger.warning("billing secret unavailable", extra={"error_type": type(exc).__name__})
        raise BillingNotConfigured() from exc
    if fresh:
        _read_at[arn] = now
    key = str(value.get("secret_key") or "") if isinstance(value, dict) else ""
    signing = str(value.get("webhook_secret") or "") if isinstance(value, dict) else ""
    if not key or not signing:
        raise BillingNotConfigured(details={"missing": [n for n, v in (("secret_key", key), ("webhook_secret",
                                                                        signing)) if not v]})
    return key, signing


def _webhook_keys(settings: BillingSettings) -> tuple[str, str] | None:
    """Fresh keys for a webhook whose signature did not match, or None when the keys held were read less than
    `webhook_reread_seconds` ago: the route is public, so a stream of forged signatures costs at most one Secrets
    Manager read per window per warm container (and a read inside the window would only give the same secret)."""
    arn = settings.billing_secret_arn
    if arn and time.monotonic() - _read_at.get(arn, -math.inf) < settings.webhook_reread_seconds:
        return None
    return _billing_keys(settings, fresh=True)


class BillingService:
    def __init__(
        self,
        *,
        settings: BillingSettings,
        tenants: TenantRepository,
        gateway_keys: GatewayKeys,
        repository: BillingRepository | None = None,
        provider: Callable[[], BillingProvider] | None = None,
        tiers: TiersConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.tenants = tenants
        self.gateway_keys = gateway_keys
        self.repository = repository or BillingRepository()
        self.tiers = tiers or load_tiers()
        self._provider = provider or (lambda: provider_from_secret(settings, self.tiers))
        self._clock = clock

    # -- public -------------------------------------------------------------------------------------------
    def plans(self) -> PlanList:
        items = [
            PlanOut(
                plan=name,
                display_name=tier.display_name,
                price=PriceOut(unit_amount=tier.price.unit_amount, currency=tier.price.currency,
                               interval=tier.price.interval, display=tier.price.display()) if tier.price else None,
                limits=TierLimits.model_validate(tier.limits()),
                checkout=f'{CHECKOUT_ROUTE} {{"plan": "{name}"}}' if tier.price else None,
            )
            for name, tier in self.tiers.tiers.items()
        ]
        return PlanList(items=items, default_plan=self.tiers.default_plan)

    # -- the tenant's admin -------------------------------------------------------------------------------
    def checkout(self, ctx: TenantContext, plan: str, event: dict[str, Any]) -> CheckoutOut:
        ctx.require("admin")
        tier = self._tier(plan)
        if tier.price is None:
            raise PlanNotSold(f"the {plan} plan is not sold", details=[
                {"field": "plan", "reason": "not_sold", "message": "choose a paid plan (GET /billing/plans)"}])
        tenant = self._tenant(ctx.tenant_id)
        if self.tiers.rank(plan) <= self.tiers.rank(tenant.plan):
            raise Conflict(f"the tenant is already on {tenant.plan}; PUT /tenant/plan moves down", details=[
                {"field": "plan", "reason": "not_an_upgrade", "message": f"current plan: {tenant.plan}"}])
        item = self.repository.get(ctx.tenant_id)
        if item.subscription_id and item.subscription_status == "past_due":
            raise Conflict("the subscription has an unpaid invoice; pay it in the portal (POST /billing/portal) "
                           "before moving up", details=[{"field": "plan", "reason": "subscription_past_due",
                                                         "message": "POST /billing/portal"}])
        if item.subscription_id and item.subscription_status in ACTIVE_STATUSES:
            return self._upgrade(ctx, item, plan, tier, event)
        provider = self._provider()
        customer = item.customer_id or self._create_customer(provider, tenant)
        assert tier.price is not None
        session_id, url = provider.checkout_url(
            customer_id=customer, tenant_id=ctx.tenant_id, plan=plan, lookup_key=tier.price.lookup_key,
            # The plan bought rides along: the console waits for the tenant's plan to reach it (the webhook may even
            # have moved it before the browser is back).
            success_url=self._return_url("checkout_success", f"plan={plan}&session_id={{CHECKOUT_SESSION_ID}}"),
            cancel_url=self._return_url("checkout_cancel"),
        )
        record_event(event, ctx, "billing.checkout", f"plan/{plan}")
        return CheckoutOut(session_id=session_id, url=url, plan=plan)

    def _upgrade(self, ctx: TenantContext, item: BillingItem, plan: str, tier: Any,
                 event: dict[str, Any]) -> CheckoutOut:
        """A paying tenant moves up: its one subscription gets the higher price (the prorated difference invoiced
        now), never a second subscription. The plan moves when the verified subscription.updated event says so."""
        subscription = str(item.subscription_id)
        self._provider().upgrade_subscription(subscription, lookup_key=tier.price.lookup_key)
        record_event(event, ctx, "billing.subscription_change", f"subscription/{subscription}: plan/{plan}")
        # Nothing to pay on a page: the answer's URL is the plan page as after a payment (the console waits for the
        # plan to move, which the verified subscription.updated event does).
        return CheckoutOut(kind="subscription_update", subscription_id=subscription, plan=plan,
                           url=self._return_url("checkout_success", f"plan={plan}"))

    def portal(self, ctx: TenantContext, event: dict[str, Any]) -> PortalOut:
        ctx.require("admin")
        item = self.repository.get(ctx.tenant_id)
        if not item.customer_id:
            raise NoBillingAccount("the tenant has no billing account yet; start with POST /billing/checkout")
        url = self._provider().portal_url(item.customer_id, self._return_url("portal_return"))
        record_event(event, ctx, "billing.portal", f"customer/{item.customer_id}")
        return PortalOut(url=url)

    def _return_url(self, what: str, extra: str = "") -> str:
        """The console's plan page with the query that says what happened (radar.billing.RETURN_QUERIES)."""
        query = RETURN_QUERIES[what] + (f"&{extra}" if extra else "")
        return f"{self.settings.return_url}?{query}"

    def downgrade(self, ctx: TenantContext, plan: str, event: dict[str, Any]) -> PlanChange:
        """PUT /tenant/plan: only down. A paid plan stays until the end of its paid period; anything not paid for
        (an operator's grant, free) changes at once. Up is refused with the checkout route."""
        ctx.require("admin")
        self._tier(plan)
        tenant = self._tenant(ctx.tenant_id)
        current = tenant.plan
        if self.tiers.rank(plan) > self.tiers.rank(current):
            upsell = self.tiers.upsell(current) or {}
            price = self.tiers.get(plan).price
            raise PaymentRequired(
                f"moving up to {plan} needs a payment: {CHECKOUT_ROUTE} {{\"plan\": \"{plan}\"}}",
                details={"field": "plan", "reason": "upgrade_requires_payment", "current_plan": current,
                         "checkout": {"route": CHECKOUT_ROUTE, "body": {"plan": plan}},
                         "price": price.display() if price else None,
                         "next_plan": upsell.get("plan")})
        if plan == current:
            return PlanChange(plan=current)
        for _ in range(_SAVE_ATTEMPTS):
            item = self.repository.get(ctx.tenant_id)
            now = max(self._clock(), float(item.clock or 0))
            pending: PlanChange | None = None
            if self.tiers.rank(str(item.granted_plan or self.tiers.default_plan)) > self.tiers.rank(plan):
                item.granted_plan = plan if plan != self.tiers.default_plan else None
            paid = item.subscription_plan
            paying = item.subscription_id and item.subscription_status in ACTIVE_STATUSES and paid in self.tiers.tiers
            if paying and self.tiers.rank(str(paid)) > self.tiers.rank(plan):
                lower = self.tiers.get(plan).price
                self._provider().change_subscription(
                    str(item.subscription_id), plan=plan if lower else None,
                    lookup_key=lower.lookup_key if lower else None)
                if item.period_end and item.period_end > now:
                    item.held_plan, item.held_until = str(paid), item.period_end
                    pending = PlanChange(plan=current, pending_plan=plan, pending_at=epoch_iso(item.period_end))
            if self.repository.save(item):
                break
        else:
            raise Conflict("the billing record changed meanwhile; try again")
        if pending is not None:
            record_event(event, ctx, "tenant.plan_change_scheduled",
                         f"plan/{current}->{plan} at {pending.pending_at}")
            return pending
        return PlanChange(plan=self._apply(ctx.tenant_id, item, now, event, (ctx.principal_id, ctx.principal_type)))

    # -- operators (scripts/grant_plan.py, with AWS credentials) --------------------------------------------
    def grant(self, tenant_id: str, plan: str, operator: str, reason: str) -> str:
        """Grant `plan` out of band (the default plan revokes a grant); returns the tenant's plan now."""
        self._tier(plan)
        self._tenant(tenant_id)
        for _ in range(_SAVE_ATTEMPTS):
            item = self.repository.get(tenant_id)
            item.granted_plan = None if plan == self.tiers.default_plan else plan
            item.granted_by = operator
            now = max(self._clock(), float(item.clock or 0))
            if self.repository.save(item):
                break
        else:
            raise Conflict("the billing record changed meanwhile; try again")
        record_event(None, None, "billing.grant", f"plan/{plan}; reason: {reason[:200]}", tenant_id=tenant_id,
                     actor=operator, principal_type="operator")
        return self._apply(tenant_id, item, now, None, (operator, "operator"))

    # -- the provider's webhooks --------------------------------------------------------------------------
    def cancel_subscription(self, subscription_id: str) -> None:
        """Cancel a deleted tenant's subscription at once (the tenant purge, radar.tenants.deletion)."""
        self._provider().cancel_subscription(subscription_id)

    def handle_webhook(self, payload: bytes, signature: str, event: dict[str, Any]) -> WebhookOut:
        provider = self._provider()
        verified = provider.verify_event(payload, signature)
        if not verified.id:
            raise InvalidWebhook("the event has no id", reason="invalid_payload", field="body")
        if not self.repository.claim_event(verified.id, verified.type):
            return WebhookOut(event_id=verified.id, type=verified.type, outcome="duplicate")
        try:
            outcome = self._process(provider, verified, event)
        except Exception:
            self.repository.release_event(verified.id)  # the provider retries it
            raise
        return WebhookOut(event_id=verified.id, type=verified.type, outcome=outcome)

    def _process(self, provider: BillingProvider, verified: BillingEvent, event: dict[str, Any]) -> Any:
        if verified.type not in HANDLED_EVENTS or not verified.customer_id or not verified.subscription_id:
            return "ignored"
        tenant_id = self.repository.tenant_of_customer(verified.customer_id)
        if tenant_id is None:
            logger.warning("billing event for an unknown customer", extra={"event_type": verified.type})
            return "ignored"
        if verified.metadata_tenant_id and verified.metadata_tenant_id != tenant_id:
            # Metadata is not what links a customer to a tenant: the link written at checkout is.
            logger.warning("billing event metadata names another tenant; the customer's link wins",
                           extra={"tenant_id": tenant_id, "event_type": verified.type})
        state = provider.subscription(verified.subscription_id)
        if state.customer_id != verified.customer_id:
            return "ignored"
        self._settle(tenant_id, state=state, at=float(verified.created), event=event, actor=PROVIDER_ACTOR)
        return "processed"

    # -- the hourly schedule (the purge function's scheduled entry, infra_cdk/functions.py) --------------------
    def sweep(self, *, limit: int = SWEEP_LIMIT, time_left_ms: Callable[[], int] | None = None) -> SweepOut:
        """Apply what fell due with no event to bring it: a grace period that ended unpaid, a held plan whose paid
        period is over. The records come from the sparse deadline partition (no scan); each one is settled exactly
        as a billing event settles it (`_settle`), so running it twice changes and audits nothing the second time."""
        due = self.repository.due(self._clock(), limit)
        settled = failed = done = 0
        for tenant_id in due:
            if time_left_ms is not None and time_left_ms() < SWEEP_RESERVE_MS:
                break  # the rest stays due: the next run (within the hour) carries on
            done += 1
            try:
                if self._settle(tenant_id, event=None, actor=SWEEP_ACTOR):
                    settled += 1
            except Exception as exc:  # one tenant's failure must not hold the others back; the next run retries
                failed += 1
                logger.warning("billing sweep: a tenant was not settled",
                               extra={"tenant_id": tenant_id, "error_type": type(exc).__name__})
        return SweepOut(due=len(due), settled=settled, failed=failed, more=len(due) >= limit or done < len(due))

    def _settle(self, tenant_id: str, *, state: SubscriptionState | None = None, at: float = 0.0,
                event: dict[str, Any] | None, actor: tuple[str, str]) -> bool:
        """The one place a billing record moves: take the subscription's state (when a verified event brought
        it), let fall due what is due, save (versioned), audit what changed, and put the tenant on its plan.
        True when the record changed."""
        notes: list[tuple[str, str]] = []
        for _ in range(_SAVE_ATTEMPTS):
            item = self.repository.get(tenant_id)
            now = max(self._clock(), float(item.clock or 0), at)
            before = (item.lapsed, item.held_plan, item.held_until, item.due_at())
            notes = (self._reconcile(item, state, now) if state is not None else []) + self._advance(item, now)
            if state is None and not notes and before == (item.lapsed, item.held_plan, item.held_until,
                                                           item.due_at()):
                break  # nothing fell due (a deadline read from the index before it moved): nothing to save
            item.clock = now
            item.settle_pending = True  # until the plan move below is done (a crash leaves the record due)
            if self.repository.save(item):
                break
        else:
            raise Conflict("the billing record kept changing; the provider will retry")
        for action, resource in notes:
            record_event(event, None, action, resource, tenant_id=tenant_id, actor=actor[0], principal_type=actor[1])
        self._apply(tenant_id, item, now, event, actor)
        if item.settle_pending:
            # Versioned: if someone saved the record since, their own settle clears it (or the next sweep does).
            item.settle_pending = False
            self.repository.save(item)
        return bool(notes) or state is not None

    def _reconcile(self, item: BillingItem, state: SubscriptionState, now: float) -> list[tuple[str, str]]:
        """Take the subscription's own state (not the event's arrival order) as the truth."""
        live = state.status in ACTIVE_STATUSES or state.status == "past_due"
        if item.subscription_id and state.id != item.subscription_id and not live:
            return []  # an old subscription's news
        notes: list[tuple[str, str]] = []
        if (state.id, state.status, state.plan) != (item.subscription_id, item.subscription_status,
                                                    item.subscription_plan):
            notes.append(("billing.subscription", f"subscription/{state.id}: {state.status} {state.plan}"))
        item.subscription_id, item.subscription_status = state.id, state.status
        item.subscription_plan, item.period_end = state.plan, state.period_end
        item.cancel_at_period_end = state.cancel_at_period_end
        if state.status in ACTIVE_STATUSES:
            if item.grace_until or item.lapsed:
                notes.append(("billing.payment_recovered", f"subscription/{state.id}"))
            item.grace_until, item.lapsed = None, False
        elif state.status == "past_due":
            if item.grace_until is None and not item.lapsed:
                item.grace_until = now + self.settings.grace_days * 86400
                until = epoch_iso(item.grace_until)
                name = self.tiers.get(state.plan).display_name if state.plan in self.tiers.tiers else state.plan
                notes.append(("billing.payment_failed", f"subscription/{state.id}: grace until {until}"))
                notes.append(("billing.notice", f"notice/payment_failed: Your payment for the {name} plan failed. "
                              f"The plan stays active until {until}; update your card with POST /billing/portal "
                              f"before then, or the tenant moves to the "
                              f"{self.tiers.get(self.tiers.default_plan).display_name} plan."))
        else:
            item.grace_until, item.lapsed = None, False
        return notes

    def _advance(self, item: BillingItem, now: float) -> list[tuple[str, str]]:
        """What falls due by `now`: a grace period that ended unpaid, a held plan whose paid period is over."""
        notes: list[tuple[str, str]] = []
        if item.grace_until and now >= item.grace_until and item.subscription_status == "past_due" \
                and not item.lapsed:
            item.lapsed = True
            notes.append(("billing.grace_expired", f"subscription/{item.subscription_id}"))
            notes.append(("billing.notice", "notice/grace_expired: The grace period after a failed payment ended "
                          "unpaid, so the tenant moved to the "
                          f"{self.tiers.get(self.tiers.default_plan).display_name} plan. Pay the open invoice "
                          "(POST /billing/portal) to get the paid plan back."))
        if item.held_until and now >= item.held_until:
            item.held_plan, item.held_until = None, None
        return notes

    # -- helpers ------------------------------------------------------------------------------------------
    def _apply(self, tenant_id: str, item: BillingItem, now: float, event: dict[str, Any] | None,
               actor: tuple[str, str]) -> str:
        """Put the tenant on its effective plan (conditional on the plan it had, so racing writers agree)."""
        target = effective_plan(item, now, self.tiers)
        for _ in range(_SAVE_ATTEMPTS):
            tenant = self._tenant(tenant_id)
            old = tenant.plan
            if old == target:
                return target
            if not self.tenants.set_plan(tenant, target, self.tiers.get(target).retention_days, expected=old):
                continue
            try:
                self.gateway_keys.move(tenant.usage_key_id, old, target)
            except Exception:
                self.tenants.set_plan(tenant, old, self.tiers.get(old).retention_days, expected=target)
                raise
            record_event(event, None, "tenant.plan_change", f"plan/{old}->{target}", tenant_id=tenant_id,
                         actor=actor[0], principal_type=actor[1])
            return target
        raise Conflict("the tenant's plan kept changing; try again")

    def _create_customer(self, provider: BillingProvider, tenant: TenantItem) -> str:
        customer = provider.create_customer(tenant.tenant_id, tenant.name)
        self.repository.link_customer(customer, tenant.tenant_id)
        for _ in range(_SAVE_ATTEMPTS):
            item = self.repository.get(tenant.tenant_id)
            if item.customer_id:
                return str(item.customer_id)
            item.customer_id = customer
            if self.repository.save(item):
                return customer
        raise Conflict("the billing record changed meanwhile; try again")

    def _tier(self, plan: str) -> Any:
        if plan not in self.tiers.tiers:
            raise UnknownPlan(
                f"unknown plan {plan!r}; choose one of: {', '.join(self.tiers.tiers)}",
                details=[{"field": "plan", "reason": "unknown_plan", "message": f"one of {sorted(self.tiers.tiers)}"}],
            )
        return self.tiers.get(plan)

    def _tenant(self, tenant_id: str) -> TenantItem:
        from radar.errors import NotFound

        tenant = self.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("no such tenant")
        return tenant
