"""When the checks queue refuses messages: nothing is left queued forever and the allowance is given back."""

from __future__ import annotations

import os
import uuid

import pytest

from radar.checks.batchinput import Entry
from radar.checks.settings import ChecksEnv
from radar.checks.wiring import build_batch_service, build_check_service
from radar.context import TenantContext
from radar.errors import DependencyUnavailable
from radar.metering.service import UsageMeter
from radar.tables import bind_main_table
from radar.targets.repository import TargetRepository
from tests.support.aws import AwsResources


@pytest.fixture
def broken_queue_env(aws: AwsResources) -> ChecksEnv:
    queue_url = os.environ["CHECKS_QUEUE_URL"].rsplit("/", 1)[0] + f"/no-such-queue-{uuid.uuid4().hex[:6]}"
    env = ChecksEnv.from_environ({**os.environ, "CHECKS_QUEUE_URL": queue_url, "BATCH_QUEUE_URL": queue_url})
    bind_main_table(env.main_table)  # what the checks function does at cold start
    return env


def _ctx() -> TenantContext:
    return TenantContext(f"t-{uuid.uuid4().hex}", "p", "user", "analyst", "free")


def test_async_check_the_queue_refuses_is_failed_and_not_counted(broken_queue_env: ChecksEnv) -> None:
    ctx = _ctx()
    target = TargetRepository().create(ctx.tenant_id, "19131243000197", label=None, tags=[])
    service = build_check_service(broken_queue_env, lookup_factory=lambda: pytest.fail("no lookup expected"))
    with pytest.raises(DependencyUnavailable) as caught:
        service.enqueue(ctx, str(target.target_id), correlation_id="c-1")
    assert caught.value.details == {"dependency": "checks_queue"}
    [check] = service.history(ctx, str(target.target_id), limit=10, cursor=None).items
    assert check.status == "failed" and check.failure_reason == "queue_unavailable"
    assert UsageMeter(broken_queue_env.main_table).used(ctx.tenant_id) == 0


def test_batch_checks_the_queue_refuses_are_failed_and_given_back(broken_queue_env: ChecksEnv) -> None:
    from radar.checks.models import BatchModel
    from radar.tables import tenant_pk

    ctx = _ctx()
    entries = [Entry(index=i, line=None, raw=c) for i, c in enumerate(["19131243000197", "33683111000280"])]
    with pytest.raises(DependencyUnavailable) as caught:
        build_batch_service(broken_queue_env).create(ctx, entries, correlation_id="c-2")
    assert caught.value.details == {"dependency": "checks_queue"}
    assert UsageMeter(broken_queue_env.main_table).used(ctx.tenant_id) == 0
    left = BatchModel.query(tenant_pk(ctx.tenant_id), BatchModel.sk.startswith("BATCH#"))
    assert list(left) == []  # nothing of the batch is left
