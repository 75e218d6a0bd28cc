"""The billing sweep on the moto server: a grace period that ended is settled on time by the hourly schedule (not at
the next billing event), once, with the event path's audit events and usage-plan move; the deadlines come from the
sparse gsi2 partition, never a scan of the table."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from radar.accounts.models import TenantItem
from radar.accounts.repository import TenantRepository
from radar.billing.models import DUE_PK
from radar.billing.port import SubscriptionState
from radar.billing.repository import BillingRepository
from radar.billing.service import PROVIDER_ACTOR, SWEEP_ACTOR, BillingService
from radar.billing.settings import BillingSettings
from radar.gateway_keys import GatewayKeys
from radar.tables import bind_main_table
from radar.tiers import load_tiers
from tests.support.aws import AwsResources

DAY = 86400.0
TIERS = load_tiers()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tables(aws: AwsResources) -> Iterator[AwsResources]:
    bind_main_table(aws.main_table)
    yield aws


def new_tenant(aws: AwsResources, plan: str) -> TenantItem:
    tid = uuid.uuid4().hex
    key_id, key_value = GatewayKeys(aws.usage_plan_ids).create(tid, plan)
    tenant = TenantItem(f"TENANT#{tid}", "TENANT", tenant_id=tid, name="Sweep Ltda", plan=plan, usage_key_id=key_id,
                        usage_key_value=key_value, retention_days=TIERS.get(plan).retention_days,
                        created_at="2026-12-01T00:00:00Z")
    tenant.save()
    return tenant


def service(aws: AwsResources, clock: Clock, repository: BillingRepository | None = None) -> BillingService:
    def no_provider() -> Any:
        raise AssertionError("the sweep needs no billing provider")

    return BillingService(settings=BillingSettings(BILLING_GRACE_DAYS=7), tenants=TenantRepository(),
                          gateway_keys=GatewayKeys(aws.usage_plan_ids), repository=repository, provider=no_provider,
                          clock=clock)


def subscription(status: str, plan: str = "pro", sub: str = "sub_sweep") -> SubscriptionState:
    return SubscriptionState(id=sub, customer_id="cus_sweep", status=status, plan=plan, period_end=None,
                             cancel_at_period_end=False)


def provider_says(billing: BillingService, tenant_id: str, state: SubscriptionState, at: float) -> None:
    """What a verified webhook does once its signature checked out and the subscription was read from the provider
    (BillingService.handle_webhook -> _process -> _settle): the event path the sweep shares."""
    billing._settle(tenant_id, state=state, at=at, event=None, actor=PROVIDER_ACTOR)


def audit(tenant_id: str) -> list[tuple[str, str, str]]:
    items = boto3.client("dynamodb").query(
        TableName=_main(), KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant_id}#AUDIT"}}, ConsistentRead=True)["Items"]
    return [(i["action"]["S"], i["resource"]["S"], i["actor"]["S"]) for i in items]


def _main() -> str:
    return os.environ["MAIN_TABLE"]


def plan_of(tenant_id: str) -> str:
    found = TenantRepository().get(tenant_id)
    assert found is not None
    return str(found.plan)


def usage_plans_holding(aws: AwsResources, key_id: str) -> list[str]:
    apigw = boto3.client("apigateway")
    return [plan for plan, plan_id in aws.usage_plan_ids.items()
            if any(k["id"] == key_id for k in apigw.get_usage_plan_keys(usagePlanId=plan_id, limit=500)["items"])]


def deadline_index(tenant_id: str) -> list[str]:
    """The tenant's entries in the sparse deadline partition of gsi2."""
    items = boto3.client("dynamodb").query(
        TableName=_main(), IndexName="gsi2", KeyConditionExpression="gsi2pk = :pk",
        ExpressionAttributeValues={":pk": {"S": DUE_PK}})["Items"]
    return [i["gsi2sk"]["S"] for i in items if i["tenant_id"]["S"] == tenant_id]


def in_grace(aws: AwsResources, clock: Clock) -> tuple[TenantItem, BillingService]:
    """A pro tenant whose renewal just failed: past due, 7 days of grace."""
    tenant = new_tenant(aws, "pro")
    billing = service(aws, clock)
    provider_says(billing, tenant.tenant_id, subscription("active"), clock.now - DAY)
    provider_says(billing, tenant.tenant_id, subscription("past_due"), clock.now)
    assert plan_of(tenant.tenant_id) == "pro"
    assert len(deadline_index(tenant.tenant_id)) == 1
    return tenant, billing


def test_a_grace_period_that_ended_is_swept_once_with_the_event_paths_audit_and_usage_plan_move(
    tables: AwsResources,
) -> None:
    clock = Clock()
    tenant, billing = in_grace(tables, clock)
    tid = tenant.tenant_id
    clock.now += 7 * DAY + 60  # no billing event comes: Stripe's next retry is days later
    first = billing.sweep()
    assert first.settled >= 1
    assert plan_of(tid) == "free" and usage_plans_holding(tables, tenant.usage_key_id) == ["free"]
    swept = [(a, r) for a, r, actor in audit(tid) if actor == SWEEP_ACTOR[0]]
    assert ("billing.grace_expired", "subscription/sub_sweep") in swept
    assert ("tenant.plan_change", "plan/pro->free") in swept
    assert any(a == "billing.notice" and r.startswith("notice/grace_expired:") for a, r in swept)
    assert deadline_index(tid) == []  # nothing is due any more: out of the partition

    events = audit(tid)
    clock.now += 3600
    billing.sweep()  # the next hour's run
    assert audit(tid) == events and plan_of(tid) == "free"
    # A late payment still brings the plan back (the event path, not the sweep).
    provider_says(billing, tid, subscription("active"), clock.now)
    assert plan_of(tid) == "pro" and usage_plans_holding(tables, tenant.usage_key_id) == ["pro"]


def test_a_grace_period_still_running_is_not_swept(tables: AwsResources) -> None:
    clock = Clock()
    tenant, billing = in_grace(tables, clock)
    clock.now += 7 * DAY - 60
    billing.sweep()
    assert plan_of(tenant.tenant_id) == "pro"
    assert not any(a == "billing.grace_expired" for a, _, _ in audit(tenant.tenant_id))
    assert len(deadline_index(tenant.tenant_id)) == 1  # still waiting for its deadline


def test_a_payment_that_arrived_during_the_grace_period_cancels_the_downgrade(tables: AwsResources) -> None:
    clock = Clock()
    tenant, billing = in_grace(tables, clock)
    clock.now += 3 * DAY
    provider_says(billing, tenant.tenant_id, subscription("active"), clock.now)  # the retry was paid
    assert deadline_index(tenant.tenant_id) == []
    clock.now += 5 * DAY  # past the old deadline
    billing.sweep()
    assert plan_of(tenant.tenant_id) == "pro"
    actions = [a for a, _, _ in audit(tenant.tenant_id)]
    assert "billing.payment_recovered" in actions and "billing.grace_expired" not in actions


class LaggingIndex(BillingRepository):
    """gsi2 is eventually consistent: a run may still read a deadline that a payment has just removed."""

    def __init__(self, stale: list[str]) -> None:
        self.stale = stale

    def due(self, now: float, limit: int) -> list[str]:
        return self.stale + super().due(now, limit)


def test_a_stale_deadline_read_from_a_lagging_index_changes_nothing(tables: AwsResources) -> None:
    clock = Clock()
    tenant, billing = in_grace(tables, clock)
    clock.now += 3 * DAY
    provider_says(billing, tenant.tenant_id, subscription("active"), clock.now)
    events = audit(tenant.tenant_id)
    clock.now += 5 * DAY
    service(tables, clock, repository=LaggingIndex([tenant.tenant_id])).sweep()
    assert plan_of(tenant.tenant_id) == "pro" and audit(tenant.tenant_id) == events


def test_a_held_plan_ends_on_time_at_the_end_of_its_paid_period(tables: AwsResources) -> None:
    clock = Clock()
    tenant = new_tenant(tables, "business")
    tid = tenant.tenant_id
    billing = service(tables, clock)
    repository = BillingRepository()
    item = repository.get(tid)  # moved down to pro (PUT /tenant/plan); business was paid for two more days
    item.subscription_id, item.subscription_status, item.subscription_plan = "sub_sweep", "active", "pro"
    item.held_plan, item.held_until, item.clock = "business", clock.now + 2 * DAY, clock.now
    assert repository.save(item) and len(deadline_index(tid)) == 1
    billing.sweep()
    assert plan_of(tid) == "business"
    clock.now += 2 * DAY + 1
    billing.sweep()
    assert plan_of(tid) == "pro" and usage_plans_holding(tables, tenant.usage_key_id) == ["pro"]
    assert ("tenant.plan_change", "plan/business->pro", SWEEP_ACTOR[0]) in audit(tid)
    assert deadline_index(tid) == []


def test_the_sweep_reads_the_deadline_partition_and_never_scans(tables: AwsResources,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    tenant, billing = in_grace(tables, clock)
    clock.now += 8 * DAY
    calls: list[str] = []
    from pynamodb.connection.base import Connection

    original = Connection.dispatch

    def counted(self: Any, operation_name: str, operation_kwargs: dict[str, Any]) -> Any:
        calls.append(operation_name if operation_name != "Query" else f"Query:{operation_kwargs.get('IndexName')}")
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "dispatch", counted)
    billing.sweep()
    assert "Scan" not in calls and calls[0] == "Query:gsi2"
    assert plan_of(tenant.tenant_id) == "free"


def test_the_purge_functions_scheduled_entry_runs_the_sweep(tables: AwsResources, lambda_context: Any) -> None:
    """The EventBridge rule's constant input (radar.billing.SWEEP_EVENT) reaches the real handler, which sweeps."""
    import importlib.util

    from radar.billing import SWEEP_EVENT
    from tests.support.cloud import REPO

    tenant = new_tenant(tables, "pro")
    repository = BillingRepository()
    item = repository.get(tenant.tenant_id)
    item.subscription_id, item.subscription_status, item.subscription_plan = "sub_sweep", "past_due", "pro"
    item.grace_until = time.time() - 60  # ended a minute ago, and no event has come since
    assert repository.save(item)
    spec = importlib.util.spec_from_file_location("fn_purge_sweep_tests", REPO / "functions" / "purge" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.lambda_handler(dict(SWEEP_EVENT), lambda_context)
    assert result["settled"] >= 1 and result["failed"] == 0
    assert plan_of(tenant.tenant_id) == "free" and usage_plans_holding(tables, tenant.usage_key_id) == ["free"]
    assert module.lambda_handler(dict(SWEEP_EVENT), lambda_context)["settled"] == 0  # and once only


class FailingOnce(GatewayKeys):
    """API Gateway refuses the first usage-plan move (a throttle, a crash of the function mid-move)."""

    def __init__(self, plan_ids: dict[str, str]) -> None:
        super().__init__(plan_ids)
        self.failures = 1

    def move(self, key_id: str, old_plan: str, new_plan: str) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("usage plan move failed")
        super().move(key_id, old_plan, new_plan)


def test_a_downgrade_whose_usage_plan_move_failed_is_finished_by_the_next_run(tables: AwsResources) -> None:
    clock = Clock()
    tenant, _ = in_grace(tables, clock)
    tid = tenant.tenant_id
    flaky = BillingService(settings=BillingSettings(BILLING_GRACE_DAYS=7), tenants=TenantRepository(),
                           gateway_keys=FailingOnce(tables.usage_plan_ids), clock=clock)
    clock.now += 7 * DAY + 60
    first = flaky.sweep()
    assert first.failed >= 1
    # The record lapsed (and its audit events are written), but the tenant is still on pro: it stays due.
    assert plan_of(tid) == "pro" and usage_plans_holding(tables, tenant.usage_key_id) == ["pro"]
    assert len(deadline_index(tid)) == 1
    clock.now += 3600
    flaky.sweep()
    assert plan_of(tid) == "free" and usage_plans_holding(tables, tenant.usage_key_id) == ["free"]
    assert deadline_index(tid) == []
    actions = [a for a, _, _ in audit(tid)]
    assert actions.count("billing.grace_expired") == 1 and actions.count("tenant.plan_change") == 1


def test_a_run_short_of_time_leaves_the_rest_due_for_the_next_one(tables: AwsResources) -> None:
    clock = Clock()
    tenant, billing = in_grace(tables, clock)
    clock.now += 8 * DAY
    short = billing.sweep(time_left_ms=lambda: 5_000)  # less than the reserve a record needs
    assert short.due >= 1 and short.settled == 0 and short.more
    assert plan_of(tenant.tenant_id) == "pro" and len(deadline_index(tenant.tenant_id)) == 1
    assert billing.sweep(time_left_ms=lambda: 60_000).settled >= 1
    assert plan_of(tenant.tenant_id) == "free"
