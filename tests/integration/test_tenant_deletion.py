"""The tenant purge on the moto server: pages, checkpoint, crashes at any point, leases, racing writes, and a scan of
every table afterwards that finds nothing of the tenant (and all of its neighbour)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from radar.audit.models import DeletedTenantItem
from radar.audit.service import new_deletion_record
from radar.context import TenantContext
from radar.gateway_keys import GatewayKeys
from radar.tables import bind_main_table
from radar.tenants.deletion import _GATEWAY_KEY, KINDS, PurgeQueue, TenantPurge, idempotency_prefix
from radar.tenants.repository import DeletionRepository
from tests.support.aws import AwsResources

PER_KIND = 3  # items of each kind: with pages of 2, every kind takes two pages


@pytest.fixture
def tables(aws: AwsResources) -> Iterator[AwsResources]:
    bind_main_table(aws.main_table)
    yield aws


def _put_main(aws: AwsResources, item: dict[str, Any]) -> None:
    boto3.resource("dynamodb").Table(aws.main_table).put_item(Item=item)


def seed_tenant(aws: AwsResources) -> tuple[str, dict[str, int], str]:
    """A tenant with PER_KIND items of every kind the purge knows, their items outside the tenant's partitions,
    one item of a kind nobody declared, and a real usage key; returns (tenant id, expected counts, usage key id)."""
    tid = uuid.uuid4().hex
    pk = f"TENANT#{tid}"
    key_id, _value = GatewayKeys(aws.usage_plan_ids).create(tid, "free")
    _put_main(aws, {"pk": pk, "sk": "TENANT", "tenant_id": tid, "plan": "free", "usage_key_id": key_id})
    for n in range(PER_KIND):
        email = f"user{n}-{tid[:8]}@example.com"
        _put_main(aws, {"pk": pk, "sk": f"USER#u{n}", "user_id": f"u{n}", "email": email})
        _put_main(aws, {"pk": f"EMAIL#{email}", "sk": "EMAIL", "tenant_id": tid, "user_id": f"u{n}"})
        _put_main(aws, {"pk": pk, "sk": f"APIKEY#k{n}", "key_hash": f"{tid}{n}", "gsi1pk": f"APIKEYHASH#{tid}{n}",
                        "gsi1sk": "APIKEY"})
        _put_main(aws, {"pk": f"APIKEYHASH#{tid}{n}", "sk": "APIKEY", "tenant_id": tid, "key_id": f"k{n}"})
        for sk in (f"SESSION#s{n}", f"REFRESH#r{n}", f"TARGET#t{n}", f"TARGETCNPJ#0000000000000{n}",
                   f"CHECK#c{n}", f"BATCH#b{n}", f"USAGE#2026-0{n + 1}"):
            _put_main(aws, {"pk": pk, "sk": sk, "tenant_id": tid, "gsi1pk": f"{pk}#TARGETS", "gsi1sk": sk})
        _put_main(aws, {"pk": f"{pk}#AUDIT", "sk": f"2026-12-01T00:00:0{n}#e{n}", "action": "x",
                        "gsi2pk": f"{pk}#AUDIT#x", "gsi2sk": f"2026-12-01T00:00:0{n}"})
        boto3.client("dynamodb").put_item(TableName=aws.idempotency_table, Item={
            "id": {"S": f"{idempotency_prefix(tid)}{uuid.uuid4().hex}"}, "status": {"S": "COMPLETED"}})
    _put_main(aws, {"pk": pk, "sk": "BILLING", "tenant_id": tid, "customer_id": f"cus_{tid}",
                    "subscription_id": f"sub_{tid}", "subscription_status": "active"})
    _put_main(aws, {"pk": f"BILLINGCUSTOMER#cus_{tid}", "sk": "CUSTOMER", "tenant_id": tid})
    _put_main(aws, {"pk": pk, "sk": "FUTUREKIND#1", "tenant_id": tid})
    expected = {kind.name: PER_KIND for kind in KINDS if kind.name not in {"billing", "other"}}
    expected.update(billing=1, other=1, tenant=1)
    return tid, expected, key_id


def remains_of(aws: AwsResources, tid: str) -> list[Any]:
    """Every item of any table that names the tenant anywhere (keys or attributes)."""
    ddb = boto3.client("dynamodb")
    found = []
    for table in (aws.main_table, aws.idempotency_table, aws.cache_table):
        for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
            found += [item for item in page["Items"] if tid in json.dumps(item)
                      and not item["pk" if "pk" in item else "id"]["S"].startswith("DELETED_TENANT#")]
    return found


def start_job(tid: str, key_id: str) -> DeletedTenantItem:
    ctx = TenantContext(tid, "u0", "user", "admin", "free")
    record = new_deletion_record(None, ctx, job_id=uuid.uuid4().hex, plan="free", usage_key_id=key_id)
    assert DeletionRepository().create(record)
    assert not DeletionRepository().create(new_deletion_record(None, ctx, job_id="other", plan="free",
                                                                usage_key_id=key_id))  # one job per tenant
    return record


class _Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def make_purge(aws: AwsResources, repository: DeletionRepository | None = None, *, cancelled: list[str],
               clock: Callable[[], float] | None = None, pages_per_run: int = 3) -> TenantPurge:
    return TenantPurge(
        repository=repository or DeletionRepository(idempotency_table=aws.idempotency_table),
        gateway_keys=GatewayKeys(aws.usage_plan_ids),
        queue=PurgeQueue(aws.purge_queue_url),
        cancel_subscription=cancelled.append,
        page_size=2,
        pages_per_run=pages_per_run,
        lease_seconds=30,
        clock=clock or _Clock(),
    )


def api_key_ids() -> set[str]:
    return {k["id"] for k in boto3.client("apigateway").get_api_keys(limit=500)["items"]}


def drain(aws: AwsResources) -> int:
    sqs = boto3.client("sqs")
    drained = 0
    while messages := sqs.receive_message(QueueUrl=aws.purge_queue_url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            sqs.delete_message(QueueUrl=aws.purge_queue_url, ReceiptHandle=message["ReceiptHandle"])
        drained += len(messages)
    return drained


def test_the_purge_runs_in_bounded_pages_and_leaves_nothing_of_the_tenant(tables: AwsResources):
    tid, expected, key_id = seed_tenant(tables)
    neighbour, _, neighbour_key = seed_tenant(tables)
    neighbour_items = remains_of(tables, neighbour)
    job = start_job(tid, key_id)
    cancelled: list[str] = []
    purge = make_purge(tables, cancelled=cancelled)
    drain(tables)

    outcomes = []
    while (outcome := purge.handle(tid, str(job.job_id))) != "done":
        outcomes.append(outcome)
        assert len(outcomes) < 200
        record = DeletionRepository().get(tid)
        assert record is not None and record.outcome == "pending" and record.status == "running"

    # Three pages per invocation, each invocation queued the next one.
    assert len(outcomes) > 10 and set(outcomes) == {"continued"} and drain(tables) == len(outcomes)
    record = DeletionRepository().get(tid)
    assert record is not None and record.status == "succeeded" and record.outcome == "success"
    assert record.counts == expected and record.items_deleted == sum(expected.values())
    assert record.started_at and record.finished_at and record.page is None
    assert cancelled == [f"sub_{tid}"]
    assert remains_of(tables, tid) == []
    assert key_id not in api_key_ids() and neighbour_key in api_key_ids()
    assert len(neighbour_items) == 13 * PER_KIND + 4 and remains_of(tables, neighbour) == neighbour_items
    assert purge.handle(tid, str(job.job_id)) == "done"  # a late duplicate message changes nothing


class Crash(Exception):
    pass


class CrashingRepository(DeletionRepository):
    """Crashes the purge every `every`-th storage call, alternately before and after the call landed."""

    def __init__(self, aws: AwsResources, every: int) -> None:
        super().__init__(idempotency_table=aws.idempotency_table)
        self.every, self.calls, self.crashes = every, 0, 0

    def _maybe(self, call: Callable[[], Any]) -> Any:
        self.calls += 1
        if self.calls % self.every:
            return call()
        self.crashes += 1
        if self.crashes % 2:
            raise Crash("before")
        call()
        raise Crash("after")

    def save(self, record: DeletedTenantItem) -> bool:
        return bool(self._maybe(lambda: super(CrashingRepository, self).save(record)))

    def delete(self, keys: list[Any]) -> None:
        self._maybe(lambda: super(CrashingRepository, self).delete(keys))


@pytest.mark.parametrize("every", [3, 7])
def test_a_purge_crashed_at_any_point_resumes_and_counts_every_item_once(tables: AwsResources, every: int):
    tid, expected, key_id = seed_tenant(tables)
    job = start_job(tid, key_id)
    clock = _Clock()
    repository = CrashingRepository(tables, every)
    cancelled: list[str] = []
    purge = make_purge(tables, repository, cancelled=cancelled, clock=clock)

    outcome, attempts = "", 0
    while outcome != "done":
        attempts += 1
        assert attempts < 500
        try:
            outcome = purge.handle(tid, str(job.job_id))
        except Crash:
            clock.now += 31  # the crashed invocation's lease runs out; SQS redelivers its message
            outcome = ""
        if outcome == "deferred":
            clock.now += 31

    assert repository.crashes > 5
    record = DeletionRepository().get(tid)
    assert record is not None and record.status == "succeeded" and record.outcome == "success"
    assert record.counts == expected  # a page deleted again after a crash is counted once
    assert set(cancelled) == {f"sub_{tid}"}
    assert remains_of(tables, tid) == [] and key_id not in api_key_ids()
    drain(tables)


def crashed_holding_the_lease(tables: AwsResources, **handle: Any) -> tuple[str, DeletedTenantItem, _Clock]:
    """A job whose first invocation took the lease and crashed at its third save, holding it."""
    tid, _expected, key_id = seed_tenant(tables)
    job = start_job(tid, key_id)
    clock = _Clock()
    first = make_purge(tables, CrashingRepository(tables, 3), cancelled=[], clock=clock)
    drain(tables)
    with pytest.raises(Crash):
        first.handle(tid, str(job.job_id), **handle)
    return tid, job, clock


def test_a_second_invocation_defers_to_the_lease_holder_with_a_delayed_message(tables: AwsResources):
    tid, job, clock = crashed_holding_the_lease(tables)
    second = make_purge(tables, cancelled=[], clock=clock)
    assert second.handle(tid, str(job.job_id)) == "deferred"
    message = boto3.client("sqs").receive_message(QueueUrl=tables.purge_queue_url, WaitTimeSeconds=0)
    assert "Messages" not in message  # delayed until the lease runs out
    clock.now += 31
    while second.handle(tid, str(job.job_id)) != "done":
        pass
    assert remains_of(tables, tid) == []
    assert second.handle("no-such-tenant", "x") == "ignored"
    drain(tables)


def test_a_crashed_invocation_holds_the_job_no_longer_than_it_could_have_lived(tables: AwsResources):
    tid, job, clock = crashed_holding_the_lease(tables, remaining_ms=lambda: 8_000)  # 8 s left of its timeout
    held = DeletionRepository(idempotency_table=tables.idempotency_table).get(tid)
    assert held is not None and held.lease_owner
    assert clock.now < held.lease_until <= clock.now + 9  # not the 30 s lease: the invocation was gone by then

    second = make_purge(tables, cancelled=[], clock=clock)
    clock.now += 10
    assert second.handle(tid, str(job.job_id)) != "deferred"  # taken over as soon as the dead one's time is up
    while second.handle(tid, str(job.job_id)) != "done":
        pass
    assert remains_of(tables, tid) == []
    drain(tables)


def test_an_invocation_s_time_left_does_not_outlive_it_on_the_shared_purge(tables: AwsResources):
    """The handler's purge is one warm object for every invocation: a short-lived invocation's time left must not
    shorten the leases of whatever runs on it next."""
    tid, _expected, key_id = seed_tenant(tables)
    job = start_job(tid, key_id)
    clock = _Clock()
    purge = make_purge(tables, cancelled=[], clock=clock)
    assert purge.handle(tid, str(job.job_id), remaining_ms=lambda: 8_000) == "continued"
    held = DeletionRepository(idempotency_table=tables.idempotency_table).get(tid)
    assert held is not None and held.lease_owner is None  # an invocation that ends hands the job back
    held.lease_owner = "next-invocation"
    assert purge.step(held)
    assert held.lease_until == int(clock.now + 30)  # the configured lease, not the earlier invocation's 9 s
    drain(tables)


def test_writes_that_race_the_purge_are_swept_and_the_usage_key_goes_last(tables: AwsResources):
    tid, expected, key_id = seed_tenant(tables)
    job = DeletionRepository().get(start_job(tid, key_id).tenant_id)
    assert job is not None
    purge = make_purge(tables, cancelled=[])
    checks_done = [k.name for k in KINDS].index("checks") + 1
    raced: set[str] = set()
    while purge.step(job):
        if job.step == checks_done and "check" not in raced:  # a worker finishing a check after its kind went
            _put_main(tables, {"pk": f"TENANT#{tid}", "sk": "CHECK#late", "tenant_id": tid})
            raced.add("check")
        if job.step == len(KINDS) and "session" not in raced:  # a login that slipped in after every kind
            _put_main(tables, {"pk": f"TENANT#{tid}", "sk": "SESSION#late", "tenant_id": tid})
            raced.add("session")
        if job.step == _GATEWAY_KEY:
            assert remains_of(tables, tid) == [] and key_id in api_key_ids()  # data first, then the key
    # The late check is caught by the "other" kind (counted as a check), the late session by a second sweep.
    assert job.sweeps == 1 and job.counts["checks"] == expected["checks"] + 1
    assert job.counts["sessions"] == expected["sessions"] + 1
    assert remains_of(tables, tid) == [] and key_id not in api_key_ids()


def test_the_checks_idempotency_records_carry_the_prefix_the_purge_scans_for(tables: AwsResources):
    from radar.checks.idempotency import run_idempotently

    tid = uuid.uuid4().hex
    for key in ("first", "second"):
        run_idempotently(table_name=tables.idempotency_table, tenant_id=tid, key=key, request={"target_id": "t"},
                         operation=lambda: {"check_id": "c"})
    found: list[Any] = []
    cursor: dict[str, Any] | None = None
    repository = DeletionRepository(idempotency_table=tables.idempotency_table)
    while True:
        page, cursor = repository.scan_idempotency(idempotency_prefix(tid), cursor, 100)
        found += page
        if cursor is None:
            break
    assert len(found) == 2
