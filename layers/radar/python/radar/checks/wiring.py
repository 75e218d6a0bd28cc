"""Composition: build the services of the targets, checks and worker functions from their environment."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from radar.checks.batches import BatchService
from radar.checks.dispatch import BatchDispatcher
from radar.checks.queue import CheckQueue, queue_url_from_arn
from radar.checks.repository import BatchRepository, CheckRepository
from radar.checks.retention import RetentionPolicy
from radar.checks.service import CheckParts, CheckService
from radar.checks.settings import ChecksEnv, WorkerEnv
from radar.checks.worker import CheckWorker
from radar.cnpj import Cnpj
from radar.lookup.schemas import LookupResult
from radar.lookup.service import LookupFactory
from radar.metering.service import UsageMeter
from radar.targets.repository import TargetRepository
from radar.targets.service import TargetService
from radar.targets.settings import TargetsEnv

__all__ = [
    "build_batch_service",
    "build_check_service",
    "build_dispatcher",
    "build_target_service",
    "build_usage_meter",
    "build_worker",
]


def build_target_service(env: TargetsEnv) -> TargetService:
    return TargetService(TargetRepository(), CheckRepository())


def build_usage_meter(env: ChecksEnv) -> UsageMeter:
    return UsageMeter(env.main_table)


def _check_parts(env: ChecksEnv) -> CheckParts:
    return CheckParts(
        checks=CheckRepository(),
        batches=BatchRepository(),
        targets=TargetRepository(),
        meter=UsageMeter(env.main_table),
        retention=RetentionPolicy(),
        queue=CheckQueue(env.checks_queue_url),
        batch_queue=CheckQueue(env.batch_queue_url) if env.batch_queue_url else None,
    )


def build_check_service(env: ChecksEnv, lookup_factory: LookupFactory) -> CheckService:
    return CheckService(_check_parts(env), lookup_factory)


def build_batch_service(env: ChecksEnv) -> BatchService:
    return BatchService(_check_parts(env), capacity_per_min=env.lookup.capacity_per_minute())


def build_dispatcher(env: WorkerEnv, lookup_factory: LookupFactory) -> BatchDispatcher:
    """The batch fan-out, in the worker (its page messages travel on the batch queue): cached CNPJs answered from
    the lookup's cache, never a provider."""

    def cached(cnpj: Cnpj) -> LookupResult | None:
        from_cache = getattr(lookup_factory(), "from_cache", None)
        return from_cache(cnpj) if callable(from_cache) else None

    return BatchDispatcher(
        checks=CheckRepository(),
        batches=BatchRepository(),
        targets=TargetRepository(),
        cached=cached,
        queue_for_arn=_worker_queue(env),
        capacity_per_min=env.lookup.capacity_per_minute(),
        lease_seconds=env.check_lease_seconds,
    )


@lru_cache(maxsize=8)
def _queue_for_arn(arn: str) -> CheckQueue:
    return CheckQueue(queue_url_from_arn(arn))


def _worker_queue(env: WorkerEnv) -> Callable[[str], CheckQueue]:
    def queue_for(arn: str) -> CheckQueue:
        # The source queue's URL: CHECKS_QUEUE_URL when given, else looked up from the record's ARN.
        if env.checks_queue_url and env.checks_queue_url.rstrip("/").endswith("/" + arn.split(":")[-1]):
            return CheckQueue(env.checks_queue_url)
        return _queue_for_arn(arn)

    return queue_for


def build_worker(env: WorkerEnv, lookup_factory: LookupFactory) -> CheckWorker:
    queue_for = _worker_queue(env)
    return CheckWorker(
        checks=CheckRepository(),
        targets=TargetRepository(),
        lookup=lookup_factory(),
        queue_for_arn=queue_for,
        max_receive_count=env.max_receive_count,
        meter=UsageMeter(env.main_table),
        capacity_budget_seconds=env.capacity_budget_seconds,
        lease_seconds=env.check_lease_seconds,
    )
